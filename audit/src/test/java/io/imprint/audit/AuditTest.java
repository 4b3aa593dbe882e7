package io.imprint.audit;

import static io.imprint.testing.TestOperators.AUDITOR;
import static io.imprint.testing.TestOperators.as;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.imprint.contracts.Headers;
import io.imprint.contracts.ReasonCode;
import io.imprint.contracts.RevocationReason;
import io.imprint.contracts.Topics;
import io.imprint.contracts.events.CertIssuedV1;
import io.imprint.contracts.events.CertRevokedV1;
import io.imprint.contracts.events.CsrRejectedV1;
import io.imprint.contracts.events.StationRevokedV1;
import io.imprint.testing.ImprintTestInfrastructure;
import io.imprint.testing.TestDatabase;
import io.imprint.testing.TestEvents;
import io.imprint.testing.TestTopics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** audit on the real broker and PostgreSQL. */
@QuarkusTest
@QuarkusTestResource(
        value = ImprintTestInfrastructure.class,
        initArgs = {
            @ResourceArg(name = ImprintTestInfrastructure.DATABASE, value = "true"),
            @ResourceArg(name = ImprintTestInfrastructure.DATABASE_ROLE, value = "imprint_audit")
        })
class AuditTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void logsIssuedCertificateWithDeviceFactoryStationAndOrder() {
        CertIssuedV1 issued = TestEvents.issued();
        TestEvents.publish(issued, issued.deviceId());
        Awaitility.await()
                .atMost(WAIT)
                .untilAsserted(() -> as(AUDITOR)
                        .get("/audit/certificates/" + issued.serialNumber())
                        .then()
                        .statusCode(200)
                        .body("deviceId", equalTo(issued.deviceId()))
                        .body("factoryId", equalTo("factory-a"))
                        .body("stationId", equalTo("station-1"))
                        .body("orderId", equalTo("order-1"))
                        .body("requestId", equalTo(issued.requestId())));
    }

    @Test
    void logsRejectionsAndRevocationsAndARedeliveredEventOnlyOnce() throws Exception {
        CsrRejectedV1 rejected = rejected("dev-x");
        CsrRejectedV1 refused = rejected("dev-x");
        CsrRejectedV1 unsigned = rejected("dev-x");
        CsrRejectedV1 wrongSigner = rejected("dev-x");
        CsrRejectedV1 marker = rejected("dev-x");
        TestEvents.publishSigned(rejected, "dev-x", "csr-intake");
        TestEvents.publishSigned(rejected, "dev-x", "csr-intake");
        TestEvents.publishSigned(refused, "dev-x", "signer");
        // What a writer other than csr-intake and the signer (a mirror, say) could put on the topic.
        TestEvents.publish(unsigned, "dev-x");
        TestEvents.publishSigned(wrongSigner, "dev-x", "fleet-registry");
        // Same key, same partition: once the marker is logged, every record before it has been processed.
        TestEvents.publishSigned(marker, "dev-x", "csr-intake");
        CertRevokedV1 revoked = new CertRevokedV1(
                UUID.randomUUID().toString(),
                "abcdef",
                "CN=Issuing",
                "dev-x",
                RevocationReason.KEY_COMPROMISE,
                Instant.now(),
                "sre@test");
        TestEvents.publishSigned(revoked, "dev-x", "revocation");
        Awaitility.await().atMost(WAIT).untilAsserted(() -> {
            assertEquals(1, rows(marker.requestId()));
            assertEquals(1, rows(revoked.requestId()));
        });
        assertEquals(1, rows(rejected.requestId()), "a redelivered event is logged once");
        assertEquals(1, rows(refused.requestId()), "the signer's refusal is logged");
        assertEquals(0, rows(unsigned.requestId()), "a rejection nobody signed is not logged");
        assertEquals("COMMAND_UNSIGNED", deadLetterCode(Topics.CSR_REJECTED, unsigned.requestId()));
        assertEquals(0, rows(wrongSigner.requestId()), "a rejection signed by another service is not logged");
    }

    private static CsrRejectedV1 rejected(String device) {
        return new CsrRejectedV1(
                UUID.randomUUID().toString(),
                device,
                "factory-a",
                "station-1",
                "order-1",
                ReasonCode.CSR_SIGNATURE_INVALID,
                "no proof of possession",
                "csr-intake",
                Instant.now());
    }

    private static long rows(String requestId) throws Exception {
        try (Connection db = TestDatabase.connect();
                PreparedStatement count =
                        db.prepareStatement("SELECT count(*) FROM audit.audit_record WHERE request_id = ?")) {
            count.setString(1, requestId);
            ResultSet rs = count.executeQuery();
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void verifyDetectsATamperedRecord() throws Exception {
        CertIssuedV1 issued = AuditTests.logged();
        as(AUDITOR).get("/audit/verify").then().statusCode(200).body("intact", equalTo(true));

        try (Connection db = TestDatabase.connect()) {
            String original;
            long id;
            try (PreparedStatement select =
                    db.prepareStatement("SELECT id, payload FROM audit.audit_record WHERE serial_number = ?")) {
                select.setString(1, issued.serialNumber());
                ResultSet rs = select.executeQuery();
                rs.next();
                id = rs.getLong(1);
                original = rs.getString(2);
            }
            update(db, id, original.replace("factory-a", "factory-z"));
            try {
                as(AUDITOR)
                        .get("/audit/verify")
                        .then()
                        .statusCode(200)
                        .body("intact", equalTo(false))
                        .body("firstBrokenId", equalTo((int) id));
            } finally {
                update(db, id, original);
            }
        }
        as(AUDITOR).get("/audit/verify").then().body("intact", equalTo(true));
    }

    @Test
    void verifyNamesTheFirstEditedRemovedOrMovedRecordAndWhy() throws Exception {
        List<CertIssuedV1> issued =
                List.of(TestEvents.issued(), TestEvents.issued(), TestEvents.issued(), TestEvents.issued());
        issued.forEach(event -> TestEvents.publish(event, event.deviceId()));
        Awaitility.await()
                .atMost(WAIT)
                .untilAsserted(() -> assertEquals(4, ids(issued).size()));
        as(AUDITOR).get("/audit/verify").then().body("intact", equalTo(true));
        List<Long> ids = ids(issued);
        long b = ids.get(1);
        long c = ids.get(2);
        try (Connection db = TestDatabase.connect()) {
            long before = single(db, "SELECT max(id) FROM audit.audit_record WHERE id < " + b);
            long after = single(db, "SELECT min(id) FROM audit.audit_record WHERE id > " + b);

            tampered(
                    db,
                    "UPDATE audit.audit_record SET factory_id = 'factory-z' WHERE id = " + b,
                    "UPDATE audit.audit_record SET factory_id = 'factory-a' WHERE id = " + b,
                    b,
                    "record " + b + ": its factory_id says factory-z, its event says factory-a");
            tampered(
                    db,
                    "UPDATE audit.audit_record SET payload = replace(payload, 'station-1', 'station-9')"
                            + " WHERE id = " + b,
                    "UPDATE audit.audit_record SET payload = replace(payload, 'station-9', 'station-1')"
                            + " WHERE id = " + b,
                    b,
                    "record " + b + ": its hash is not that of its event");
            db.createStatement()
                    .execute("CREATE TEMP TABLE removed AS SELECT * FROM audit.audit_record WHERE id = " + b);
            tampered(
                    db,
                    "DELETE FROM audit.audit_record WHERE id = " + b,
                    "INSERT INTO audit.audit_record SELECT * FROM removed",
                    after,
                    "record " + after + ": it does not follow record " + before);
            String swap = "UPDATE audit.audit_record SET id = -1 WHERE id = " + b + ";"
                    + "UPDATE audit.audit_record SET id = " + b + " WHERE id = " + c + ";"
                    + "UPDATE audit.audit_record SET id = " + c + " WHERE id = -1";
            tampered(db, swap, swap, b, "record " + b + ": it does not follow record " + before);
        }
        as(AUDITOR).get("/audit/verify").then().body("intact", equalTo(true));
    }

    /** Tampers with the log as its owner could, checks what verify names, and puts the log back. */
    private static void tampered(Connection db, String tamper, String undo, long firstBroken, String problem)
            throws Exception {
        db.createStatement().execute(tamper);
        try {
            as(AUDITOR)
                    .get("/audit/verify")
                    .then()
                    .statusCode(200)
                    .body("intact", equalTo(false))
                    .body("firstBrokenId", equalTo((int) firstBroken))
                    .body("problem", org.hamcrest.Matchers.startsWith(problem));
        } finally {
            db.createStatement().execute(undo);
        }
    }

    private static long single(Connection db, String query) throws Exception {
        ResultSet rs = db.createStatement().executeQuery(query);
        rs.next();
        return rs.getLong(1);
    }

    /** The log ids of these issuances, in log order. */
    private static List<Long> ids(List<CertIssuedV1> issued) throws Exception {
        List<Long> ids = new ArrayList<>();
        try (Connection db = TestDatabase.connect();
                PreparedStatement select = db.prepareStatement(
                        "SELECT id FROM audit.audit_record WHERE serial_number = ANY (?) ORDER BY id")) {
            select.setArray(
                    1,
                    db.createArrayOf(
                            "varchar",
                            issued.stream().map(CertIssuedV1::serialNumber).toArray()));
            ResultSet rs = select.executeQuery();
            while (rs.next()) {
                ids.add(rs.getLong(1));
            }
        }
        return ids;
    }

    @Test
    void logsOnlyTrueEventsAndACertificateOnce() throws Exception {
        CertIssuedV1 genuine = TestEvents.issued();
        CertIssuedV1 relabelled = new CertIssuedV1(
                UUID.randomUUID().toString(),
                "dev-someone-else",
                genuine.factoryId(),
                genuine.stationId(),
                genuine.orderId(),
                genuine.serialNumber(),
                genuine.issuer(),
                genuine.notBefore(),
                genuine.notAfter(),
                genuine.certificate(),
                genuine.chain(),
                genuine.issuedAt());
        TestEvents.publish(relabelled, "dev-y");
        CertIssuedV1 selfSigned = TestEvents.selfSignedFor(genuine);
        TestEvents.publish(selfSigned, "dev-y");
        CertRevokedV1 unsigned = new CertRevokedV1(
                UUID.randomUUID().toString(),
                genuine.serialNumber(),
                genuine.issuer(),
                genuine.deviceId(),
                RevocationReason.KEY_COMPROMISE,
                Instant.now(),
                "operator");
        TestEvents.publish(unsigned, genuine.deviceId());
        TestEvents.publish(genuine, "dev-y");
        CertIssuedV1 replayed = new CertIssuedV1(
                UUID.randomUUID().toString(),
                genuine.deviceId(),
                genuine.factoryId(),
                genuine.stationId(),
                genuine.orderId(),
                genuine.serialNumber(),
                genuine.issuer(),
                genuine.notBefore(),
                genuine.notAfter(),
                genuine.certificate(),
                genuine.chain(),
                genuine.issuedAt());
        TestEvents.publish(replayed, "dev-y");
        CertIssuedV1 marker = TestEvents.issued();
        TestEvents.publish(marker, "dev-y");
        Awaitility.await().atMost(WAIT).untilAsserted(() -> assertEquals(1, rows(marker.requestId())));

        assertEquals(1, rows(genuine.requestId()));
        assertEquals(0, rows(relabelled.requestId()), "a certificate relabelled for another device is not logged");
        assertEquals(0, rows(replayed.requestId()), "the same certificate is logged as issued once");
        assertEquals("CERTIFICATE_MISMATCH", deadLetterCode(Topics.CERT_ISSUED, relabelled.requestId()));
        assertEquals(0, rows(selfSigned.requestId()), "a self-signed certificate is not logged");
        assertEquals("CERTIFICATE_UNTRUSTED", deadLetterCode(Topics.CERT_ISSUED, selfSigned.requestId()));
        assertEquals("COMMAND_UNSIGNED", deadLetterCode(Topics.CERT_REVOKED, unsigned.requestId()));
        assertEquals(0, rows(unsigned.requestId()), "a revocation the revocation service did not sign is not logged");
    }

    @Test
    void logsAStationRevocationOnlyAsCsrIntakeSignedIt() throws Exception {
        String serial = Long.toHexString(System.nanoTime());
        StationRevokedV1 genuine = StationRevokedV1.of(serial, "stolen gateway", "operator", Instant.now());
        StationRevokedV1 forged = StationRevokedV1.of(serial + "0", null, "operator", Instant.now());
        TestEvents.publish(forged, forged.serialNumber());
        TestEvents.publishSigned(genuine, serial, "csr-intake");
        TestEvents.publishSigned(genuine, serial, "csr-intake");
        Awaitility.await().atMost(WAIT).untilAsserted(() -> assertEquals(1, rows(genuine.requestId())));
        as(AUDITOR)
                .get("/audit/records?serial=" + serial)
                .then()
                .statusCode(200)
                .body("records.eventType", equalTo(List.of("imprint.station.revoked")));
        assertEquals("COMMAND_UNSIGNED", deadLetterCode(Topics.STATION_REVOKED, forged.requestId()));
        assertEquals(0, rows(forged.requestId()), "a station revocation csr-intake did not sign is not logged");
        assertEquals(1, rows(genuine.requestId()), "a redelivered revocation is logged once");
    }

    private static String deadLetterCode(String topic, String requestId) {
        List<ConsumerRecord<String, byte[]>> dead = TestTopics.await(
                Topics.deadLetter(topic, "audit"), r -> TestTopics.value(r).contains(requestId), 1, WAIT);
        assertEquals(1, dead.size(), topic + " dead letter " + requestId);
        return TestTopics.header(dead.get(0), Headers.DLQ_CODE);
    }

    @Test
    void unknownSerialIsA404WithAReasonCode() {
        as(AUDITOR)
                .get("/audit/certificates/ffff0000")
                .then()
                .statusCode(404)
                .body("code", equalTo("CERTIFICATE_NOT_FOUND"));
    }

    private static void update(Connection db, long id, String payload) throws Exception {
        try (PreparedStatement update = db.prepareStatement("UPDATE audit.audit_record SET payload = ? WHERE id = ?")) {
            update.setString(1, payload);
            update.setLong(2, id);
            assertEquals(1, update.executeUpdate());
        }
    }
}
