package io.imprint.audit;

import static io.imprint.testing.TestOperators.AUDITOR;
import static io.imprint.testing.TestOperators.ORDER_ADMIN;
import static io.imprint.testing.TestOperators.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imprint.contracts.EventCodec;
import io.imprint.contracts.Headers;
import io.imprint.contracts.ReasonCode;
import io.imprint.contracts.RevocationReason;
import io.imprint.contracts.Topics;
import io.imprint.contracts.events.CertIssuedV1;
import io.imprint.contracts.events.CertRevokedV1;
import io.imprint.contracts.events.CsrRejectedV1;
import io.imprint.contracts.events.OrderChangedV1;
import io.imprint.contracts.events.ShipmentRecordedV1;
import io.imprint.testing.ImprintTestInfrastructure;
import io.imprint.testing.Shell;
import io.imprint.testing.TestEvents;
import io.imprint.testing.TestOpenssl;
import io.imprint.testing.TestToken;
import io.imprint.testing.TestTopics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quarterly audit on the real broker, database and token: an order, its provisioning, rejections and a
 * revocation arrive as events, shipments as an ERP event and as a warehouse file, deliberately mismatched; the
 * report names each mismatch, and its sign-off is a document openssl verifies under the infrastructure root.
 */
@QuarkusTest
@QuarkusTestResource(
        value = ImprintTestInfrastructure.class,
        initArgs = {
            @ResourceArg(name = ImprintTestInfrastructure.DATABASE, value = "true"),
            @ResourceArg(name = ImprintTestInfrastructure.DATABASE_ROLE, value = "imprint_audit")
        })
class QuarterlyAuditTest {
    /** Long enough for the outbox to send the file's shipment, and for a second copy, were there one, to show. */
    private static final Duration RELAY_WAIT = Duration.ofSeconds(15);

    @Test
    void theReportNamesEveryMismatchAndItsSignOffVerifiesWithOpenssl(@TempDir Path dir) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String factory = "factory-q-" + run;
        String order = "po-q-" + run;
        TestEvents.publishSigned(
                OrderChangedV1.of(order, factory, "sensor", 5, OrderChangedV1.OPEN, "alice", Instant.now()),
                order,
                "csr-intake");
        // An order change nobody signed (written to the topic by hand) is never logged, so it orders nothing.
        String forged = "po-forged-" + run;
        TestEvents.publish(
                OrderChangedV1.of(forged, factory, "sensor", 1000, OrderChangedV1.OPEN, "mallory", Instant.now()),
                forged);
        List<CertIssuedV1> devices = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            CertIssuedV1 issued =
                    TestEvents.inOrder(TestEvents.issued("dev-" + run + "-" + i), factory, order, null, null);
            TestEvents.publish(issued, issued.deviceId());
            devices.add(issued);
        }
        CertIssuedV1 revoked = devices.get(3);
        TestEvents.publishSigned(
                new CertRevokedV1(
                        "rv-" + run,
                        revoked.serialNumber(),
                        revoked.issuer(),
                        revoked.deviceId(),
                        RevocationReason.KEY_COMPROMISE,
                        Instant.now(),
                        "bob"),
                revoked.deviceId(),
                "revocation");
        rejected(run + "-1", factory, order, ReasonCode.QUOTA_EXHAUSTED);
        rejected(run + "-2", factory, order, ReasonCode.QUOTA_EXHAUSTED);
        rejected(run + "-3", factory, order, ReasonCode.ATTESTATION_INVALID);
        String d = "dev-" + run + "-";
        TestEvents.publish(
                new ShipmentRecordedV1("DN-a-" + run, order, factory, 3, Instant.now(), List.of(d + 2, d + 3, d + 4)),
                order);
        String file = "shipment_id,order_id,factory_id,shipped_at,device_id,quantity\n"
                + String.join(
                        "",
                        List.of(d + 2, d + 5, "x-" + run).stream()
                                .map(device ->
                                        "DN-b-" + run + "," + order + "," + factory + ",2026-11-30," + device + ",\n")
                                .toList());
        given().contentType("text/csv")
                .body(file)
                .post("/audit/shipments")
                .then()
                .statusCode(401);
        as(ORDER_ADMIN)
                .contentType("text/csv")
                .body("shipment_id,order_id\nDN-x,po\n")
                .post("/audit/shipments")
                .then()
                .statusCode(400)
                .body("code", equalTo("INVALID_SHIPMENT_FILE"))
                .body("message", containsString("line 1"));
        as(ORDER_ADMIN)
                .contentType("text/csv")
                .body(file)
                .post("/audit/shipments")
                .then()
                .statusCode(200)
                .body("recorded", equalTo(1))
                .body("devices", equalTo(3));
        as(ORDER_ADMIN)
                .contentType("text/csv")
                .body(file)
                .post("/audit/shipments")
                .then()
                .statusCode(200)
                .body("recorded", equalTo(0))
                .body("alreadyRecorded", equalTo(1));
        // The file's shipment goes on to the topic once, from audit, keyed by its order, for fleet-registry.
        List<ConsumerRecord<String, byte[]>> relayed = TestTopics.await(
                Topics.SHIPMENT_RECORDED, r -> TestTopics.value(r).contains("\"DN-b-" + run + "\""), 2, RELAY_WAIT);
        assertEquals(1, relayed.size());
        assertEquals(order, relayed.get(0).key());
        assertEquals("/imprint/audit", TestTopics.header(relayed.get(0), Headers.CE_SOURCE));
        assertEquals(
                List.of(d + 2, d + 5, "x-" + run),
                EventCodec.decode(relayed.get(0).value(), ShipmentRecordedV1.class)
                        .deviceIds());

        Awaitility.await().atMost(AuditTests.WAIT).untilAsserted(() -> {
            JsonPath line = line(factory, order);
            assertEquals(5, line.getInt("provisioned"));
            assertEquals(6, line.getInt("shipped"));
            assertEquals(2, line.getMap("rejectedByReason").size());
            assertEquals(List.of(revoked.deviceId()), line.getList("revokedButShipped"));
        });
        JsonPath line = line(factory, order);
        assertEquals(5, line.getInt("ordered"));
        assertEquals(List.of(d + 1), line.getList("unshippedDevices"));
        assertEquals(List.of("x-" + run), line.getList("shippedNotProvisioned"));
        assertEquals(List.of(d + 2), line.getList("duplicateShipments"));
        assertEquals(Map.of("QUOTA_EXHAUSTED", 2, "ATTESTATION_INVALID", 1), line.getMap("rejectedByReason"));
        assertFalse(line.getBoolean("reconciled"));
        assertTrue(as(AUDITOR)
                .get("/audit/reconciliation?factory=" + factory)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("orders.orderId")
                .stream()
                .noneMatch(forged::equals));
        as(AUDITOR)
                .get("/audit/reconciliation.csv?order=" + order)
                .then()
                .statusCode(200)
                .body(containsString(order + "," + factory + ",5,5,6,0,1,1,1,1,0,3,"));
        as(AUDITOR)
                .get("/audit/reconciliation/discrepancies.csv?order=" + order)
                .then()
                .statusCode(200)
                .body(containsString(order + "," + factory + ",shipped_not_provisioned,x-" + run + "\n"));
        as(AUDITOR)
                .get("/audit/reconciliation.html?order=" + order)
                .then()
                .statusCode(200)
                .body(containsString("Discrepancies found"))
                .body(containsString("x-" + run));
        as(AUDITOR)
                .get("/audit/reconciliation?from=2026-12-01T00:00:00Z&to=2026-11-01T00:00:00Z")
                .then()
                .statusCode(400)
                .body("code", equalTo("INVALID_QUERY"));

        // Signing off: an operator's; the document is checked with openssl and the infrastructure root alone.
        given().contentType("application/json")
                .body(Map.of("orderId", order))
                .post("/audit/reconciliation/sign-offs")
                .then()
                .statusCode(401);
        as(ORDER_ADMIN)
                .contentType("application/json")
                .body(Map.of("orderId", order))
                .post("/audit/reconciliation/sign-offs")
                .then()
                .statusCode(403);
        long id = as(AUDITOR)
                .contentType("application/json")
                .body(Map.of("factoryId", factory, "orderId", order))
                .post("/audit/reconciliation/sign-offs")
                .then()
                .statusCode(201)
                .body("reconciled", equalTo(false))
                .body("signedOffBy", equalTo(AUDITOR))
                .extract()
                .jsonPath()
                .getLong("id");
        byte[] document = as(AUDITOR)
                .get("/audit/reconciliation/sign-offs/" + id + "/report.json")
                .then()
                .statusCode(200)
                .extract()
                .asByteArray();
        Files.write(dir.resolve("report.json"), document);
        Files.write(
                dir.resolve("report.p7s"),
                as(AUDITOR)
                        .get("/audit/reconciliation/sign-offs/" + id + "/report.p7s")
                        .then()
                        .statusCode(200)
                        .contentType("application/pkcs7-signature")
                        .extract()
                        .asByteArray());
        Path root = TestToken.certificates().resolve("infrastructure-root-ca.pem");
        Path signature = dir.resolve("report.p7s");
        Path report = dir.resolve("report.json");
        Shell.Result good = TestOpenssl.cmsVerify(dir, signature, report, root);
        assertEquals(0, good.exit(), good.output());
        assertTrue(good.output().contains("Verification successful"), good.output());
        JsonPath signed = JsonPath.from(new String(document, StandardCharsets.UTF_8));
        assertEquals(List.of("x-" + run), signed.getList("report.orders[0].shippedNotProvisioned"));
        assertTrue(signed.getLong("checkpoint.treeSize") >= 12, "the checkpoint covers what the report read");

        Files.writeString(
                dir.resolve("report.json"),
                Files.readString(dir.resolve("report.json")).replace("\"shipped\":6", "\"shipped\":5"));
        Shell.Result tampered = TestOpenssl.cmsVerify(dir, signature, report, root);
        assertTrue(tampered.exit() != 0, "an edited report must not verify: " + tampered.output());
        as(AUDITOR)
                .get("/audit/reconciliation/sign-offs/999999/report.json")
                .then()
                .statusCode(404)
                .body("code", equalTo("SIGN_OFF_NOT_FOUND"));
    }

    private static JsonPath line(String factory, String order) {
        JsonPath report = as(AUDITOR)
                .get("/audit/reconciliation?factory=" + factory + "&order=" + order)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals(1, report.getList("orders").size());
        return report.setRootPath("orders[0]");
    }

    private static void rejected(String id, String factory, String order, ReasonCode reason) {
        TestEvents.publishSigned(
                new CsrRejectedV1(
                        "rj-" + id,
                        "dev-rejected-" + id,
                        factory,
                        "station-1",
                        order,
                        reason,
                        reason.name(),
                        "csr-intake",
                        Instant.now()),
                "dev-rejected-" + id,
                "csr-intake");
    }
}
