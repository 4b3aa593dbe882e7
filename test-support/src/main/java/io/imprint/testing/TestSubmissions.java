package io.imprint.testing;

import io.imprint.contracts.CloudEvent;
import io.imprint.contracts.EventCodec;
import io.imprint.contracts.EventType;
import io.imprint.contracts.Topics;
import io.imprint.contracts.events.CsrSubmittedV1;
import io.imprint.pki.RequestRejectedException;
import io.imprint.pki.csr.CsrBuilder;
import io.imprint.pki.station.StationCredential;
import io.imprint.pki.station.StationIdentity;
import java.security.KeyPair;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Builds and publishes signed submissions the way a factory station does. */
public final class TestSubmissions {
    private TestSubmissions() {}

    /** A fresh device key and CSR for {@code deviceId} under {@code orderId}, in the station's claimed identity. */
    public static CsrSubmittedV1 submission(StationCredential station, String deviceId, String orderId) {
        return submission(station, deviceId, orderId, TestStations.ecKey(), null, List.of());
    }

    /** As {@link #submission(StationCredential, String, String)}, attested by the test vendor. */
    public static CsrSubmittedV1 attested(StationCredential station, String deviceId, String orderId) {
        KeyPair key = TestStations.ecKey();
        return submission(
                station,
                deviceId,
                orderId,
                key,
                TestVendors.TYPE,
                TestVendors.microchip().attestBase64(key.getPublic(), deviceId));
    }

    public static CsrSubmittedV1 submission(
            StationCredential station,
            String deviceId,
            String orderId,
            KeyPair key,
            String secureElementType,
            List<String> attestationChain) {
        StationIdentity identity = identity(station);
        return new CsrSubmittedV1(
                UUID.randomUUID().toString(),
                deviceId,
                identity.factoryId(),
                identity.stationId(),
                orderId,
                Instant.now(),
                CsrBuilder.devicePem(deviceId, key, "SHA256withECDSA"),
                secureElementType,
                attestationChain);
    }

    /** The factory and station a credential is bound to. */
    public static StationIdentity identity(StationCredential station) {
        try {
            return StationIdentity.of(station.certificate());
        } catch (RequestRejectedException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** Publishes {@code submission} signed by {@code signer} (normally the station that the submission names). */
    public static void publish(CsrSubmittedV1 submission, StationCredential signer) {
        byte[] value = EventCodec.encode(submission);
        Map<String, String> headers = new LinkedHashMap<>(
                CloudEvent.headers(EventType.CSR_SUBMITTED, "/station/" + submission.stationId(), Instant.now()));
        headers.putAll(signer.sign(value));
        TestTopics.produce(Topics.CSR_SUBMITTED, submission.deviceId(), value, headers);
    }
}
