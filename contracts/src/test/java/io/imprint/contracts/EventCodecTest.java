package io.imprint.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imprint.contracts.events.CrlEntry;
import io.imprint.contracts.events.CrlSignRequestedV1;
import io.imprint.contracts.events.CsrAcceptedV1;
import io.imprint.contracts.events.CsrRejectedV1;
import io.imprint.contracts.events.CsrSubmittedV1;
import io.imprint.contracts.events.OrderChangedV1;
import io.imprint.contracts.events.ShipmentRecordedV1;
import io.imprint.contracts.events.TpmEvidence;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventCodecTest {
    private static final Instant NOW = Instant.parse("2026-11-24T10:15:30Z");
    private static final CsrSubmittedV1 SUBMITTED = new CsrSubmittedV1(
            "r-1",
            "dev-1",
            "f-1",
            "s-1",
            "o-1",
            NOW,
            "-----BEGIN CERTIFICATE REQUEST-----\nMII=\n-----END CERTIFICATE REQUEST-----\n");

    @Test
    void roundTripsAnEventWithIsoInstants() {
        byte[] json = EventCodec.encode(SUBMITTED);
        assertTrue(new String(json, StandardCharsets.UTF_8).contains("\"submittedAt\":\"2026-11-24T10:15:30Z\""));
        assertEquals(SUBMITTED, EventCodec.decode(json, CsrSubmittedV1.class));
    }

    @Test
    void ignoresUnknownFieldsAsATolerantReader() {
        String json = new String(EventCodec.encode(SUBMITTED), StandardCharsets.UTF_8)
                .replaceFirst("\\{", "{\"addedInALaterRelease\":42,");
        assertEquals(SUBMITTED, EventCodec.decode(json.getBytes(StandardCharsets.UTF_8), CsrSubmittedV1.class));
    }

    @Test
    void aShipmentIsACountOrTheDevicesScannedNeverBothDisagreeing() {
        byte[] countOnly =
                "{\"requestId\":\"dn-1\",\"orderId\":\"o-1\",\"factoryId\":\"f-1\",\"quantity\":3,\"shippedAt\":\"2026-11-24T10:15:30Z\"}"
                        .getBytes(StandardCharsets.UTF_8);
        ShipmentRecordedV1 counted = EventCodec.decode(countOnly, ShipmentRecordedV1.class);
        assertEquals(3, counted.quantity());
        assertEquals(List.of(), counted.deviceIds());
        ShipmentRecordedV1 scanned = new ShipmentRecordedV1("dn-2", "o-1", "f-1", 2, NOW, List.of("d-1", "d-2"));
        assertEquals(scanned, EventCodec.decode(EventCodec.encode(scanned), ShipmentRecordedV1.class));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new ShipmentRecordedV1("dn-3", "o-1", "f-1", 3, NOW, List.of("d-1", "d-2")));
        assertTrue(e.getMessage().contains("2 deviceIds"), e.getMessage());
    }

    @Test
    void anOrderChangeIsNamedByOrderAndStatusSoItIsLoggedOnce() {
        OrderChangedV1 created = OrderChangedV1.of("po-7", "f-1", "sensor", 100, OrderChangedV1.OPEN, "alice", NOW);
        assertEquals("order-po-7-open", created.requestId());
        assertEquals(created, EventCodec.decode(EventCodec.encode(created), OrderChangedV1.class));
        assertThrows(
                IllegalArgumentException.class,
                () -> OrderChangedV1.of("po-7", "f-1", "sensor", 100, "paused", "alice", NOW));
    }

    @Test
    void rejectsMissingRequiredFieldNamingIt() {
        byte[] json =
                "{\"requestId\":\"r-1\",\"deviceId\":\"d\",\"factoryId\":\"f\",\"stationId\":\"s\",\"submittedAt\":\"2026-11-24T10:15:30Z\",\"csr\":\"x\"}"
                        .getBytes(StandardCharsets.UTF_8);
        MalformedEventException e =
                assertThrows(MalformedEventException.class, () -> EventCodec.decode(json, CsrSubmittedV1.class));
        assertTrue(e.getMessage().contains("'orderId' is required"), e.getMessage());
    }

    @Test
    void roundTripsTpmEvidenceAndRefusesAChallengeIdWithoutItsSecret() {
        TpmEvidence first = new TpmEvidence(List.of("ZWs="), "YWs=", "a2V5", "YXR0", "c2ln", null, null);
        CsrSubmittedV1 tpm = new CsrSubmittedV1(
                "r-2",
                "dev-2",
                "f-1",
                "s-1",
                "o-1",
                NOW,
                SUBMITTED.csr(),
                "TPM",
                List.of(),
                first.answering("r-1", "c2VjcmV0"));
        assertEquals(tpm, EventCodec.decode(EventCodec.encode(tpm), CsrSubmittedV1.class));
        assertFalse(first.answersChallenge());
        String halfAnswer = new String(EventCodec.encode(tpm), StandardCharsets.UTF_8)
                .replace("\"activatedSecret\":\"c2VjcmV0\"", "\"activatedSecret\":null");
        MalformedEventException e = assertThrows(
                MalformedEventException.class,
                () -> EventCodec.decode(halfAnswer.getBytes(StandardCharsets.UTF_8), CsrSubmittedV1.class));
        assertTrue(e.getMessage().contains("'tpm.challengeId' and 'tpm.activatedSecret' go together"), e.getMessage());
    }

    @Test
    void rejectsNonJsonWithoutEchoingIt() {
        MalformedEventException e = assertThrows(
                MalformedEventException.class,
                () -> EventCodec.decode(
                        "secret-pin=1234 not json".getBytes(StandardCharsets.UTF_8), CsrSubmittedV1.class));
        assertFalse(e.getMessage().contains("1234"), e.getMessage());
        assertThrows(MalformedEventException.class, () -> EventCodec.decode(new byte[0], CsrSubmittedV1.class));
    }

    @Test
    void rejectsBadEnumAndTimestampNamingTheField() {
        byte[] badReason =
                "{\"requestId\":\"r\",\"reason\":\"NOPE\",\"message\":\"m\",\"rejectedBy\":\"x\",\"rejectedAt\":\"2026-11-24T10:15:30Z\"}"
                        .getBytes(StandardCharsets.UTF_8);
        assertTrue(assertThrows(MalformedEventException.class, () -> EventCodec.decode(badReason, CsrRejectedV1.class))
                .getMessage()
                .contains("'reason'"));
        byte[] badTime = new String(EventCodec.encode(SUBMITTED), StandardCharsets.UTF_8)
                .replace("2026-11-24T10:15:30Z", "yesterday")
                .getBytes(StandardCharsets.UTF_8);
        assertTrue(assertThrows(MalformedEventException.class, () -> EventCodec.decode(badTime, CsrSubmittedV1.class))
                .getMessage()
                .contains("'submittedAt'"));
    }

    @Test
    void crlSignRequestValidatesItsWindowAndCopiesEntries() {
        CrlEntry entry = new CrlEntry("1a2b", NOW, RevocationReason.KEY_COMPROMISE);
        CrlSignRequestedV1 request =
                new CrlSignRequestedV1("r", "CN=Issuing", 7, NOW, NOW.plusSeconds(3600), List.of(entry));
        assertEquals(request, EventCodec.decode(EventCodec.encode(request), CrlSignRequestedV1.class));
        assertThrows(
                IllegalArgumentException.class,
                () -> new CrlSignRequestedV1("r", "CN=Issuing", 7, NOW, NOW, List.of()));
        assertThrows(
                IllegalArgumentException.class,
                () -> new CrlSignRequestedV1("r", "CN=Issuing", 0, NOW, NOW.plusSeconds(1), List.of()));
    }

    @Test
    void acceptedRequestCarriesAHexSerialOfAtLeast64Bits() {
        String serial = "4f0e1d2c3b4a59687766554433221100";
        CsrAcceptedV1 accepted = new CsrAcceptedV1("r", "d", "f", "s", "o", "csr", "idevid", NOW, null, serial);
        assertEquals(accepted, EventCodec.decode(EventCodec.encode(accepted), CsrAcceptedV1.class));
        for (String bad : new String[] {null, "", "1234abcd", "0f0e1d2c3b4a5968", "4F0E1D2C3B4A5968", "1".repeat(41)}) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> new CsrAcceptedV1("r", "d", "f", "s", "o", "csr", "idevid", NOW, null, bad),
                    bad);
            assertTrue(e.getMessage().contains("'serial'"), e.getMessage());
        }
    }

    @Test
    void cloudEventHeadersCarryTypeSourceAndUniqueIds() {
        Map<String, String> first = CloudEvent.headers(EventType.CSR_SUBMITTED, "/station/s-1", NOW);
        Map<String, String> second = CloudEvent.headers(EventType.CSR_SUBMITTED, "/station/s-1", NOW);
        assertEquals("1.0", first.get(Headers.CE_SPECVERSION));
        assertEquals("imprint.csr.submitted", first.get(Headers.CE_TYPE));
        assertEquals("/station/s-1", first.get(Headers.CE_SOURCE));
        assertEquals("2026-11-24T10:15:30Z", first.get(Headers.CE_TIME));
        assertEquals("application/json", first.get(Headers.CONTENT_TYPE));
        assertFalse(first.get(Headers.CE_ID).equals(second.get(Headers.CE_ID)));
        assertEquals(EventType.CERT_ISSUED, EventType.of(io.imprint.contracts.events.CertIssuedV1.class));
    }
}
