package io.imprint.intake;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.imprint.contracts.EventCodec;
import io.imprint.contracts.Headers;
import io.imprint.contracts.ReasonCode;
import io.imprint.contracts.Topics;
import io.imprint.contracts.events.CsrAcceptedV1;
import io.imprint.contracts.events.CsrRejectedV1;
import io.imprint.contracts.events.CsrSubmittedV1;
import io.imprint.pki.csr.CsrBuilder;
import io.imprint.pki.station.StationCredential;
import io.imprint.testing.ImprintTestInfrastructure;
import io.imprint.testing.TestStations;
import io.imprint.testing.TestSubmissions;
import io.imprint.testing.TestTopics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** csr-intake on the real broker, with station credentials issued by the station CA in the real token. */
@QuarkusTest
@QuarkusTestResource(ImprintTestInfrastructure.class)
class CsrIntakeTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final StationCredential STATION = TestStations.enrol("factory-a", "station-1");

    @Test
    void acceptsSignedSubmissionFromEnrolledStation() {
        CsrSubmittedV1 submission = TestSubmissions.submission(STATION, "dev-" + UUID.randomUUID());
        TestSubmissions.publish(submission, STATION);
        ConsumerRecord<String, byte[]> record = awaitOne(Topics.CSR_ACCEPTED, submission.requestId());
        CsrAcceptedV1 accepted = EventCodec.decode(record.value(), CsrAcceptedV1.class);
        assertEquals(submission.deviceId(), accepted.deviceId());
        assertEquals(submission.deviceId(), record.key());
        assertEquals("idevid", accepted.profile());
        assertEquals("imprint.csr.accepted", TestTopics.header(record, Headers.CE_TYPE));
        assertEquals("/imprint/csr-intake", TestTopics.header(record, Headers.CE_SOURCE));
        assertEquals("1.0", TestTopics.header(record, Headers.CE_SPECVERSION));
    }

    @Test
    void rejectsSubmissionSignedByAnotherStationKey() {
        StationCredential thief = new StationCredential(TestStations.ecKey().getPrivate(), STATION.certificate());
        CsrSubmittedV1 submission = TestSubmissions.submission(STATION, "dev-" + UUID.randomUUID());
        TestSubmissions.publish(submission, thief);
        assertRejected(submission, ReasonCode.STATION_SIGNATURE_INVALID);
    }

    @Test
    void rejectsStationUsedForAnotherFactory() {
        CsrSubmittedV1 honest = TestSubmissions.submission(STATION, "dev-" + UUID.randomUUID());
        CsrSubmittedV1 elsewhere = new CsrSubmittedV1(honest.requestId(), honest.deviceId(), "factory-b",
                honest.stationId(), honest.orderId(), honest.submittedAt(), honest.csr());
        TestSubmissions.publish(elsewhere, STATION);
        assertRejected(elsewhere, ReasonCode.STATION_IDENTITY_MISMATCH);
    }

    @Test
    void rejectsExpiredStationCredential() {
        StationCredential lastShift = TestStations.enrol("factory-a", "station-2",
                Instant.now().minus(Duration.ofHours(10)), Duration.ofHours(8));
        CsrSubmittedV1 submission = TestSubmissions.submission(lastShift, "dev-" + UUID.randomUUID());
        TestSubmissions.publish(submission, lastShift);
        assertRejected(submission, ReasonCode.STATION_CERTIFICATE_EXPIRED);
    }

    @Test
    void rejectsCsrForAnotherDevice() {
        CsrSubmittedV1 honest = TestSubmissions.submission(STATION, "dev-" + UUID.randomUUID());
        CsrSubmittedV1 swapped = new CsrSubmittedV1(honest.requestId(), honest.deviceId(), honest.factoryId(),
                honest.stationId(), honest.orderId(), honest.submittedAt(),
                CsrBuilder.devicePem("someone-else", TestStations.ecKey(), "SHA256withECDSA"));
        TestSubmissions.publish(swapped, STATION);
        assertRejected(swapped, ReasonCode.CSR_SUBJECT_MISMATCH);
    }

    @Test
    void rejectsUnsignedSubmission() {
        CsrSubmittedV1 submission = TestSubmissions.submission(STATION, "dev-" + UUID.randomUUID());
        TestTopics.produce(Topics.CSR_SUBMITTED, submission.deviceId(), EventCodec.encode(submission), Map.of());
        assertRejected(submission, ReasonCode.STATION_CREDENTIAL_MISSING);
    }

    @Test
    void deadLettersPoisonRecordAndKeepsConsuming() {
        String poisonKey = "poison-" + UUID.randomUUID();
        TestTopics.produce(Topics.CSR_SUBMITTED, poisonKey, "{not json".getBytes(StandardCharsets.UTF_8), Map.of());
        CsrSubmittedV1 after = TestSubmissions.submission(STATION, "dev-" + UUID.randomUUID());
        TestSubmissions.publish(after, STATION);

        List<ConsumerRecord<String, byte[]>> dead = TestTopics.await(Topics.deadLetter(Topics.CSR_SUBMITTED,
                "csr-intake"), r -> poisonKey.equals(r.key()), 1, WAIT);
        assertEquals(1, dead.size(), "poison record in the DLQ");
        assertEquals("{not json", TestTopics.value(dead.get(0)));
        assertNotNull(TestTopics.header(dead.get(0), Headers.DLQ_REASON));
        assertEquals(Topics.CSR_SUBMITTED, TestTopics.header(dead.get(0), Headers.DLQ_TOPIC));
        awaitOne(Topics.CSR_ACCEPTED, after.requestId());
    }

    @Test
    void exposesHealthAndDecisionMetrics() {
        CsrSubmittedV1 submission = TestSubmissions.submission(STATION, "dev-" + UUID.randomUUID());
        TestSubmissions.publish(submission, STATION);
        awaitOne(Topics.CSR_ACCEPTED, submission.requestId());
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("imprint_intake_decisions_total{outcome=\"accepted\""));
    }

    private static void assertRejected(CsrSubmittedV1 submission, ReasonCode expected) {
        CsrRejectedV1 rejected = EventCodec.decode(awaitOne(Topics.CSR_REJECTED, submission.requestId()).value(),
                CsrRejectedV1.class);
        assertEquals(expected, rejected.reason(), rejected.message());
        assertEquals("csr-intake", rejected.rejectedBy());
        assertEquals(submission.deviceId(), rejected.deviceId());
    }

    private static ConsumerRecord<String, byte[]> awaitOne(String topic, String requestId) {
        List<ConsumerRecord<String, byte[]>> found = TestTopics.await(topic,
                r -> TestTopics.value(r).contains("\"requestId\":\"" + requestId + "\""), 1, WAIT);
        assertEquals(1, found.size(), "one record for request " + requestId + " on " + topic);
        return found.get(0);
    }
}
