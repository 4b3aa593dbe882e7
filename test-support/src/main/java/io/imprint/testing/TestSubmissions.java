package io.imprint.testing;

import io.imprint.contracts.CloudEvent;
import io.imprint.contracts.EventCodec;
import io.imprint.contracts.EventType;
import io.imprint.contracts.Topics;
import io.imprint.contracts.events.CsrSubmittedV1;
import io.imprint.pki.csr.CsrBuilder;
import io.imprint.pki.station.StationCredential;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** Builds and publishes signed submissions the way a factory station does. */
public final class TestSubmissions {
    private TestSubmissions() {
    }

    /** A fresh device key and CSR for {@code deviceId}, submitted under the station's claimed identity. */
    public static CsrSubmittedV1 submission(StationCredential station, String deviceId) {
        String[] subject = station.certificate().getSubjectX500Principal().getName().split(",");
        String stationId = subject[0].substring("CN=".length());
        String factoryId = subject[2].substring("O=".length());
        return new CsrSubmittedV1(UUID.randomUUID().toString(), deviceId, factoryId, stationId, "order-1",
                Instant.now(), CsrBuilder.devicePem(deviceId, TestStations.ecKey(), "SHA256withECDSA"));
    }

    /** Publishes {@code submission} signed by {@code signer} (normally the station that the submission names). */
    public static void publish(CsrSubmittedV1 submission, StationCredential signer) {
        byte[] value = EventCodec.encode(submission);
        Map<String, String> headers = new LinkedHashMap<>(CloudEvent.headers(EventType.CSR_SUBMITTED,
                "/station/" + submission.stationId(), Instant.now()));
        headers.putAll(signer.sign(value));
        TestTopics.produce(Topics.CSR_SUBMITTED, submission.deviceId(), value, headers);
    }
}
