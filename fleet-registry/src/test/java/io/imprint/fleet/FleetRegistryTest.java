package io.imprint.fleet;

import static io.imprint.testing.TestOperators.AUDITOR;
import static io.imprint.testing.TestOperators.ORDER_ADMIN;
import static io.imprint.testing.TestOperators.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imprint.contracts.EventCodec;
import io.imprint.contracts.Headers;
import io.imprint.contracts.RequestTraceIds;
import io.imprint.contracts.RevocationReason;
import io.imprint.contracts.Topics;
import io.imprint.contracts.events.CertIssuedV1;
import io.imprint.contracts.events.CertRevokedV1;
import io.imprint.contracts.events.DeviceAddedV1;
import io.imprint.testing.ImprintTestInfrastructure;
import io.imprint.testing.TestDatabase;
import io.imprint.testing.TestEvents;
import io.imprint.testing.TestTopics;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** fleet-registry on the real broker and PostgreSQL. */
@QuarkusTest
@QuarkusTestResource(
        value = ImprintTestInfrastructure.class,
        initArgs = @ResourceArg(name = ImprintTestInfrastructure.DATABASE, value = "true"))
class FleetRegistryTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    InMemorySpanExporter spans;

    @Test
    void registersDeviceFromIssuedCertificateAndPublishesDeviceAdded() {
        CertIssuedV1 issued = TestEvents.issued();
        TestEvents.publish(issued, issued.deviceId());
        List<ConsumerRecord<String, byte[]>> added =
                TestTopics.await(Topics.DEVICE_ADDED, r -> TestTopics.value(r).contains(issued.requestId()), 1, WAIT);
        assertEquals(1, added.size());
        DeviceAddedV1 event = EventCodec.decode(added.get(0).value(), DeviceAddedV1.class);
        assertEquals(issued.serialNumber(), event.serialNumber());
        assertEquals(issued.deviceId(), added.get(0).key());
        assertEquals("imprint.device.added", TestTopics.header(added.get(0), Headers.CE_TYPE));
        // The inventory reveals production: an auditor reads it, nobody anonymous, no other role.
        given().get("/devices/" + issued.deviceId()).then().statusCode(401).body("code", equalTo("UNAUTHORIZED"));
        as(ORDER_ADMIN).get("/devices?limit=1").then().statusCode(403).body("code", equalTo("FORBIDDEN"));
        as(AUDITOR)
                .get("/devices/" + issued.deviceId())
                .then()
                .statusCode(200)
                .body("status", equalTo("provisioned"))
                .body("serialNumber", equalTo(issued.serialNumber()))
                .body("orderId", equalTo("order-1"));
    }

    /**
     * The certificate's arrival is a span of its request's trace (the trace id derived from the request id, under the
     * request's virtual root span), from the record's timestamp to its reading: how long it waited at this hop.
     */
    @Test
    void aCertificateReadIsASpanOfItsRequestsTrace() {
        CertIssuedV1 issued = TestEvents.issued();
        Instant before = Instant.now();
        TestEvents.publish(issued, issued.deviceId());
        String trace = RequestTraceIds.traceId(issued.requestId());
        assertTrue(trace.matches("[0-9a-f]{32}"), trace);
        SpanData span = Awaitility.await()
                .atMost(WAIT)
                .until(
                        () -> spans.getFinishedSpanItems().stream()
                                .filter(s -> s.getTraceId().equals(trace))
                                .findFirst(),
                        Optional::isPresent)
                .get();
        assertEquals("receive " + Topics.CERT_ISSUED, span.getName());
        assertEquals(SpanKind.CONSUMER, span.getKind());
        assertEquals(issued.requestId(), span.getAttributes().get(AttributeKey.stringKey("imprint.request_id")));
        assertEquals(
                Topics.CERT_ISSUED, span.getAttributes().get(AttributeKey.stringKey("messaging.destination.name")));
        assertEquals("fleet-registry", span.getResource().getAttribute(AttributeKey.stringKey("service.name")));
        assertTrue(span.getParentSpanContext().isRemote(), "under the request's root, which no process records");
        assertEquals(trace, span.getParentSpanContext().getTraceId());
        Instant start = Instant.ofEpochSecond(0, span.getStartEpochNanos());
        Instant end = Instant.ofEpochSecond(0, span.getEndEpochNanos());
        assertFalse(start.isBefore(before.minusSeconds(1)), "starts when the record was written: " + start);
        assertFalse(end.isBefore(start), start + " to " + end);
        assertNotEquals(
                trace, RequestTraceIds.traceId(TestEvents.issued().requestId()), "another request, another trace");
    }

    @Test
    void marksDeviceRevokedWhenItsCertificateIsRevoked() {
        CertIssuedV1 issued = TestEvents.issued();
        TestEvents.publish(issued, issued.deviceId());
        Awaitility.await()
                .atMost(WAIT)
                .untilAsserted(() ->
                        as(AUDITOR).get("/devices/" + issued.deviceId()).then().statusCode(200));
        TestEvents.publishSigned(
                new CertRevokedV1(
                        UUID.randomUUID().toString(),
                        issued.serialNumber(),
                        issued.issuer(),
                        issued.deviceId(),
                        RevocationReason.KEY_COMPROMISE,
                        Instant.now(),
                        "sre@test"),
                issued.deviceId(),
                "revocation");
        Awaitility.await()
                .atMost(WAIT)
                .untilAsserted(() ->
                        as(AUDITOR).get("/devices/" + issued.deviceId()).then().body("status", equalTo("revoked")));
        as(AUDITOR).get("/devices/stats").then().statusCode(200);
    }

    @Test
    void aForgedOrRelabelledCertificateNeverBecomesADevice() {
        CertIssuedV1 genuine = TestEvents.issued();
        TestEvents.publish(genuine, genuine.deviceId());
        Awaitility.await()
                .atMost(WAIT)
                .untilAsserted(() ->
                        as(AUDITOR).get("/devices/" + genuine.deviceId()).then().statusCode(200));
        CertIssuedV1 elsewhere = TestEvents.issued();
        CertIssuedV1 relabelled = new CertIssuedV1(
                UUID.randomUUID().toString(),
                genuine.deviceId(),
                elsewhere.factoryId(),
                elsewhere.stationId(),
                elsewhere.orderId(),
                elsewhere.serialNumber(),
                elsewhere.issuer(),
                elsewhere.notBefore(),
                elsewhere.notAfter(),
                elsewhere.certificate(),
                elsewhere.chain(),
                Instant.now().plusSeconds(3600));
        TestEvents.publish(relabelled, genuine.deviceId());
        CertIssuedV1 selfSigned = TestEvents.selfSignedFor(genuine);
        TestEvents.publish(selfSigned, genuine.deviceId());
        CertIssuedV1 newDevice = TestEvents.selfSignedFor(TestEvents.issued());
        TestEvents.publish(newDevice, newDevice.deviceId());
        assertEquals("CERTIFICATE_MISMATCH", deadLetterCode(Topics.CERT_ISSUED, relabelled.requestId()));
        assertEquals("CERTIFICATE_UNTRUSTED", deadLetterCode(Topics.CERT_ISSUED, selfSigned.requestId()));
        assertEquals("CERTIFICATE_UNTRUSTED", deadLetterCode(Topics.CERT_ISSUED, newDevice.requestId()));
        as(AUDITOR).get("/devices/" + newDevice.deviceId()).then().statusCode(404);
        as(AUDITOR)
                .get("/devices/" + genuine.deviceId())
                .then()
                .body("serialNumber", equalTo(genuine.serialNumber()))
                .body("status", equalTo("provisioned"));
        assertEquals(
                0,
                TestTopics.await(
                                Topics.DEVICE_ADDED,
                                r -> TestTopics.value(r).contains(relabelled.requestId())
                                        || TestTopics.value(r).contains(newDevice.deviceId()),
                                1,
                                Duration.ofSeconds(1))
                        .size(),
                "nothing announced");
    }

    @Test
    void aDeviceWhoseRevocationArrivesBeforeItsCertificateIsRegisteredRevoked() throws Exception {
        // Revocations and issuances come on different topics, each consumed at its own pace.
        CertIssuedV1 issued = TestEvents.issued();
        Instant revokedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        TestEvents.publishSigned(
                new CertRevokedV1(
                        UUID.randomUUID().toString(),
                        issued.serialNumber(),
                        issued.issuer(),
                        issued.deviceId(),
                        RevocationReason.KEY_COMPROMISE,
                        revokedAt,
                        "operator"),
                issued.deviceId(),
                "revocation");
        Awaitility.await().atMost(WAIT).until(() -> revocationKnown(issued.serialNumber()));
        TestEvents.publish(issued, issued.deviceId());
        Awaitility.await()
                .atMost(WAIT)
                .untilAsserted(() -> as(AUDITOR)
                        .get("/devices/" + issued.deviceId())
                        .then()
                        .statusCode(200)
                        .body("status", equalTo("revoked"))
                        .body("serialNumber", equalTo(issued.serialNumber())));
        TestTopics.await(Topics.DEVICE_ADDED, r -> TestTopics.value(r).contains(issued.requestId()), 1, WAIT);
    }

    private static boolean revocationKnown(String serial) throws SQLException {
        try (Connection db = TestDatabase.connect();
                PreparedStatement query =
                        db.prepareStatement("SELECT 1 FROM fleet.revoked_certificate WHERE serial_number = ?")) {
            query.setString(1, serial);
            try (ResultSet row = query.executeQuery()) {
                return row.next();
            }
        }
    }

    @Test
    void stateOnlyMovesForwardWhateverIsReplayed() {
        String device = "dev-" + UUID.randomUUID();
        CertIssuedV1 older =
                TestEvents.issued("issuing-ca", device, Instant.now().minusSeconds(120));
        CertIssuedV1 newer = TestEvents.issued("issuing-ca", device, Instant.now());
        TestEvents.publish(newer, device);
        TestEvents.publish(older, device);
        TestEvents.publishSigned(
                new CertRevokedV1(
                        UUID.randomUUID().toString(),
                        newer.serialNumber(),
                        newer.issuer(),
                        device,
                        RevocationReason.KEY_COMPROMISE,
                        Instant.now(),
                        "operator"),
                device,
                "revocation");
        Awaitility.await()
                .atMost(WAIT)
                .untilAsserted(() -> as(AUDITOR)
                        .get("/devices/" + device)
                        .then()
                        .body("status", equalTo("revoked"))
                        .body("serialNumber", equalTo(newer.serialNumber())));

        CertRevokedV1 unsigned = new CertRevokedV1(
                UUID.randomUUID().toString(),
                older.serialNumber(),
                older.issuer(),
                device,
                RevocationReason.KEY_COMPROMISE,
                Instant.now(),
                "operator");
        TestEvents.publish(unsigned, device);
        assertEquals("COMMAND_UNSIGNED", deadLetterCode(Topics.CERT_REVOKED, unsigned.requestId()));
        // The revoked certificate's own cert.issued, replayed under a new request id, and the older one again.
        TestEvents.publish(
                new CertIssuedV1(
                        UUID.randomUUID().toString(),
                        device,
                        newer.factoryId(),
                        newer.stationId(),
                        newer.orderId(),
                        newer.serialNumber(),
                        newer.issuer(),
                        newer.notBefore(),
                        newer.notAfter(),
                        newer.certificate(),
                        newer.chain(),
                        Instant.now()),
                device);
        TestEvents.publish(older, device);
        CertIssuedV1 marker = TestEvents.issued();
        TestEvents.publish(marker, device);
        Awaitility.await()
                .atMost(WAIT)
                .untilAsserted(() ->
                        as(AUDITOR).get("/devices/" + marker.deviceId()).then().statusCode(200));
        as(AUDITOR)
                .get("/devices/" + device)
                .then()
                .body("status", equalTo("revoked"))
                .body("serialNumber", equalTo(newer.serialNumber()));
        // Replays are recognised, not failures: none of them is dead-lettered.
        assertEquals(
                0,
                TestTopics.await(
                                Topics.deadLetter(Topics.CERT_ISSUED, "fleet-registry"),
                                r -> device.equals(r.key()),
                                1,
                                Duration.ofSeconds(1))
                        .size());
    }

    private static String deadLetterCode(String topic, String requestId) {
        List<ConsumerRecord<String, byte[]>> dead = TestTopics.await(
                Topics.deadLetter(topic, "fleet-registry"),
                r -> TestTopics.value(r).contains(requestId),
                1,
                WAIT);
        assertEquals(1, dead.size(), topic + " dead letter " + requestId);
        return TestTopics.header(dead.get(0), Headers.DLQ_CODE);
    }

    @Test
    void unknownDeviceIsA404WithAReasonCode() {
        as(AUDITOR).get("/devices/no-such-device").then().statusCode(404).body("code", equalTo("DEVICE_NOT_FOUND"));
    }

    @Test
    void deadLettersRecordMissingFieldsAndKeepsConsuming() {
        String key = "poison-" + UUID.randomUUID();
        TestTopics.produce(Topics.CERT_ISSUED, key, "{\"requestId\":\"x\"}".getBytes(StandardCharsets.UTF_8), Map.of());
        CertIssuedV1 after = TestEvents.issued();
        TestEvents.publish(after, after.deviceId());
        List<ConsumerRecord<String, byte[]>> dead = TestTopics.await(
                Topics.deadLetter(Topics.CERT_ISSUED, "fleet-registry"), r -> key.equals(r.key()), 1, WAIT);
        assertEquals(1, dead.size());
        assertEquals("MALFORMED_EVENT", TestTopics.header(dead.get(0), Headers.DLQ_CODE));
        Awaitility.await()
                .atMost(WAIT)
                .untilAsserted(() ->
                        as(AUDITOR).get("/devices/" + after.deviceId()).then().statusCode(200));
    }
}
