package io.imprint.intake;

import static io.imprint.intake.Decisions.assertAccepted;
import static io.imprint.intake.Decisions.assertRejected;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.imprint.contracts.EventCodec;
import io.imprint.contracts.Headers;
import io.imprint.contracts.ReasonCode;
import io.imprint.contracts.Topics;
import io.imprint.contracts.events.CsrAcceptedV1;
import io.imprint.contracts.events.CsrSubmittedV1;
import io.imprint.pki.CertificateTemplates;
import io.imprint.pki.Providers;
import io.imprint.pki.Serials;
import io.imprint.pki.UntrustedEventException;
import io.imprint.pki.signing.PemCredentials;
import io.imprint.pki.signing.ServiceCommandVerifier;
import io.imprint.pki.station.StationCredential;
import io.imprint.pki.station.StationIdentity;
import io.imprint.testing.ImprintTestInfrastructure;
import io.imprint.testing.TestIdentities;
import io.imprint.testing.TestStations;
import io.imprint.testing.TestSubmissions;
import io.imprint.testing.TestTopics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

/** csr-intake on the real broker: station credentials, issued by the station CA in the real token. */
@QuarkusTest
@QuarkusTestResource(
        value = ImprintTestInfrastructure.class,
        initArgs = {
            @ResourceArg(name = ImprintTestInfrastructure.DATABASE, value = "true"),
            @ResourceArg(name = ImprintTestInfrastructure.VENDORS, value = "true")
        })
class CsrIntakeTest {
    private static final StationCredential STATION = TestStations.enrol("factory-a", "station-1");

    @Test
    void acceptsSignedSubmissionUnderOpenOrder() {
        String order = Orders.create("factory-a", 5);
        CsrSubmittedV1 submission = TestSubmissions.submission(STATION, "dev-" + UUID.randomUUID(), order);
        TestSubmissions.publish(submission, STATION);
        ConsumerRecord<String, byte[]> record = Decisions.awaitOne(submission);
        assertEquals(Topics.CSR_ACCEPTED, record.topic(), TestTopics.value(record));
        CsrAcceptedV1 accepted = EventCodec.decode(record.value(), CsrAcceptedV1.class);
        assertEquals(submission.deviceId(), accepted.deviceId());
        assertEquals(submission.deviceId(), record.key());
        assertEquals("idevid", accepted.profile());
        assertEquals("issuing-ca", accepted.issuingCa());
        assertEquals(order, accepted.orderId());
        assertEquals("imprint.csr.accepted", TestTopics.header(record, Headers.CE_TYPE));
        assertEquals("/imprint/csr-intake", TestTopics.header(record, Headers.CE_SOURCE));
        assertEquals("1.0", TestTopics.header(record, Headers.CE_SPECVERSION));
    }

    @Test
    void acceptanceIsSignedWithIntakesIdentityOverItsExactBytes() throws Exception {
        String order = Orders.create("factory-a", 5);
        CsrSubmittedV1 submission = TestSubmissions.submission(STATION, "dev-" + UUID.randomUUID(), order);
        TestSubmissions.publish(submission, STATION);
        ConsumerRecord<String, byte[]> record = Decisions.awaitOne(submission);
        ServiceCommandVerifier verifier = new ServiceCommandVerifier(
                PemCredentials.certificates(TestIdentities.serviceCa()).get(0));
        String certificate = TestTopics.header(record, Headers.SERVICE_CERT);
        String signature = TestTopics.header(record, Headers.SERVICE_SIGNATURE);
        assertEquals(
                "csr-intake",
                verifier.verify(certificate, signature, record.value(), Instant.now(), Set.of("csr-intake"))
                        .name());
        byte[] altered = TestTopics.value(record)
                .replace(submission.deviceId(), "dev-other")
                .getBytes(StandardCharsets.UTF_8);
        assertThrows(
                UntrustedEventException.class,
                () -> verifier.verify(certificate, signature, altered, Instant.now(), Set.of("csr-intake")));
    }

    @Test
    void aRejectionReachesTheAuthenticatedStationsFactoryAndOnlyIt() {
        String factory = "factory-r" + UUID.randomUUID().toString().substring(0, 8);
        StationCredential station = TestStations.enrolAndGrant(factory, "station-r");
        CsrSubmittedV1 refused = TestSubmissions.submission(station, "dev-" + UUID.randomUUID(), "po-none");
        TestSubmissions.publish(refused, station);
        assertRejected(refused, ReasonCode.ORDER_UNKNOWN);
        List<ConsumerRecord<String, byte[]>> answers = TestTopics.await(
                Topics.stationResults(factory),
                r -> TestTopics.value(r).contains(refused.requestId()),
                1,
                Duration.ofSeconds(30));
        assertEquals(1, answers.size(), "the station reads its answer on its factory's results topic");
        assertEquals("imprint.csr.rejected", TestTopics.header(answers.get(0), Headers.CE_TYPE));

        // Whoever holds no valid credential of that station addresses no factory: the answer is not copied.
        StationCredential forger = new StationCredential(TestStations.ecKey().getPrivate(), station.certificate());
        CsrSubmittedV1 forged = TestSubmissions.submission(station, "dev-" + UUID.randomUUID(), "po-none");
        TestSubmissions.publish(forged, forger);
        assertRejected(forged, ReasonCode.STATION_SIGNATURE_INVALID);
        assertEquals(
                0,
                TestTopics.await(
                                Topics.stationResults(factory),
                                r -> TestTopics.value(r).contains(forged.requestId()),
                                1,
                                Duration.ofSeconds(2))
                        .size());
    }

    @Test
    void theOrderPicksTheProfileAndIssuingCaTheSignerApplies() {
        String order = Orders.create("factory-a", 5, Map.of("profile", "hmn", "issuingCa", "issuing-ca"));
        Orders.get("/orders/" + order).then().statusCode(200).body("profile", equalTo("hmn"));
        CsrSubmittedV1 submission = TestSubmissions.submission(STATION, "dev-" + UUID.randomUUID(), order);
        TestSubmissions.publish(submission, STATION);
        ConsumerRecord<String, byte[]> record = Decisions.awaitOne(submission);
        assertEquals(Topics.CSR_ACCEPTED, record.topic(), TestTopics.value(record));
        assertEquals(
                "hmn", EventCodec.decode(record.value(), CsrAcceptedV1.class).profile());
    }

    @Test
    void rejectsSubmissionSignedByAnotherStationKey() {
        StationCredential thief = new StationCredential(TestStations.ecKey().getPrivate(), STATION.certificate());
        CsrSubmittedV1 submission = TestSubmissions.submission(STATION, "dev-" + UUID.randomUUID(), "po-any");
        TestSubmissions.publish(submission, thief);
        assertRejected(submission, ReasonCode.STATION_SIGNATURE_INVALID);
    }

    @Test
    void rejectsStationUsedForAnotherFactory() {
        CsrSubmittedV1 honest = TestSubmissions.submission(STATION, "dev-" + UUID.randomUUID(), "po-any");
        CsrSubmittedV1 elsewhere = new CsrSubmittedV1(
                honest.requestId(),
                honest.deviceId(),
                "factory-b",
                honest.stationId(),
                honest.orderId(),
                honest.submittedAt(),
                honest.csr());
        TestSubmissions.publish(elsewhere, STATION);
        assertRejected(elsewhere, ReasonCode.STATION_IDENTITY_MISMATCH);
    }

    @Test
    void rejectsStationCredentialOutsideItsShift() {
        StationCredential lastShift = TestStations.enrol(
                "factory-a", "station-2", Instant.now().minus(Duration.ofHours(10)), Duration.ofHours(8));
        CsrSubmittedV1 late = TestSubmissions.submission(lastShift, "dev-" + UUID.randomUUID(), "po-any");
        TestSubmissions.publish(late, lastShift);
        StationCredential nextShift = TestStations.enrol(
                "factory-a", "station-3", Instant.now().plus(Duration.ofHours(1)), Duration.ofHours(8));
        CsrSubmittedV1 early = TestSubmissions.submission(nextShift, "dev-" + UUID.randomUUID(), "po-any");
        TestSubmissions.publish(early, nextShift);
        assertRejected(late, ReasonCode.STATION_CERTIFICATE_EXPIRED);
        assertRejected(early, ReasonCode.STATION_CERTIFICATE_NOT_YET_VALID);
    }

    @Test
    void rejectsStationCertificateFromAnotherCa() throws Exception {
        KeyPair key = TestStations.ecKey();
        StationCredential selfMade = new StationCredential(
                key.getPrivate(),
                CertificateTemplates.selfSignedRoot(
                        new StationIdentity("factory-a", "station-1").subject(),
                        key.getPublic(),
                        new JcaContentSignerBuilder("SHA256withECDSA")
                                .setProvider(Providers.BC)
                                .build(key.getPrivate()),
                        Instant.now().minusSeconds(60),
                        Instant.now().plus(Duration.ofHours(8))));
        CsrSubmittedV1 submission = TestSubmissions.submission(selfMade, "dev-" + UUID.randomUUID(), "po-any");
        TestSubmissions.publish(submission, selfMade);
        assertRejected(submission, ReasonCode.STATION_CERTIFICATE_UNTRUSTED);
    }

    @Test
    void revokedStationIsRefusedAtOnce() {
        StationCredential stolen = TestStations.enrol("factory-a", "station-stolen-" + UUID.randomUUID());
        String order = Orders.create("factory-a", 5);
        CsrSubmittedV1 before = TestSubmissions.submission(stolen, "dev-" + UUID.randomUUID(), order);
        TestSubmissions.publish(before, stolen);
        assertAccepted(before);

        Orders.post(
                        "/stations/revocations",
                        Map.of(
                                "serialNumber",
                                Serials.hex(stolen.certificate().getSerialNumber()),
                                "comment",
                                "gateway stolen"))
                .then()
                .statusCode(201);
        CsrSubmittedV1 after = TestSubmissions.submission(stolen, "dev-" + UUID.randomUUID(), order);
        TestSubmissions.publish(after, stolen);
        assertRejected(after, ReasonCode.STATION_REVOKED);
        Orders.get("/stations/revocations")
                .then()
                .statusCode(200)
                .body(containsString(Serials.hex(stolen.certificate().getSerialNumber())));
    }

    @Test
    void rejectsUnsignedSubmission() {
        CsrSubmittedV1 submission = TestSubmissions.submission(STATION, "dev-" + UUID.randomUUID(), "po-any");
        TestTopics.produce(Topics.CSR_SUBMITTED, submission.deviceId(), EventCodec.encode(submission), Map.of());
        assertRejected(submission, ReasonCode.STATION_CREDENTIAL_MISSING);
    }

    @Test
    void rejectsSubmissionOutsideTheClockSkewWindow() {
        CsrSubmittedV1 fresh = TestSubmissions.submission(STATION, "dev-" + UUID.randomUUID(), "po-any");
        CsrSubmittedV1 stale = new CsrSubmittedV1(
                fresh.requestId(),
                fresh.deviceId(),
                fresh.factoryId(),
                fresh.stationId(),
                fresh.orderId(),
                Instant.now().minus(Duration.ofMinutes(10)),
                fresh.csr());
        TestSubmissions.publish(stale, STATION);
        assertRejected(stale, ReasonCode.SUBMISSION_TIME_SKEW);
    }

    @Test
    void rejectsUnusableDeviceId() {
        CsrSubmittedV1 submission = TestSubmissions.submission(STATION, "dev with spaces", "po-any");
        TestSubmissions.publish(submission, STATION);
        assertRejected(submission, ReasonCode.MALFORMED_SUBMISSION);
    }

    @Test
    void deadLettersPoisonRecordAndKeepsConsuming() {
        String poisonKey = "poison-" + UUID.randomUUID();
        TestTopics.produce(Topics.CSR_SUBMITTED, poisonKey, "{not json".getBytes(StandardCharsets.UTF_8), Map.of());
        CsrSubmittedV1 after =
                TestSubmissions.submission(STATION, "dev-" + UUID.randomUUID(), Orders.create("factory-a", 1));
        TestSubmissions.publish(after, STATION);

        List<ConsumerRecord<String, byte[]>> dead = TestTopics.await(
                Topics.deadLetter(Topics.CSR_SUBMITTED, "csr-intake"),
                r -> poisonKey.equals(r.key()),
                1,
                Decisions.WAIT);
        assertEquals(1, dead.size(), "poison record in the DLQ");
        assertEquals("{not json", TestTopics.value(dead.get(0)));
        assertNotNull(TestTopics.header(dead.get(0), Headers.DLQ_REASON));
        assertEquals(Topics.CSR_SUBMITTED, TestTopics.header(dead.get(0), Headers.DLQ_TOPIC));
        assertAccepted(after);
    }

    @Test
    void exposesHealthAndDecisionMetricsPerReason() {
        CsrSubmittedV1 submission = TestSubmissions.submission(STATION, "dev-" + UUID.randomUUID(), "po-unknown");
        TestSubmissions.publish(submission, STATION);
        assertRejected(submission, ReasonCode.ORDER_UNKNOWN);
        // The start-up warm-up ran the submission checks on synthetic credentials, every round accepted.
        given().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("checks.find { it.name == 'warm-up' }.data.'submission checks'", startsWith("20 rounds in "));
        given().get("/q/metrics")
                .then()
                .statusCode(200)
                .body(containsString("imprint_intake_decisions_total{outcome=\"rejected\",reason=\"ORDER_UNKNOWN\""));
    }
}
