package io.imprint.benchmarks;

import io.imprint.contracts.CloudEvent;
import io.imprint.contracts.EventCodec;
import io.imprint.contracts.EventType;
import io.imprint.contracts.Topics;
import io.imprint.contracts.events.CsrAcceptedV1;
import io.imprint.pki.Serials;
import io.imprint.pki.csr.CsrBuilder;
import io.imprint.pki.keys.EcKeys;
import io.imprint.pki.signing.ServiceCredential;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Requests as csr-intake accepts them (signed with its identity), for distinct devices with their own CSRs. */
final class AcceptedRequests {
    private final List<String> csrs;
    private final List<String> devices;

    AcceptedRequests(int distinct) {
        KeyPair key = EcKeys.p256();
        devices = new ArrayList<>(distinct);
        csrs = new ArrayList<>(distinct);
        String run = UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < distinct; i++) {
            String device = "bench-" + run + "-" + i;
            devices.add(device);
            csrs.add(CsrBuilder.devicePem(device, key, "SHA256withECDSA"));
        }
    }

    String device(int i) {
        return devices.get(i % devices.size());
    }

    String csr(int i) {
        return csrs.get(i % csrs.size());
    }

    /** The {@code i}th accepted request, keyed by its device, with intake's signature headers. */
    ProducerRecord<String, byte[]> record(int i, ServiceCredential intake, Instant now) {
        CsrAcceptedV1 request = new CsrAcceptedV1(
                UUID.randomUUID().toString(),
                device(i),
                "factory-bench",
                "bench-1",
                "bench-order",
                csr(i),
                "idevid",
                now,
                null,
                Serials.hex(Serials.random()));
        byte[] value = EventCodec.encode(request);
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.CSR_ACCEPTED, device(i), value);
        Map<String, String> headers = new LinkedHashMap<>(CloudEvent.headers(EventType.of(request), "/bench", now));
        headers.putAll(intake.sign(value));
        headers.forEach((n, v) -> record.headers().add(n, v.getBytes(StandardCharsets.UTF_8)));
        return record;
    }

    static String requestId(ProducerRecord<String, byte[]> record) {
        return EventCodec.decode(record.value(), CsrAcceptedV1.class).requestId();
    }
}
