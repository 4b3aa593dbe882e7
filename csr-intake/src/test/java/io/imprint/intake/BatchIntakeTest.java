package io.imprint.intake;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imprint.contracts.EventCodec;
import io.imprint.contracts.Headers;
import io.imprint.contracts.ReasonCode;
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
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A poll's submissions decided together ({@link IntakeService#decideAll}) against the real database: every
 * decision is the one {@link IntakeService#decide} would have made record by record, in the poll's order.
 */
@QuarkusTest
@QuarkusTestResource(
        value = ImprintTestInfrastructure.class,
        initArgs = {
            @ResourceArg(name = ImprintTestInfrastructure.DATABASE, value = "true"),
            @ResourceArg(name = ImprintTestInfrastructure.VENDORS, value = "true")
        })
class BatchIntakeTest {
    private static final StationCredential STATION = TestStations.enrol("factory-a", "station-batch");
    private static final AtomicInteger OFFSETS =
            new AtomicInteger(UUID.randomUUID().hashCode() & 0xffff);

    @Inject
    IntakeService intake;

    @Test
    void aPollIsDecidedAsRecordByRecordWouldInItsOrder() {
        String order = Orders.create("factory-a", 3);
        String once = "dev-" + UUID.randomUUID();
        CsrSubmittedV1 first = submission(once, order);
        List<IntakeService.Submitted> poll = new ArrayList<>();
        poll.add(read(first));
        poll.add(read(submission("dev-" + UUID.randomUUID(), "po-" + UUID.randomUUID())));
        poll.add(read(submission(once, order))); // the same device again: decided after the first
        poll.add(read(first)); // the same request id at another offset: a replay
        for (int i = 0; i < 4; i++) {
            poll.add(read(submission("dev-" + UUID.randomUUID(), order)));
        }
        poll.add(forged(submission("dev-" + UUID.randomUUID(), order)));

        List<IntakeService.Decision> decisions = intake.decideAll(poll);

        assertEquals(poll.size(), decisions.size());
        assertInstanceOf(CsrAcceptedV1.class, decisions.get(0).event());
        assertEquals(ReasonCode.ORDER_UNKNOWN, reason(decisions.get(1)));
        assertEquals(ReasonCode.DEVICE_ALREADY_PROVISIONED, reason(decisions.get(2)));
        assertEquals(ReasonCode.REQUEST_REPLAYED, reason(decisions.get(3)));
        // three units of quota: the first device took one, the first two of the next four the rest
        assertInstanceOf(CsrAcceptedV1.class, decisions.get(4).event());
        assertInstanceOf(CsrAcceptedV1.class, decisions.get(5).event());
        assertEquals(ReasonCode.QUOTA_EXHAUSTED, reason(decisions.get(6)));
        assertEquals(ReasonCode.QUOTA_EXHAUSTED, reason(decisions.get(7)));
        assertEquals(ReasonCode.STATION_SIGNATURE_INVALID, reason(decisions.get(8)));
        assertNull(decisions.get(8).answerFactory(), "an unauthenticated record addresses no factory");
        for (int i = 0; i < 8; i++) {
            assertEquals("factory-a", decisions.get(i).answerFactory());
        }
        Set<String> serials = new HashSet<>();
        decisions.stream()
                .map(IntakeService.Decision::event)
                .filter(CsrAcceptedV1.class::isInstance)
                .forEach(e -> assertTrue(serials.add(((CsrAcceptedV1) e).serial()), "serials are distinct"));
        Orders.get("/orders/" + order)
                .then()
                .statusCode(200)
                .body("acceptedCount", equalTo(3))
                .body("remaining", equalTo(0));
    }

    @Test
    void aRedeliveredPollGetsItsStoredDecisionsAndTakesNoSecondToken() throws Exception {
        // factory-rl-station: stations get a burst of 3 and almost no refill (application.properties, %test).
        String stationId = "station-" + UUID.randomUUID();
        StationCredential station = TestStations.enrol("factory-rl-station", stationId);
        String order = Orders.create("factory-rl-station", 10);
        List<IntakeService.Submitted> poll = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            poll.add(read(TestSubmissions.submission(station, "dev-" + UUID.randomUUID(), order), station));
        }

        List<IntakeService.Decision> first = intake.decideAll(poll);
        List<IntakeService.Decision> again = intake.decideAll(poll);

        for (int i = 0; i < 3; i++) {
            assertInstanceOf(CsrAcceptedV1.class, first.get(i).event());
        }
        assertEquals(ReasonCode.RATE_LIMITED, reason(first.get(3)));
        assertTrue(((CsrRejectedV1) first.get(3).event()).message().startsWith("station"));
        List<ImprintEvent> firstEvents =
                first.subList(0, 3).stream().map(IntakeService.Decision::event).toList();
        List<ImprintEvent> againEvents =
                again.subList(0, 3).stream().map(IntakeService.Decision::event).toList();
        assertEquals(firstEvents, againEvents, "a redelivered record gets the decision stored for it, serial and all");
        assertEquals(ReasonCode.RATE_LIMITED, reason(again.get(3)), "an empty bucket stays empty");
        try (Connection db = TestDatabase.connect();
                Statement sql = db.createStatement();
                ResultSet bucket = sql.executeQuery("SELECT tokens FROM intake.rate_bucket WHERE bucket = '"
                        + "station:factory-rl-station/" + stationId + "'")) {
            assertTrue(bucket.next());
            assertEquals(0.0, bucket.getDouble(1), 0.01, "three accepted records, each delivered twice, took three");
        }
        Orders.get("/orders/" + order).then().body("acceptedCount", equalTo(3));
    }

    private static ReasonCode reason(IntakeService.Decision decision) {
        return assertInstanceOf(CsrRejectedV1.class, decision.event()).reason();
    }

    private static CsrSubmittedV1 submission(String deviceId, String order) {
        return TestSubmissions.submission(STATION, deviceId, order);
    }

    private static IntakeService.Submitted read(CsrSubmittedV1 submission) {
        return read(submission, STATION);
    }

    /** As the handler reads a record: signed by the station, at its own offset. */
    private static IntakeService.Submitted read(CsrSubmittedV1 submission, StationCredential station) {
        byte[] value = EventCodec.encode(submission);
        Map<String, String> credential = station.sign(value);
        return new IntakeService.Submitted(
                submission,
                credential.get(Headers.STATION_CERT),
                credential.get(Headers.STATION_SIGNATURE),
                value,
                "imprint.csr.submitted.v1/7/" + OFFSETS.incrementAndGet());
    }

    /** Signed over other bytes than the record's. */
    private static IntakeService.Submitted forged(CsrSubmittedV1 submission) {
        IntakeService.Submitted genuine = read(submission);
        byte[] value = EventCodec.encode(submission);
        value[value.length - 2] ^= 1;
        return new IntakeService.Submitted(
                submission, genuine.stationCert(), genuine.signature(), value, genuine.source());
    }
}
