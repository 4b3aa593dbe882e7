package io.imprint.intake;

import static io.imprint.intake.Decisions.assertAccepted;
import static io.imprint.intake.Decisions.assertRejected;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imprint.contracts.EventCodec;
import io.imprint.contracts.Headers;
import io.imprint.contracts.ReasonCode;
import io.imprint.contracts.Topics;
import io.imprint.contracts.events.CsrAcceptedV1;
import io.imprint.contracts.events.CsrRejectedV1;
import io.imprint.contracts.events.CsrSubmittedV1;
import io.imprint.contracts.events.ImprintEvent;
import io.imprint.intake.service.IntakeService;
import io.imprint.pki.station.StationCredential;
import io.imprint.testing.ImprintTestInfrastructure;
import io.imprint.testing.TestDatabase;
import io.imprint.testing.TestStations;
import io.imprint.testing.TestSubmissions;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** Orders, quotas, rate limits, replays and re-provisioning, each through the real broker and database. */
@QuarkusTest
@QuarkusTestResource(
        value = ImprintTestInfrastructure.class,
        initArgs = {
            @ResourceArg(name = ImprintTestInfrastructure.DATABASE, value = "true"),
            @ResourceArg(name = ImprintTestInfrastructure.VENDORS, value = "true")
        })
class ProductionOrderIntakeTest {
    private static final StationCredential STATION = TestStations.enrol("factory-a", "station-1");

    @Test
    void rejectsSubmissionsOutsideTheirOrder() {
        String other = Orders.create("factory-b", 5);
        String closed = Orders.create("factory-a", 5);
        Orders.post("/orders/" + closed + "/close", Map.of())
                .then()
                .statusCode(200)
                .body("status", equalTo("CLOSED"));
        String patterned = Orders.create("factory-a", 5, Map.of("deviceIdPattern", "SN-[0-9]{6}"));
        String se050Only = Orders.create("factory-a", 5, Map.of("secureElementTypes", List.of("SE050")));
        String expired = Orders.create(
                "factory-a", 5, Map.of("notBefore", "2020-01-01T00:00:00Z", "notAfter", "2020-02-01T00:00:00Z"));

        CsrSubmittedV1 unknown = submit("dev-" + UUID.randomUUID(), "po-" + UUID.randomUUID());
        CsrSubmittedV1 foreign = submit("dev-" + UUID.randomUUID(), other);
        CsrSubmittedV1 afterClose = submit("dev-" + UUID.randomUUID(), closed);
        CsrSubmittedV1 late = submit("dev-" + UUID.randomUUID(), expired);
        CsrSubmittedV1 badId = submit("dev-" + UUID.randomUUID(), patterned);
        CsrSubmittedV1 wrongElement = submit("dev-" + UUID.randomUUID(), se050Only);

        assertRejected(unknown, ReasonCode.ORDER_UNKNOWN);
        assertRejected(foreign, ReasonCode.ORDER_FACTORY_MISMATCH);
        assertRejected(afterClose, ReasonCode.ORDER_NOT_OPEN);
        assertRejected(late, ReasonCode.ORDER_NOT_OPEN);
        assertRejected(badId, ReasonCode.DEVICE_ID_NOT_ALLOWED);
        assertRejected(wrongElement, ReasonCode.SECURE_ELEMENT_NOT_ALLOWED);
    }

    @Test
    void neverAcceptsMoreThanTheOrderedQuantity() {
        String order = Orders.create("factory-a", 3);
        List<CsrSubmittedV1> submissions = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            submissions.add(submit("dev-" + UUID.randomUUID(), order));
        }
        Map<String, ConsumerRecord<String, byte[]>> decisions = Decisions.await(submissions);
        assertEquals(3, Decisions.count(decisions, Topics.CSR_ACCEPTED));
        decisions.values().stream()
                .filter(r -> r.topic().equals(Topics.CSR_REJECTED))
                .map(r -> EventCodec.decode(r.value(), CsrRejectedV1.class))
                .forEach(r -> assertEquals(ReasonCode.QUOTA_EXHAUSTED, r.reason(), r.message()));
        Orders.get("/orders/" + order)
                .then()
                .statusCode(200)
                .body("acceptedCount", equalTo(3))
                .body("remaining", equalTo(0));
    }

    @Test
    void requestIdIsUniqueForever() {
        String order = Orders.create("factory-a", 5);
        CsrSubmittedV1 submission = submit("dev-" + UUID.randomUUID(), order);
        assertAccepted(submission);
        TestSubmissions.publish(submission, STATION); // the same signed record, published again
        List<ConsumerRecord<String, byte[]>> rejected = io.imprint.testing.TestTopics.await(
                Topics.CSR_REJECTED, r -> submission.requestId().equals(Decisions.requestId(r)), 1, Decisions.WAIT);
        assertEquals(1, rejected.size());
        assertEquals(
                ReasonCode.REQUEST_REPLAYED,
                EventCodec.decode(rejected.get(0).value(), CsrRejectedV1.class).reason());
        Orders.get("/orders/" + order).then().body("acceptedCount", equalTo(1));
    }

    @Inject
    IntakeService intake;

    @Test
    void redeliveredRecordGetsItsStoredDecisionWhileTheSameRequestElsewhereIsAReplay() {
        String order = Orders.create("factory-a", 5);
        CsrSubmittedV1 submission = TestSubmissions.submission(STATION, "dev-" + UUID.randomUUID(), order);
        byte[] value = EventCodec.encode(submission);
        Map<String, String> credential = STATION.sign(value);
        String cert = credential.get(Headers.STATION_CERT);
        String signature = credential.get(Headers.STATION_SIGNATURE);
        String source = "imprint.csr.submitted.v1/3/" + UUID.randomUUID().hashCode();

        ImprintEvent first =
                intake.decide(submission, cert, signature, value, source).event();
        ImprintEvent redelivered =
                intake.decide(submission, cert, signature, value, source).event();
        IntakeService.Decision replay =
                intake.decide(submission, cert, signature, value, "imprint.csr.submitted.v1/4/1");
        ImprintEvent replayed = replay.event();

        assertInstanceOf(CsrAcceptedV1.class, first);
        assertEquals(first, redelivered, "the same record again yields the same decision, not a second one");
        assertEquals(
                ((CsrAcceptedV1) first).serial(),
                ((CsrAcceptedV1) redelivered).serial(),
                "and the same certificate serial");
        assertEquals(
                ReasonCode.REQUEST_REPLAYED,
                assertInstanceOf(CsrRejectedV1.class, replayed).reason());
        assertEquals("factory-a", replay.answerFactory(), "the authenticated station's factory gets the answer");
        Orders.get("/orders/" + order).then().body("acceptedCount", equalTo(1));
    }

    @Test
    void acceptedRequestsGetCsprngSerialsStoredUnderAUniqueIndex() throws Exception {
        String order = Orders.create("factory-a", 5);
        CsrAcceptedV1 one = assertAccepted(submit("dev-" + UUID.randomUUID(), order));
        CsrAcceptedV1 two = assertAccepted(submit("dev-" + UUID.randomUUID(), order));
        assertEquals(32, one.serial().length(), "16 octets, the top bits 01: always 32 hex digits");
        assertTrue(!one.serial().equals(two.serial()));
        try (Connection db = TestDatabase.connect();
                Statement sql = db.createStatement()) {
            ResultSet stored = sql.executeQuery(
                    "SELECT serial FROM intake.intake_request WHERE request_id = '" + one.requestId() + "'");
            assertTrue(stored.next());
            assertEquals(one.serial(), stored.getString(1));
            SQLException duplicate = assertThrows(
                    SQLException.class,
                    () -> sql.executeUpdate("UPDATE intake.intake_request SET serial = '" + one.serial()
                            + "' WHERE request_id = '" + two.requestId() + "'"));
            assertEquals("23505", duplicate.getSQLState(), "unique_violation: " + duplicate.getMessage());
        }
    }

    @Test
    void aRedeliveredRecordTakesNoSecondRateLimitToken() throws Exception {
        // factory-rl-station: stations get a burst of 3 and almost no refill (application.properties, %test).
        String stationId = "station-" + UUID.randomUUID();
        StationCredential station = TestStations.enrol("factory-rl-station", stationId);
        String order = Orders.create("factory-rl-station", 10);
        CsrSubmittedV1 submission = TestSubmissions.submission(station, "dev-" + UUID.randomUUID(), order);
        byte[] value = EventCodec.encode(submission);
        Map<String, String> credential = station.sign(value);
        String source = "imprint.csr.submitted.v1/5/" + UUID.randomUUID().hashCode();
        for (int delivery = 0; delivery < 3; delivery++) {
            assertInstanceOf(
                    CsrAcceptedV1.class,
                    intake.decide(
                                    submission,
                                    credential.get(Headers.STATION_CERT),
                                    credential.get(Headers.STATION_SIGNATURE),
                                    value,
                                    source)
                            .event());
        }
        try (Connection db = TestDatabase.connect();
                Statement sql = db.createStatement();
                java.sql.ResultSet bucket = sql.executeQuery("SELECT tokens FROM intake.rate_bucket WHERE bucket = '"
                        + "station:factory-rl-station/" + stationId + "'")) {
            assertTrue(bucket.next());
            assertEquals(2.0, bucket.getDouble(1), 0.01, "one record, delivered three times, took one token");
        }
    }

    @Test
    void deviceIsProvisionedOnceUnlessItsOrderAllowsReprovisioning() {
        String once = Orders.create("factory-a", 5);
        String device = "dev-" + UUID.randomUUID();
        assertAccepted(submit(device, once));
        assertRejected(submit(device, once), ReasonCode.DEVICE_ALREADY_PROVISIONED);

        String rework = Orders.create("factory-a", 5, Map.of("allowReprovisioning", true));
        assertAccepted(submit(device, rework));
        assertAccepted(submit(device, rework));
        Orders.get("/orders/" + rework).then().body("acceptedCount", equalTo(2));
    }

    @Test
    void stationOverItsRateIsRejectedWithTheLimit() {
        // factory-rl-station: stations get a burst of 3 and almost no refill (application.properties, %test).
        StationCredential station = TestStations.enrol("factory-rl-station", "station-" + UUID.randomUUID());
        String order = Orders.create("factory-rl-station", 10);
        List<CsrSubmittedV1> submissions = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            CsrSubmittedV1 s = TestSubmissions.submission(station, "dev-" + UUID.randomUUID(), order);
            TestSubmissions.publish(s, station);
            submissions.add(s);
        }
        assertRateLimited(submissions, 3, "station");
    }

    @Test
    void factoryOverItsRateIsRejectedAcrossItsStations() throws Exception {
        // factory-rl: the factory gets a burst of 3, shared by its stations. The test database outlives runs,
        // and the bucket barely refills, so start from a full bucket.
        try (Connection db = TestDatabase.connect();
                Statement sql = db.createStatement()) {
            sql.executeUpdate("DELETE FROM intake.rate_bucket WHERE bucket = 'factory:factory-rl'");
        }
        StationCredential one = TestStations.enrol("factory-rl", "station-" + UUID.randomUUID());
        StationCredential two = TestStations.enrol("factory-rl", "station-" + UUID.randomUUID());
        String order = Orders.create("factory-rl", 10);
        List<CsrSubmittedV1> submissions = new ArrayList<>();
        for (StationCredential station : List.of(one, two, one, two)) {
            CsrSubmittedV1 s = TestSubmissions.submission(station, "dev-" + UUID.randomUUID(), order);
            TestSubmissions.publish(s, station);
            submissions.add(s);
        }
        assertRateLimited(submissions, 3, "factory");
    }

    private static void assertRateLimited(List<CsrSubmittedV1> submissions, int allowed, String limited) {
        Map<String, ConsumerRecord<String, byte[]>> decisions = Decisions.await(submissions);
        assertEquals(allowed, Decisions.count(decisions, Topics.CSR_ACCEPTED));
        List<CsrRejectedV1> rejected = decisions.values().stream()
                .filter(r -> r.topic().equals(Topics.CSR_REJECTED))
                .map(r -> EventCodec.decode(r.value(), CsrRejectedV1.class))
                .toList();
        assertEquals(submissions.size() - allowed, rejected.size());
        for (CsrRejectedV1 r : rejected) {
            assertEquals(ReasonCode.RATE_LIMITED, r.reason(), r.message());
            assertTrue(r.message().startsWith(limited) && r.message().contains("bursts of 3"), r.message());
        }
    }

    private static CsrSubmittedV1 submit(String deviceId, String order) {
        CsrSubmittedV1 submission = TestSubmissions.submission(STATION, deviceId, order);
        TestSubmissions.publish(submission, STATION);
        return submission;
    }
}
