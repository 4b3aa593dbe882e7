package io.imprint.intake;

import static io.imprint.testing.TestOperators.AUDITOR;
import static io.imprint.testing.TestOperators.NO_ROLE;
import static io.imprint.testing.TestOperators.ORDER_ADMIN;
import static io.imprint.testing.TestOperators.REVOKER;
import static io.imprint.testing.TestOperators.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.imprint.contracts.EventCodec;
import io.imprint.contracts.Headers;
import io.imprint.contracts.Topics;
import io.imprint.contracts.events.OrderChangedV1;
import io.imprint.contracts.events.OrderRequestedV1;
import io.imprint.contracts.events.StationRevokedV1;
import io.imprint.pki.signing.PemCredentials;
import io.imprint.pki.signing.ServiceCommandVerifier;
import io.imprint.testing.ImprintTestInfrastructure;
import io.imprint.testing.TestEvents;
import io.imprint.testing.TestIdentities;
import io.imprint.testing.TestOperators;
import io.imprint.testing.TestTopics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The production-order API: authentication, validation, conflicts, listing and closing. */
@QuarkusTest
@QuarkusTestResource(
        value = ImprintTestInfrastructure.class,
        initArgs = {
            @ResourceArg(name = ImprintTestInfrastructure.DATABASE, value = "true"),
            @ResourceArg(name = ImprintTestInfrastructure.VENDORS, value = "true")
        })
class OperatorApiTest {
    @Test
    void refusesCallsWithoutAnOperatorCertificateOrTheRole() {
        given().get("/orders").then().statusCode(401).body("code", equalTo("UNAUTHORIZED"));
        // A bearer token authenticates nobody: operators are people with certificates.
        given().header("Authorization", "Bearer wrong-token-wrong-token-wrong-token")
                .get("/orders/x")
                .then()
                .statusCode(401);
        given().contentType("application/json")
                .body(Map.of("serialNumber", "01"))
                .post("/stations/revocations")
                .then()
                .statusCode(401)
                .body("code", equalTo("UNAUTHORIZED"));
        // Authentication comes before the body is read: nobody unauthenticated learns how a body is parsed.
        given().contentType("application/json")
                .body("{not json")
                .post("/orders")
                .then()
                .statusCode(401);
        given().header("Authorization", "Basic b3BlcmF0b3I6b3BlcmF0b3I=")
                .get("/orders")
                .then()
                .statusCode(401);
        // Authenticated, but without the role: a revoker does not create orders; an auditor reads them only.
        for (String operator : List.of(REVOKER, AUDITOR, NO_ROLE)) {
            as(operator)
                    .contentType("application/json")
                    .body("{not json")
                    .post("/orders")
                    .then()
                    .statusCode(403)
                    .body("code", equalTo("FORBIDDEN"));
        }
        as(AUDITOR).get("/orders").then().statusCode(200);
        as(REVOKER).get("/orders").then().statusCode(403);
        // The HTTPS port asks for certificates of the operator CA only: a service's authenticates nobody.
        TestOperators.presenting(TestIdentities.file("csr-intake"))
                .get("/orders")
                .then()
                .statusCode(401)
                .body("code", equalTo("UNAUTHORIZED"));
        // An operator's certificate opens nothing else: health stays public.
        given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void validatesOrdersAndNeverReusesAnOrderId() {
        Orders.post(
                        "/orders",
                        Map.of(
                                "orderId",
                                "po-bad",
                                "factoryId",
                                "factory-a",
                                "productModel",
                                "m",
                                "quantity",
                                0,
                                "notAfter",
                                "2099-01-01T00:00:00Z"))
                .then()
                .statusCode(400)
                .body("code", equalTo("INVALID_ORDER"));
        Orders.post(
                        "/orders",
                        Map.of(
                                "orderId",
                                "po-bad",
                                "factoryId",
                                "factory-a",
                                "productModel",
                                "m",
                                "quantity",
                                1,
                                "notAfter",
                                "2099-01-01T00:00:00Z",
                                "deviceIdPattern",
                                "(["))
                .then()
                .statusCode(400);
        Orders.post(
                        "/orders",
                        Map.of(
                                "orderId",
                                "po-bad",
                                "factoryId",
                                "factory-a",
                                "productModel",
                                "m",
                                "quantity",
                                1,
                                "notAfter",
                                "2099-01-01T00:00:00Z",
                                "issuingCa",
                                "no-such-ca"))
                .then()
                .statusCode(400);
        Orders.post(
                        "/orders",
                        Map.of(
                                "orderId",
                                "po-bad",
                                "factoryId",
                                "factory-a",
                                "productModel",
                                "m",
                                "quantity",
                                1,
                                "notAfter",
                                "2099-01-01T00:00:00Z",
                                "profile",
                                "no-such-profile"))
                .then()
                .statusCode(400)
                .body("message", containsString("profile must be one of [idevid, hmn]"));
        // Lists longer than their columns are refused up front, not by a failed insert (500).
        List<String> types = java.util.stream.IntStream.range(0, 10)
                .mapToObj(i -> ("SE" + i).repeat(40))
                .toList();
        Orders.post(
                        "/orders",
                        Map.of(
                                "orderId",
                                "po-bad",
                                "factoryId",
                                "factory-a",
                                "productModel",
                                "m",
                                "quantity",
                                1,
                                "notAfter",
                                "2099-01-01T00:00:00Z",
                                "secureElementTypes",
                                types))
                .then()
                .statusCode(400)
                .body("message", containsString("secureElementTypes may take at most 512"));
        List<String> oids = java.util.stream.IntStream.range(0, 8)
                .mapToObj(i -> "1" + ".1234567890".repeat(19) + "." + (1_000_000_000 + i))
                .toList();
        Orders.post(
                        "/orders",
                        Map.of(
                                "orderId",
                                "po-bad",
                                "factoryId",
                                "factory-a",
                                "productModel",
                                "m",
                                "quantity",
                                1,
                                "notAfter",
                                "2099-01-01T00:00:00Z",
                                "ignoredCsrAttributes",
                                oids))
                .then()
                .statusCode(400)
                .body("code", equalTo("INVALID_ORDER"));
        String order = Orders.create("factory-a", 7);
        Orders.post(
                        "/orders",
                        Map.of(
                                "orderId",
                                order,
                                "factoryId",
                                "factory-a",
                                "productModel",
                                "m",
                                "quantity",
                                1,
                                "notAfter",
                                "2099-01-01T00:00:00Z"))
                .then()
                .statusCode(409)
                .body("code", equalTo("ORDER_EXISTS"));
    }

    @Test
    void listsAndClosesOrders() {
        String order = Orders.create(
                "factory-list", 7, Map.of("deviceIdRange", Map.of("first", "SN-0100", "last", "SN-0199")));
        Orders.get("/orders?factoryId=factory-list&status=OPEN")
                .then()
                .statusCode(200)
                .body("orderId", hasItem(order));
        Orders.get("/orders").then().statusCode(200).body("orderId", hasItem(order));
        Orders.get("/orders/" + order)
                .then()
                .statusCode(200)
                .body("quantity", equalTo(7))
                .body("remaining", equalTo(7))
                .body("deviceIdRange.first", equalTo("SN-0100"))
                .body("status", equalTo("OPEN"));
        Orders.post("/orders/" + order + "/close", Map.of())
                .then()
                .statusCode(200)
                .body("status", equalTo("CLOSED"));
        Orders.get("/orders/po-does-not-exist").then().statusCode(404).body("code", equalTo("ORDER_NOT_FOUND"));
    }

    @Test
    void everyCommittedOrderChangeReachesAuditOnceSignedByIntake() throws Exception {
        String order = Orders.create("factory-events", 5, Map.of());
        Orders.post("/orders/" + order + "/close", Map.of()).then().statusCode(200);
        // Closing a closed order changes nothing, so it announces nothing.
        Orders.post("/orders/" + order + "/close", Map.of()).then().statusCode(200);
        List<ConsumerRecord<String, byte[]>> changes =
                TestTopics.await(Topics.ORDER_CHANGED, r -> order.equals(r.key()), 3, Duration.ofSeconds(15));
        assertEquals(2, changes.size(), "one event per change, none for the repeated close");
        List<String> statuses = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : changes) {
            assertSignedByIntake(record);
            assertEquals("imprint.order.changed", TestTopics.header(record, "ce_type"));
            OrderChangedV1 change = EventCodec.decode(record.value(), OrderChangedV1.class);
            assertEquals("factory-events", change.factoryId());
            assertEquals(5, change.quantity());
            assertEquals(ORDER_ADMIN, change.operator());
            statuses.add(change.status());
        }
        assertEquals(List.of(OrderChangedV1.OPEN, OrderChangedV1.CLOSED), statuses);
    }

    @Test
    void aStationRevocationReachesAuditOnceSignedByIntake() throws Exception {
        String serial = Long.toHexString(System.nanoTime()) + "ab";
        Orders.post(
                        "/stations/revocations",
                        Map.of("serialNumber", serial.toUpperCase(java.util.Locale.ROOT), "comment", "stolen"))
                .then()
                .statusCode(201);
        // Revoking it again changes nothing, so it announces nothing.
        Orders.post("/stations/revocations", Map.of("serialNumber", serial))
                .then()
                .statusCode(200);
        List<ConsumerRecord<String, byte[]>> revocations =
                TestTopics.await(Topics.STATION_REVOKED, r -> serial.equals(r.key()), 2, Duration.ofSeconds(15));
        assertEquals(1, revocations.size(), "one event per revocation, none for the repeated one");
        ConsumerRecord<String, byte[]> record = revocations.get(0);
        assertSignedByIntake(record);
        assertEquals("imprint.station.revoked", TestTopics.header(record, "ce_type"));
        StationRevokedV1 revoked = EventCodec.decode(record.value(), StationRevokedV1.class);
        assertEquals(serial, revoked.serialNumber());
        assertEquals("stolen", revoked.comment());
        assertEquals(ORDER_ADMIN, revoked.operator());
    }

    /**
     * An order opened and closed by an operator's signed record (how headquarters reaches an offline factory) is made
     * as the API makes it, in that operator's name; one signed by an operator without order-admin, or unsigned, is set
     * aside with its reason and opens nothing; read again, a request changes nothing more; an invalid one is refused
     * with the API's reason.
     */
    @Test
    void ordersRequestedBySignedRecordsAreOpenedAndClosedOnceAndOnlyForAnOrderAdmin() throws Exception {
        String order = "po-rec-" + UUID.randomUUID();
        Instant notAfter = Instant.now().plus(Duration.ofDays(3)).truncatedTo(ChronoUnit.SECONDS);
        OrderRequestedV1 byRevoker = open("po-rec-" + UUID.randomUUID(), REVOKER, notAfter);
        TestOperators.publishSigned(byRevoker, byRevoker.orderId(), REVOKER);
        OrderRequestedV1 unsigned = open("po-rec-" + UUID.randomUUID(), ORDER_ADMIN, notAfter);
        TestEvents.publish(unsigned, unsigned.orderId());
        OrderRequestedV1 invalid = open("po-rec-" + UUID.randomUUID(), ORDER_ADMIN, notAfter, 0L);
        TestOperators.publishSigned(invalid, invalid.orderId(), ORDER_ADMIN);
        // 1 - 2^32: cut to an int it would read as 1.
        OrderRequestedV1 wrapping = open("po-rec-" + UUID.randomUUID(), ORDER_ADMIN, notAfter, 1L - (1L << 32));
        TestOperators.publishSigned(wrapping, wrapping.orderId(), ORDER_ADMIN);
        String dlq = Topics.deadLetter(Topics.ORDER_REQUESTED, "csr-intake");
        for (var refused : List.of(
                List.of(byRevoker.orderId(), "REQUEST_SIGNER_NOT_AUTHORIZED"),
                List.of(unsigned.orderId(), "REQUEST_UNSIGNED"),
                List.of(invalid.orderId(), "MALFORMED_EVENT"),
                List.of(wrapping.orderId(), "MALFORMED_EVENT"))) {
            List<ConsumerRecord<String, byte[]>> dead =
                    TestTopics.await(dlq, r -> refused.get(0).equals(r.key()), 1, Duration.ofSeconds(30));
            assertEquals(1, dead.size(), refused.get(0));
            assertEquals(refused.get(1), TestTopics.header(dead.get(0), Headers.DLQ_CODE));
            Orders.get("/orders/" + refused.get(0)).then().statusCode(404);
        }

        OrderRequestedV1 opening = open(order, ORDER_ADMIN, notAfter);
        TestOperators.publishSigned(opening, order, ORDER_ADMIN);
        TestOperators.publishSigned(opening, order, ORDER_ADMIN);
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> Orders.get("/orders/" + order)
                        .then()
                        .statusCode(200)
                        .body("status", equalTo("OPEN"))
                        .body("quantity", equalTo(12))
                        .body("factoryId", equalTo("factory-rec")));
        OrderRequestedV1 closing = new OrderRequestedV1(
                UUID.randomUUID().toString(),
                OrderRequestedV1.CLOSE,
                order,
                null,
                null,
                null,
                null,
                null,
                ORDER_ADMIN,
                Instant.now());
        TestOperators.publishSigned(closing, order, ORDER_ADMIN);
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> Orders.get("/orders/" + order).then().body("status", equalTo("CLOSED")));
        // The opening read once more after the close reopens nothing.
        TestOperators.publishSigned(opening, order, ORDER_ADMIN);
        List<ConsumerRecord<String, byte[]>> changes =
                TestTopics.await(Topics.ORDER_CHANGED, r -> order.equals(r.key()), 3, Duration.ofSeconds(10));
        assertEquals(2, changes.size(), "opened once and closed once");
        for (ConsumerRecord<String, byte[]> record : changes) {
            assertSignedByIntake(record);
            assertEquals(
                    ORDER_ADMIN,
                    EventCodec.decode(record.value(), OrderChangedV1.class).operator());
        }
        Orders.get("/orders/" + order).then().body("status", equalTo("CLOSED"));
    }

    private static OrderRequestedV1 open(String order, String operator, Instant notAfter) {
        return open(order, operator, notAfter, 12L);
    }

    private static OrderRequestedV1 open(String order, String operator, Instant notAfter, long quantity) {
        return new OrderRequestedV1(
                UUID.randomUUID().toString(),
                OrderRequestedV1.OPEN,
                order,
                "factory-rec",
                "sensor",
                quantity,
                null,
                notAfter,
                operator,
                Instant.now().truncatedTo(ChronoUnit.MILLIS));
    }

    /** Signed by csr-intake, as audit checks it: over the exact value, with a certificate of the service CA. */
    private static void assertSignedByIntake(ConsumerRecord<String, byte[]> record) throws Exception {
        ServiceCommandVerifier verifier = new ServiceCommandVerifier(
                PemCredentials.certificates(TestIdentities.serviceCa()).get(0));
        assertEquals(
                "csr-intake",
                verifier.verify(
                                TestTopics.header(record, Headers.SERVICE_CERT),
                                TestTopics.header(record, Headers.SERVICE_SIGNATURE),
                                record.value(),
                                Instant.now(),
                                Set.of("csr-intake"))
                        .name());
    }
}
