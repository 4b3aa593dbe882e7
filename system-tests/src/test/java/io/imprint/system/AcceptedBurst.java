package io.imprint.system;

import io.imprint.contracts.CloudEvent;
import io.imprint.contracts.EventCodec;
import io.imprint.contracts.EventType;
import io.imprint.contracts.Topics;
import io.imprint.contracts.events.CsrAcceptedV1;
import io.imprint.eventplane.SentRecords;
import io.imprint.pki.Serials;
import io.imprint.pki.csr.CsrBuilder;
import io.imprint.pki.signing.ServiceCredential;
import io.imprint.testing.TestStations;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** A burst of accepted requests for the signer, published as csr-intake publishes them. */
final class AcceptedBurst {
    private AcceptedBurst() {}

    /** {@code count} requests of order {@code order}, devices named {@code <prefix>-<i>-<uuid>}. */
    static List<CsrAcceptedV1> make(String order, String prefix, int count) {
        List<CsrAcceptedV1> burst = new ArrayList<>(count);
        KeyPair key = TestStations.ecKey(); // one key for all: the signer checks possession, not uniqueness
        Instant now = Instant.now();
        for (int i = 0; i < count; i++) {
            String device = prefix + "-" + i + "-" + UUID.randomUUID();
            burst.add(new CsrAcceptedV1(
                    UUID.randomUUID().toString(),
                    device,
                    "factory-" + prefix,
                    "station-" + prefix,
                    order,
                    CsrBuilder.devicePem(device, key, "SHA256withECDSA"),
                    "idevid",
                    now,
                    null,
                    Serials.hex(Serials.random())));
        }
        return burst;
    }

    /** Signed with the suite's csr-intake identity, over csr-intake's own connection. */
    static void publish(Suite suite, List<CsrAcceptedV1> burst, String source) throws InterruptedException {
        ServiceCredential intake = suite.identity("csr-intake");
        Properties props = suite.clientAs("csr-intake");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            SentRecords sent = new SentRecords();
            for (CsrAcceptedV1 request : burst) {
                byte[] value = EventCodec.encode(request);
                ProducerRecord<String, byte[]> record =
                        new ProducerRecord<>(Topics.CSR_ACCEPTED, request.deviceId(), value);
                Map<String, String> headers =
                        new HashMap<>(CloudEvent.headers(EventType.of(request), source, Instant.now()));
                headers.putAll(intake.sign(value));
                headers.forEach((name, text) -> record.headers().add(name, text.getBytes(StandardCharsets.UTF_8)));
                sent.add(producer.send(record));
            }
            producer.flush();
            sent.confirm();
        }
    }
}
