package io.imprint.audit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.imprint.contracts.ReasonCode;
import io.imprint.contracts.RevocationReason;
import io.imprint.contracts.events.CertIssuedV1;
import io.imprint.contracts.events.CertRevokedV1;
import io.imprint.contracts.events.CsrRejectedV1;
import io.imprint.testing.ImprintTestInfrastructure;
import io.imprint.testing.TestDatabase;
import io.imprint.testing.TestEvents;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** audit on the real broker and PostgreSQL. */
@QuarkusTest
@QuarkusTestResource(value = ImprintTestInfrastructure.class,
        initArgs = @ResourceArg(name = ImprintTestInfrastructure.DATABASE, value = "true"))
class AuditTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void logsIssuedCertificateWithDeviceFactoryStationAndOrder() {
        CertIssuedV1 issued = TestEvents.issued();
        TestEvents.publish(issued, issued.deviceId());
        Awaitility.await().atMost(WAIT).untilAsserted(() ->
                given().get("/audit/certificates/" + issued.serialNumber()).then().statusCode(200)
                        .body("deviceId", equalTo(issued.deviceId()))
                        .body("factoryId", equalTo("factory-a"))
                        .body("stationId", equalTo("station-1"))
                        .body("orderId", equalTo("order-1"))
                        .body("requestId", equalTo(issued.requestId())));
    }

    @Test
    void logsRejectionsAndRevocationsAndARedeliveredEventOnlyOnce() throws Exception {
        CsrRejectedV1 rejected = rejected("dev-x");
        CsrRejectedV1 marker = rejected("dev-x");
        TestEvents.publish(rejected, "dev-x");
        TestEvents.publish(rejected, "dev-x");
        // Same key, same partition: once the marker is logged, both copies before it have been processed.
        TestEvents.publish(marker, "dev-x");
        CertRevokedV1 revoked = new CertRevokedV1(UUID.randomUUID().toString(), "abcdef", "CN=Issuing", "dev-x",
                RevocationReason.KEY_COMPROMISE, Instant.now(), "sre@test");
        TestEvents.publish(revoked, "dev-x");
        Awaitility.await().atMost(WAIT).untilAsserted(() -> {
            assertEquals(1, rows(marker.requestId()));
            assertEquals(1, rows(revoked.requestId()));
        });
        assertEquals(1, rows(rejected.requestId()), "a redelivered event is logged once");
    }

    private static CsrRejectedV1 rejected(String device) {
        return new CsrRejectedV1(UUID.randomUUID().toString(), device, "factory-a", "station-1", "order-1",
                ReasonCode.CSR_SIGNATURE_INVALID, "no proof of possession", "csr-intake", Instant.now());
    }

    private static long rows(String requestId) throws Exception {
        try (Connection db = TestDatabase.connect();
                PreparedStatement count = db.prepareStatement(
                        "SELECT count(*) FROM audit.audit_record WHERE request_id = ?")) {
            count.setString(1, requestId);
            ResultSet rs = count.executeQuery();
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void verifyDetectsATamperedRecord() throws Exception {
        CertIssuedV1 issued = TestEvents.issued();
        TestEvents.publish(issued, issued.deviceId());
        Awaitility.await().atMost(WAIT).untilAsserted(() ->
                given().get("/audit/certificates/" + issued.serialNumber()).then().statusCode(200));
        given().get("/audit/verify").then().statusCode(200).body("intact", equalTo(true));

        try (Connection db = TestDatabase.connect()) {
            String original;
            long id;
            try (PreparedStatement select = db.prepareStatement(
                    "SELECT id, payload FROM audit.audit_record WHERE serial_number = ?")) {
                select.setString(1, issued.serialNumber());
                ResultSet rs = select.executeQuery();
                rs.next();
                id = rs.getLong(1);
                original = rs.getString(2);
            }
            update(db, id, original.replace("factory-a", "factory-z"));
            try {
                given().get("/audit/verify").then().statusCode(200)
                        .body("intact", equalTo(false))
                        .body("firstBrokenId", equalTo((int) id));
            } finally {
                update(db, id, original);
            }
        }
        given().get("/audit/verify").then().body("intact", equalTo(true));
    }

    @Test
    void unknownSerialIsA404WithAReasonCode() {
        given().get("/audit/certificates/ffff0000").then().statusCode(404).body("code", equalTo("CERTIFICATE_NOT_FOUND"));
    }

    private static void update(Connection db, long id, String payload) throws Exception {
        try (PreparedStatement update = db.prepareStatement("UPDATE audit.audit_record SET payload = ? WHERE id = ?")) {
            update.setString(1, payload);
            update.setLong(2, id);
            assertEquals(1, update.executeUpdate());
        }
    }


}
