package io.imprint.revocation;

import static io.imprint.testing.TestOperators.AUDITOR;
import static io.imprint.testing.TestOperators.NO_ROLE;
import static io.imprint.testing.TestOperators.REVOKER;
import static io.imprint.testing.TestOperators.SECOND_REVOKER;
import static io.imprint.testing.TestOperators.as;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imprint.contracts.EventCodec;
import io.imprint.contracts.Headers;
import io.imprint.contracts.RevocationReason;
import io.imprint.contracts.Topics;
import io.imprint.contracts.events.CertIssuedV1;
import io.imprint.contracts.events.CertRevokedV1;
import io.imprint.contracts.events.CrlPublishedV1;
import io.imprint.contracts.events.CrlSignRequestedV1;
import io.imprint.contracts.events.RevocationRequestedV1;
import io.imprint.pki.IssuerKeyId;
import io.imprint.pki.Pem;
import io.imprint.pki.Serials;
import io.imprint.pki.ceremony.KeyAliases;
import io.imprint.pki.crl.CrlDistribution;
import io.imprint.pki.crl.CrlExtensions;
import io.imprint.pki.crl.CrlFactory;
import io.imprint.pki.crl.CrlScope;
import io.imprint.pki.crl.RevokedEntry;
import io.imprint.pki.crl.RootCrls;
import io.imprint.pki.keys.CaKey;
import io.imprint.pki.keys.Pkcs11Config;
import io.imprint.pki.keys.Pkcs11KeyBackend;
import io.imprint.pki.signing.PemCredentials;
import io.imprint.pki.signing.ServiceCommandVerifier;
import io.imprint.revocation.messaging.OutboxRelay;
import io.imprint.revocation.messaging.RevocationHandlers;
import io.imprint.revocation.service.BulkRevocations;
import io.imprint.testing.ImprintTestInfrastructure;
import io.imprint.testing.TestDatabase;
import io.imprint.testing.TestEvents;
import io.imprint.testing.TestIdentities;
import io.imprint.testing.TestOperators;
import io.imprint.testing.TestToken;
import io.imprint.testing.TestTopics;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import io.smallrye.reactive.messaging.ChannelRegistry;
import io.smallrye.reactive.messaging.PausableChannel;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.URLEncoder;
import java.nio.file.Files;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.Test;

/**
 * revocation on the real broker, PostgreSQL and token. The test stands in for the signer on the CRL path:
 * it signs requested CRLs with the issuing CA key in the same token.
 */
@QuarkusTest
@QuarkusTestResource(
        value = ImprintTestInfrastructure.class,
        initArgs = @ResourceArg(name = ImprintTestInfrastructure.DATABASE, value = "true"))
class RevocationTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    ChannelRegistry channels;

    @Inject
    Scheduler scheduler;

    @Inject
    OutboxRelay relay;

    @Inject
    BulkRevocations bulk;

    @Test
    void revokesThenPublishesEventCrlAndOcspRevoked() throws Exception {
        CertIssuedV1 issued = TestEvents.issued();
        TestEvents.publish(issued, issued.deviceId());
        Awaitility.await()
                .atMost(WAIT)
                .untilAsserted(() -> assertNull(ocsp(issued.serialNumber()).getCertStatus(), "good before revocation"));

        given().contentType("application/json")
                .body("{\"serialNumber\":\"" + issued.serialNumber() + "\",\"reason\":\"KEY_COMPROMISE\"}")
                .post("/revocations")
                .then()
                .statusCode(401)
                .body("code", equalTo("UNAUTHORIZED"));
        as(AUDITOR)
                .contentType("application/json")
                .body("{\"serialNumber\":\"" + issued.serialNumber() + "\",\"reason\":\"KEY_COMPROMISE\"}")
                .post("/revocations")
                .then()
                .statusCode(403)
                .body("code", equalTo("FORBIDDEN"));
        given().get("/revocations/" + issued.serialNumber()).then().statusCode(401);
        as(NO_ROLE).get("/revocations/" + issued.serialNumber()).then().statusCode(403);
        String requestId = as(REVOKER)
                .contentType("application/json")
                .body("{\"serialNumber\":\"" + issued.serialNumber()
                        + "\",\"reason\":\"KEY_COMPROMISE\",\"comment\":\"  INC-4711: key read out  \"}")
                .post("/revocations")
                .then()
                .statusCode(201)
                .body("reason", equalTo("KEY_COMPROMISE"))
                .body("revokedBy", equalTo(REVOKER))
                .body("comment", equalTo("INC-4711: key read out"))
                .extract()
                .path("requestId");
        as(REVOKER)
                .contentType("application/json")
                .body("{\"serialNumber\":\"" + issued.serialNumber() + "\"}")
                .post("/revocations")
                .then()
                .statusCode(200)
                .body("reason", equalTo("KEY_COMPROMISE"))
                .body("requestId", equalTo(requestId));

        List<ConsumerRecord<String, byte[]>> revoked = TestTopics.await(
                Topics.CERT_REVOKED, r -> TestTopics.value(r).contains(issued.serialNumber()), 1, WAIT);
        CertRevokedV1 event = EventCodec.decode(revoked.get(0).value(), CertRevokedV1.class);
        assertEquals(issued.deviceId(), event.deviceId());
        assertEquals(RevocationReason.KEY_COMPROMISE, event.reason());
        assertEquals(requestId, event.requestId());
        assertEquals("INC-4711: key read out", event.comment());
        assertNull(event.jobId());
        assertSignedByRevocation(revoked.get(0));
        assertEquals(
                1,
                TestTopics.await(
                                Topics.CERT_REVOKED,
                                r -> TestTopics.value(r).contains(issued.serialNumber()),
                                2,
                                Duration.ofSeconds(2))
                        .size(),
                "the repeated revocation announces nothing more");

        RevokedStatus status = assertInstanceOf(
                RevokedStatus.class, ocsp(issued.serialNumber()).getCertStatus());
        assertEquals(1, status.getRevocationReason());

        ConsumerRecord<String, byte[]> asked = TestTopics.await(
                        Topics.CRL_SIGN_REQUESTED, r -> TestTopics.value(r).contains(issued.serialNumber()), 1, WAIT)
                .get(0);
        assertSignedByRevocation(asked);
        CrlSignRequestedV1 request = EventCodec.decode(asked.value(), CrlSignRequestedV1.class);
        TestEvents.publish(signAsTheSignerWould(request), "crl");
        Awaitility.await().atMost(WAIT).untilAsserted(() -> {
            X509CRL crl = currentCrl();
            assertNotNull(crl.getRevokedCertificate(Serials.parse(issued.serialNumber())));
        });
    }

    /**
     * An operator's signed request by record (how headquarters reaches an offline factory) revokes as the HTTPS API
     * would, keeping the request's id; one signed by an operator without the revoker role, in another operator's
     * name, or unsigned, is set aside with its reason and changes nothing; the same request read twice revokes once,
     * and its id reused for another serial revokes nothing.
     */
    @Test
    void aRevocationRequestSignedByARevokerRevokesOnceAndNoOtherRevokesAnything() throws Exception {
        CertIssuedV1 issued = TestEvents.issued();
        TestEvents.publish(issued, issued.deviceId());
        Awaitility.await()
                .atMost(WAIT)
                .untilAsserted(() -> assertNull(ocsp(issued.serialNumber()).getCertStatus()));

        String dlq = Topics.deadLetter(Topics.REVOCATION_REQUESTED, "revocation");
        RevocationRequestedV1 byAuditor = revocationRequest(issued.serialNumber(), AUDITOR);
        TestOperators.publishSigned(byAuditor, issued.serialNumber(), AUDITOR);
        RevocationRequestedV1 inAnothersName = revocationRequest(issued.serialNumber(), SECOND_REVOKER);
        TestOperators.publishSigned(inAnothersName, issued.serialNumber(), REVOKER);
        RevocationRequestedV1 unsigned = revocationRequest(issued.serialNumber(), REVOKER);
        TestEvents.publish(unsigned, issued.serialNumber());
        for (var refused : List.of(
                List.of(byAuditor.requestId(), "REQUEST_SIGNER_NOT_AUTHORIZED"),
                List.of(inAnothersName.requestId(), "REQUEST_SIGNER_NOT_AUTHORIZED"),
                List.of(unsigned.requestId(), "REQUEST_UNSIGNED"))) {
            List<ConsumerRecord<String, byte[]>> dead =
                    TestTopics.await(dlq, r -> TestTopics.value(r).contains(refused.get(0)), 1, WAIT);
            assertEquals(1, dead.size(), refused.get(0));
            assertEquals(refused.get(1), TestTopics.header(dead.get(0), Headers.DLQ_CODE));
        }
        assertNull(ocsp(issued.serialNumber()).getCertStatus(), "still good after the refused requests");
        as(AUDITOR).get("/revocations/" + issued.serialNumber()).then().statusCode(404);

        RevocationRequestedV1 request = revocationRequest(issued.serialNumber(), REVOKER);
        TestOperators.publishSigned(request, issued.serialNumber(), REVOKER);
        TestOperators.publishSigned(request, issued.serialNumber(), REVOKER);
        List<ConsumerRecord<String, byte[]>> revoked = TestTopics.await(
                Topics.CERT_REVOKED, r -> TestTopics.value(r).contains(issued.serialNumber()), 1, WAIT);
        CertRevokedV1 event = EventCodec.decode(revoked.get(0).value(), CertRevokedV1.class);
        assertEquals(request.requestId(), event.requestId());
        assertEquals(REVOKER, event.revokedBy());
        assertEquals(RevocationReason.KEY_COMPROMISE, event.reason());
        assertEquals("INC-9: station stolen", event.comment());
        assertSignedByRevocation(revoked.get(0));
        RevokedStatus status = assertInstanceOf(
                RevokedStatus.class, ocsp(issued.serialNumber()).getCertStatus());
        assertEquals(1, status.getRevocationReason());
        assertEquals(
                1,
                TestTopics.await(
                                Topics.CERT_REVOKED,
                                r -> TestTopics.value(r).contains(issued.serialNumber()),
                                2,
                                Duration.ofSeconds(3))
                        .size(),
                "the request read twice revokes once");

        // The same request id for another serial would hide that revocation from audit (one record per id): refused.
        CertIssuedV1 other = TestEvents.issued();
        TestEvents.publish(other, other.deviceId());
        Awaitility.await()
                .atMost(WAIT)
                .untilAsserted(() -> assertNull(ocsp(other.serialNumber()).getCertStatus()));
        RevocationRequestedV1 reused = new RevocationRequestedV1(
                request.requestId(),
                other.serialNumber(),
                RevocationReason.KEY_COMPROMISE,
                "reused id",
                REVOKER,
                Instant.now().truncatedTo(ChronoUnit.MILLIS));
        TestOperators.publishSigned(reused, other.serialNumber(), REVOKER);
        List<ConsumerRecord<String, byte[]>> dead =
                TestTopics.await(dlq, r -> TestTopics.value(r).contains(other.serialNumber()), 1, WAIT);
        assertEquals(1, dead.size());
        assertEquals("MALFORMED_EVENT", TestTopics.header(dead.get(0), Headers.DLQ_CODE));
        assertNull(ocsp(other.serialNumber()).getCertStatus(), "the other certificate stays good");
    }

    private static RevocationRequestedV1 revocationRequest(String serial, String operator) {
        return new RevocationRequestedV1(
                UUID.randomUUID().toString(),
                serial,
                RevocationReason.KEY_COMPROMISE,
                "INC-9: station stolen",
                operator,
                Instant.now().truncatedTo(ChronoUnit.MILLIS));
    }

    /** The signer, audit and fleet-registry act only on what revocation signed with its identity. */
    private static void assertSignedByRevocation(ConsumerRecord<String, byte[]> record) throws Exception {
        ServiceCommandVerifier verifier = new ServiceCommandVerifier(
                PemCredentials.certificates(TestIdentities.serviceCa()).get(0));
        assertEquals(
                "revocation",
                verifier.verify(
                                TestTopics.header(record, Headers.SERVICE_CERT),
                                TestTopics.header(record, Headers.SERVICE_SIGNATURE),
                                record.value(),
                                Instant.now(),
                                Set.of("revocation"))
                        .name());
    }

    @Test
    void aForgedCertificateIsNeverGoodNeverSupersedesAndARevokedOneStaysRevoked() throws Exception {
        CertIssuedV1 genuine = TestEvents.issued();
        TestEvents.publish(genuine, genuine.deviceId());
        Awaitility.await()
                .atMost(WAIT)
                .untilAsserted(() -> assertNull(ocsp(genuine.serialNumber()).getCertStatus()));

        CertIssuedV1 forged = TestEvents.selfSignedFor(genuine);
        TestEvents.publish(forged, forged.deviceId());
        List<ConsumerRecord<String, byte[]>> dead = TestTopics.await(
                Topics.deadLetter(Topics.CERT_ISSUED, "revocation"),
                r -> TestTopics.value(r).contains(forged.requestId()),
                1,
                WAIT);
        assertEquals("CERTIFICATE_UNTRUSTED", TestTopics.header(dead.get(0), Headers.DLQ_CODE));
        assertInstanceOf(UnknownStatus.class, ocsp(forged.serialNumber()).getCertStatus(), "never answered good");
        as(AUDITOR).get("/revocations/" + genuine.serialNumber()).then().statusCode(404);

        as(REVOKER)
                .contentType("application/json")
                .body("{\"serialNumber\":\"" + genuine.serialNumber() + "\",\"reason\":\"KEY_COMPROMISE\"}")
                .post("/revocations")
                .then()
                .statusCode(201);
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
                Instant.now().plusSeconds(7200));
        TestEvents.publish(replayed, replayed.deviceId());
        CertIssuedV1 marker = TestEvents.issued(KeyAliases.ISSUING_CA, genuine.deviceId() + "-marker", Instant.now());
        TestEvents.publish(marker, genuine.deviceId());
        Awaitility.await()
                .atMost(WAIT)
                .untilAsserted(() -> assertNull(ocsp(marker.serialNumber()).getCertStatus()));
        assertInstanceOf(
                RevokedStatus.class,
                ocsp(genuine.serialNumber()).getCertStatus(),
                "a replayed cert.issued never makes a revoked certificate good again");
    }

    @Test
    void aCrlTheCaDidNotSignIsQuarantinedAndTheNumbersMovePastEverySignedOne() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        CrlPublishedV1 forged = new CrlPublishedV1(
                UUID.randomUUID().toString(),
                issuingCa().getSubjectX500Principal().getName(),
                Long.MAX_VALUE / 4,
                now,
                now.plus(Duration.ofDays(1)),
                0,
                Base64.getEncoder().encodeToString(new byte[] {0x30, 0x00}));
        TestEvents.publish(forged, "crl");
        List<ConsumerRecord<String, byte[]>> dead = TestTopics.await(
                Topics.deadLetter(Topics.CRL_PUBLISHED, "revocation"),
                r -> TestTopics.value(r).contains(forged.requestId()),
                1,
                WAIT);
        assertEquals("CRL_UNTRUSTED", TestTopics.header(dead.get(0), Headers.DLQ_CODE));

        long ahead = reserveCrlNumber() + 1_000;
        TestEvents.publish(
                signAsTheSignerWould(new CrlSignRequestedV1(
                        UUID.randomUUID().toString(),
                        issuingCa().getSubjectX500Principal().getName(),
                        ahead,
                        now,
                        now.plus(Duration.ofHours(24)),
                        List.of())),
                "crl");
        Awaitility.await()
                .atMost(WAIT)
                .untilAsserted(() -> assertEquals(BigInteger.valueOf(ahead), crlNumber(currentCrl())));
        assertTrue(reserveCrlNumber() > ahead, "the next CRL asked for is numbered above what the signer signed");
    }

    @Test
    void reprovisionedDeviceGetsItsOlderCertificateRevokedAsSuperseded() {
        String device = "dev-" + UUID.randomUUID();
        CertIssuedV1 first =
                TestEvents.issued(KeyAliases.ISSUING_CA, device, Instant.now().minusSeconds(60));
        CertIssuedV1 second = TestEvents.issued(KeyAliases.ISSUING_CA, device, Instant.now());
        // The newer certificate arrives first: "newer" is the certificates' own notBefore, not arrival order.
        TestEvents.publish(second, second.deviceId());
        TestEvents.publish(first, first.deviceId());
        Awaitility.await()
                .atMost(WAIT)
                .untilAsserted(() -> as(AUDITOR)
                        .get("/revocations/" + first.serialNumber())
                        .then()
                        .statusCode(200)
                        .body("reason", equalTo("SUPERSEDED"))
                        .body("revokedBy", equalTo("re-provisioning")));
        as(AUDITOR).get("/revocations/" + second.serialNumber()).then().statusCode(404);
        List<ConsumerRecord<String, byte[]>> revoked =
                TestTopics.await(Topics.CERT_REVOKED, r -> TestTopics.value(r).contains(first.serialNumber()), 1, WAIT);
        assertEquals(
                RevocationReason.SUPERSEDED,
                EventCodec.decode(revoked.get(0).value(), CertRevokedV1.class).reason());
    }

    @Test
    void aPollOfCertificatesIsRecordedTogetherAndAForgedOneAmongThemIsSetAsideAlone() throws Exception {
        // Published back to back, they reach revocation in one poll or a few (up to half a second per fetch).
        String device = "dev-" + UUID.randomUUID();
        CertIssuedV1 older =
                TestEvents.issued(KeyAliases.ISSUING_CA, device, Instant.now().minusSeconds(60));
        List<CertIssuedV1> others = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            others.add(TestEvents.issued("dev-" + UUID.randomUUID()));
        }
        CertIssuedV1 forged = TestEvents.selfSignedFor(others.get(0));
        CertIssuedV1 newer = TestEvents.issued(KeyAliases.ISSUING_CA, device, Instant.now());
        TestEvents.publish(older, device);
        others.forEach(o -> TestEvents.publish(o, o.deviceId()));
        TestEvents.publish(forged, forged.deviceId());
        TestEvents.publish(newer, device);
        Awaitility.await()
                .atMost(WAIT)
                .untilAsserted(() -> as(AUDITOR)
                        .get("/revocations/" + older.serialNumber())
                        .then()
                        .statusCode(200)
                        .body("reason", equalTo("SUPERSEDED")));
        // Keyed by device, they sit on several partitions, each polled at its own pace.
        Awaitility.await().atMost(WAIT).untilAsserted(() -> {
            for (CertIssuedV1 genuine : others) {
                assertNull(ocsp(genuine.serialNumber()).getCertStatus(), genuine.serialNumber() + " is good");
            }
        });
        assertNull(ocsp(newer.serialNumber()).getCertStatus(), "the newer certificate of the device is good");
        TestTopics.await(
                Topics.deadLetter(Topics.CERT_ISSUED, "revocation"),
                r -> TestTopics.value(r).contains(forged.requestId()),
                1,
                WAIT);
    }

    /**
     * revocation records {@code cert.issued} a poll at a time: an operator revoking a certificate issued a
     * moment ago must not be told it does not exist. The consumer is paused here so that it has not recorded
     * the certificate when the revocation arrives.
     */
    @Test
    void aJustIssuedCertificateNotYetConsumedIsRevokedOnceRecordedAndAnUnknownSerialIsStillNotFound() throws Exception {
        PausableChannel issuedIn = channels.getPausable("cert-issued");
        CertIssuedV1 issued = TestEvents.issued();
        CertIssuedV1 forged = TestEvents.selfSignedFor(TestEvents.issued());
        CompletableFuture<ExtractableResponse<Response>> revoking;
        issuedIn.pause();
        try {
            TestEvents.publish(issued, issued.deviceId());
            TestEvents.publish(forged, forged.deviceId());
            TestTopics.await(Topics.CERT_ISSUED, r -> TestTopics.value(r).contains(forged.requestId()), 1, WAIT);

            revoke(Serials.hex(Serials.random())).statusCode(404).body("code", equalTo("CERTIFICATE_NOT_FOUND"));
            // In the log but not a certificate of this CA: no reason to wait for it.
            revoke(forged.serialNumber()).statusCode(404).body("code", equalTo("CERTIFICATE_NOT_FOUND"));
            // Genuine and still unconsumed after the wait (PT3S in tests): ask again, with Retry-After.
            revoke(issued.serialNumber())
                    .statusCode(503)
                    .header("Retry-After", "5")
                    .body("code", equalTo("ISSUANCE_NOT_YET_RECORDED"));

            revoking = CompletableFuture.supplyAsync(
                    () -> revoke(issued.serialNumber()).extract());
            Thread.sleep(1000);
            assertFalse(revoking.isDone(), "answered before the certificate was recorded");
        } finally {
            issuedIn.resume();
        }
        ExtractableResponse<Response> answer = revoking.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(201, answer.statusCode(), answer.body().asString());
        assertEquals("KEY_COMPROMISE", answer.path("reason"));
        assertInstanceOf(RevokedStatus.class, ocsp(issued.serialNumber()).getCertStatus());
    }

    private static ValidatableResponse revoke(String serial) {
        return as(REVOKER)
                .contentType("application/json")
                .body("{\"serialNumber\":\"" + serial + "\",\"reason\":\"KEY_COMPROMISE\"}")
                .post("/revocations")
                .then();
    }

    @Test
    void rejectsBadRevocationRequestsWithReasonCodes() {
        as(REVOKER)
                .contentType("application/json")
                .body("{\"serialNumber\":\"abcdef0123\",\"reason\":\"KEY_COMPROMISE\"}")
                .post("/revocations")
                .then()
                .statusCode(404)
                .body("code", equalTo("CERTIFICATE_NOT_FOUND"));
        as(REVOKER)
                .contentType("application/json")
                .body("{\"serialNumber\":\"xyz\"}")
                .post("/revocations")
                .then()
                .statusCode(400)
                .body("code", equalTo("INVALID_SERIAL"));
        as(REVOKER)
                .contentType("application/json")
                .body("{\"serialNumber\":\"abcdef\",\"reason\":\"BORED\"}")
                .post("/revocations")
                .then()
                .statusCode(400)
                .body("code", equalTo("INVALID_REASON"));
        as(REVOKER)
                .contentType("application/json")
                .body("{\"serialNumber\":\"abcdef\",\"comment\":\"" + "x".repeat(513) + "\"}")
                .post("/revocations")
                .then()
                .statusCode(400)
                .body("code", equalTo("INVALID_COMMENT"));
        as(REVOKER)
                .contentType("application/json")
                .body("{\"serialNumber\":\"abcdef\",\"comment\":\"line\\nbreak\"}")
                .post("/revocations")
                .then()
                .statusCode(400)
                .body("code", equalTo("INVALID_COMMENT"));
    }

    /**
     * RFC 5019 responses are signed ahead of requests: one stored for a certificate as soon as it is recorded and
     * served as it is; a revocation answered "revoked" at once (signed on demand) and its response pre-signed again;
     * a response from half its validity on signed again.
     */
    @Test
    void presignsOcspResponsesServesThemAndSignsThemAgainOnRevocationAndWithAge() throws Exception {
        CertIssuedV1 issued = TestEvents.issued();
        String serial = issued.serialNumber();
        TestEvents.publish(issued, issued.deviceId());
        byte[] good = Awaitility.await().atMost(WAIT).until(() -> presigned(serial, false), r -> r != null);
        byte[] request = new OCSPReqBuilder().addRequest(certId(serial)).build().getEncoded();
        org.junit.jupiter.api.Assertions.assertArrayEquals(good, ocspResponse(request), "served as pre-signed");
        assertNull(ocsp(serial).getCertStatus());

        revoke(serial).statusCode(201);
        assertInstanceOf(RevokedStatus.class, ocsp(serial).getCertStatus(), "revoked at once");
        byte[] revoked = Awaitility.await().atMost(WAIT).until(() -> presigned(serial, true), r -> r != null);
        SingleResp single = ((BasicOCSPResp) new OCSPResp(revoked).getResponseObject()).getResponses()[0];
        assertEquals(certId(serial), single.getCertID());
        assertInstanceOf(RevokedStatus.class, single.getCertStatus());

        try (Connection db = TestDatabase.connect();
                Statement statement = db.createStatement()) {
            statement.executeUpdate("UPDATE revocation.ocsp_response SET refresh_at = now() - interval '1 second'"
                    + " WHERE serial_number = '" + serial + "'");
        }
        Awaitility.await().atMost(WAIT).untilAsserted(() -> {
            byte[] refreshed = presigned(serial, true);
            assertNotNull(refreshed);
            assertFalse(java.util.Arrays.equals(revoked, refreshed), "signed again once its refresh time came");
        });
    }

    /** The response pre-signed for {@code serial} stating {@code revoked}, or null. */
    private static byte[] presigned(String serial, boolean revoked) throws Exception {
        try (Connection db = TestDatabase.connect();
                Statement statement = db.createStatement();
                ResultSet row = statement.executeQuery("SELECT response FROM revocation.ocsp_response"
                        + " WHERE serial_number = '" + serial + "' AND revoked = " + revoked
                        + " AND refresh_at > now()")) {
            return row.next() ? row.getBytes(1) : null;
        }
    }

    /** The DER answer to an OCSP request POSTed. */
    private static byte[] ocspResponse(byte[] request) {
        return given().contentType("application/ocsp-request")
                .body(request)
                .post("/ocsp")
                .then()
                .statusCode(200)
                .contentType("application/ocsp-response")
                .extract()
                .asByteArray();
    }

    @Test
    void answersUnknownForSerialsItNeverSawAndMalformedForGarbage() throws Exception {
        assertInstanceOf(UnknownStatus.class, ocsp("123456789abcdef").getCertStatus());
        byte[] garbage = given().contentType("application/ocsp-request")
                .body(new byte[] {1, 2, 3})
                .post("/ocsp")
                .then()
                .statusCode(200)
                .extract()
                .asByteArray();
        assertEquals(1, new OCSPResp(garbage).getStatus(), "malformedRequest");
    }

    @Test
    void servesOcspOverGetAsRfc6960AppendixA() throws Exception {
        // A request whose base64 holds '+' and "//": a '+' decoded twice becomes a space (a quarter of requests), and
        // routing collapses a raw "//" (a few in a hundred).
        CertIssuedV1 issued;
        String base64;
        do {
            issued = TestEvents.issued();
            base64 = Base64.getEncoder()
                    .encodeToString(new OCSPReqBuilder()
                            .addRequest(certId(issued.serialNumber()))
                            .build()
                            .getEncoded());
        } while (!base64.contains("+") || !base64.contains("//"));
        TestEvents.publish(issued, issued.deviceId());
        // As the URL carries it percent-encoded once (openssl, Go, NSS), and as some clients send it raw. Sent by
        // the JDK's client, which sends the path as written (RestAssured's collapses "//" itself).
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        for (String path : List.of(URLEncoder.encode(base64, "US-ASCII"), base64)) {
            Awaitility.await().atMost(WAIT).untilAsserted(() -> {
                java.net.http.HttpResponse<byte[]> answer = client.send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                                        "http://127.0.0.1:" + io.restassured.RestAssured.port + "/ocsp/" + path))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofByteArray());
                assertEquals(200, answer.statusCode(), path);
                OCSPResp response = new OCSPResp(answer.body());
                assertEquals(OCSPResp.SUCCESSFUL, response.getStatus(), path);
                BasicOCSPResp basic = (BasicOCSPResp) response.getResponseObject();
                assertNull(basic.getResponses()[0].getCertStatus(), path);
                // Cacheable until the answer's nextUpdate (PT1H here), as RFC 5019 6.2 asks.
                String cacheControl =
                        answer.headers().firstValue("Cache-Control").orElseThrow();
                assertTrue(
                        cacheControl.matches("max-age=3[0-9]{3}, public, no-transform, must-revalidate"), cacheControl);
                String etag = answer.headers().firstValue("ETag").orElseThrow();
                assertTrue(etag.matches("\"[0-9a-f]{64}\""), etag);
                assertTrue(answer.headers().firstValue("Last-Modified").isPresent());
                assertTrue(answer.headers().firstValue("Expires").isPresent());
            });
        }
    }

    @Test
    void asksForAFreshCrlOnceHalfTheCurrentOnesValidityHasPassed() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        long number = reserveCrlNumber();
        CrlSignRequestedV1 aging = new CrlSignRequestedV1(
                UUID.randomUUID().toString(),
                issuingCa().getSubjectX500Principal().getName(),
                number,
                now.minus(Duration.ofHours(23)),
                now.plus(Duration.ofHours(1)),
                List.of());
        TestEvents.publish(signAsTheSignerWould(aging), "crl");

        String issuer = aging.issuer();
        List<ConsumerRecord<String, byte[]>> fresh = TestTopics.await(
                Topics.CRL_SIGN_REQUESTED,
                r -> {
                    CrlSignRequestedV1 asked = EventCodec.decode(r.value(), CrlSignRequestedV1.class);
                    return asked.crlNumber() > number
                            && asked.issuer().equals(issuer)
                            && asked.distributionPoint() == null
                            && asked.deltaBase() == null;
                },
                1,
                WAIT);
        assertTrue(!fresh.isEmpty(), "a new CRL requested without any revocation");
        CrlSignRequestedV1 request = fresh.stream()
                .map(r -> EventCodec.decode(r.value(), CrlSignRequestedV1.class))
                .filter(r -> r.distributionPoint() == null && r.deltaBase() == null)
                .max(java.util.Comparator.comparingLong(CrlSignRequestedV1::crlNumber))
                .orElseThrow();
        assertTrue(!request.thisUpdate().isBefore(now), "the fresh CRL starts now");
        TestEvents.publish(signAsTheSignerWould(request), "crl");
        Awaitility.await()
                .atMost(WAIT)
                .untilAsserted(() ->
                        assertTrue(currentCrl().getNextUpdate().toInstant().isAfter(now.plus(Duration.ofHours(12)))));
    }

    /**
     * OCSP answers repeated questions from memory, yet a revocation committed by another instance (here: a row
     * written straight into the database, as that instance's transaction would) is answered within a second: the
     * database announces it on commit.
     */
    @Test
    void aRevocationByAnotherInstanceIsAnsweredWithinASecond() throws Exception {
        CertIssuedV1 issued = TestEvents.issued();
        TestEvents.publish(issued, issued.deviceId());
        Awaitility.await()
                .atMost(WAIT)
                .untilAsserted(() -> assertNull(ocsp(issued.serialNumber()).getCertStatus(), "good"));
        assertNull(ocsp(issued.serialNumber()).getCertStatus(), "good, now from memory");
        try (Connection db = TestDatabase.connect();
                Statement statement = db.createStatement()) {
            statement.execute(
                    "INSERT INTO revocation.revoked_certificate (serial_number, reason, request_id, revoked_at,"
                            + " revoked_by) VALUES ('" + Serials.hex(Serials.parse(issued.serialNumber()))
                            + "', 'KEY_COMPROMISE', 'other-instance', now(), 'revoker')");
        }
        Awaitility.await()
                .atMost(Duration.ofSeconds(1))
                .pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> assertInstanceOf(
                        RevokedStatus.class, ocsp(issued.serialNumber()).getCertStatus()));
    }

    @Test
    void neverServesOrIsBlockedByACrlOfAnotherCaKey() throws Exception {
        try (Connection db = TestDatabase.connect();
                Statement statement = db.createStatement()) {
            statement.execute("INSERT INTO revocation.crl (crl_number, issuer, issuer_key_id, this_update, next_update,"
                    + " entry_count, der) VALUES (" + Long.MAX_VALUE / 2 + ", 'CN=Imprint Issuing CA 1', '"
                    + "ab".repeat(32)
                    + "', now(), now() + interval '1 day', 0, decode('3000', 'hex')) ON CONFLICT DO NOTHING");
        }
        long number = reserveCrlNumber();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        TestEvents.publish(
                signAsTheSignerWould(new CrlSignRequestedV1(
                        UUID.randomUUID().toString(),
                        issuingCa().getSubjectX500Principal().getName(),
                        number,
                        now,
                        now.plus(Duration.ofHours(24)),
                        List.of())),
                "crl");
        Awaitility.await()
                .atMost(WAIT)
                .untilAsserted(() -> assertEquals(BigInteger.valueOf(number), crlNumber(currentCrl())));
    }

    private static long reserveCrlNumber() throws Exception {
        try (Connection db = TestDatabase.connect();
                Statement statement = db.createStatement();
                ResultSet rs = statement.executeQuery("SELECT nextval('revocation.crl_number_seq')")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static BigInteger crlNumber(X509CRL crl) {
        byte[] value = crl.getExtensionValue("2.5.29.20");
        return ASN1Integer.getInstance(ASN1OctetString.getInstance(value).getOctets())
                .getValue();
    }

    private static SingleResp ocsp(String serial) throws Exception {
        return ocsp(serial, issuingCa());
    }

    /** Asks about {@code serial} as issued by {@code ca}; checks the response is signed by that CA's responder. */
    private static SingleResp ocsp(String serial, X509Certificate ca) throws Exception {
        byte[] request =
                new OCSPReqBuilder().addRequest(certId(serial, ca)).build().getEncoded();
        OCSPResp response = new OCSPResp(ocspResponse(request));
        assertEquals(0, response.getStatus());
        BasicOCSPResp basic = (BasicOCSPResp) response.getResponseObject();
        X509CertificateHolder responderCert = basic.getCerts()[0];
        assertTrue(basic.isSignatureValid(new JcaContentVerifierProviderBuilder().build(responderCert)));
        assertTrue(responderCert.isSignatureValid(new JcaContentVerifierProviderBuilder().build(ca)));
        return basic.getResponses()[0];
    }

    private static CertificateID certId(String serial) throws Exception {
        return certId(serial, issuingCa());
    }

    private static CertificateID certId(String serial, X509Certificate ca) throws Exception {
        return new CertificateID(
                new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1),
                new X509CertificateHolder(ca.getEncoded()),
                new BigInteger(serial, 16));
    }

    private static X509CRL currentCrl() throws Exception {
        return crl("/crl", issuingCa());
    }

    private static X509CRL crl(String path, X509Certificate ca) throws Exception {
        byte[] der = given().get(path)
                .then()
                .statusCode(200)
                .contentType("application/pkix-crl")
                .extract()
                .asByteArray();
        X509CRL crl = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der));
        crl.verify(ca.getPublicKey());
        return crl;
    }

    @Test
    void answersOcspAndKeepsACrlForEachIssuingCaItServes() throws Exception {
        X509Certificate second = certificate("issuing-ca-2.pem");
        CertIssuedV1 issued = issuedBySecondCa();
        TestEvents.publish(issued, issued.deviceId());
        Awaitility.await()
                .atMost(WAIT)
                .untilAsserted(() -> assertNull(
                        ocsp(issued.serialNumber(), second).getCertStatus(),
                        "good, answered by the second CA's responder"));
        assertInstanceOf(
                UnknownStatus.class,
                ocsp(issued.serialNumber()).getCertStatus(),
                "the first CA never issued this serial");

        as(REVOKER)
                .contentType("application/json")
                .body("{\"serialNumber\":\"" + issued.serialNumber() + "\",\"reason\":\"KEY_COMPROMISE\"}")
                .post("/revocations")
                .then()
                .statusCode(201);
        assertInstanceOf(
                RevokedStatus.class, ocsp(issued.serialNumber(), second).getCertStatus());
        CertRevokedV1 event = EventCodec.decode(
                TestTopics.await(Topics.CERT_REVOKED, r -> TestTopics.value(r).contains(issued.serialNumber()), 1, WAIT)
                        .get(0)
                        .value(),
                CertRevokedV1.class);
        assertEquals(issued.issuer(), event.issuer());

        CrlSignRequestedV1 request = request(issued);
        assertEquals(issued.issuer(), request.issuer(), "the CRL of the CA that issued the certificate");
        assertTrue(request.entries().stream().anyMatch(e -> e.serialNumber().equals(issued.serialNumber())));
        TestEvents.publish(signAsTheSignerWould(request, TestToken.ISSUING_CA_2), "crl");
        String path = "/crl/" + IssuerKeyId.of(second);
        Awaitility.await()
                .atMost(WAIT)
                .untilAsserted(() ->
                        assertNotNull(crl(path, second).getRevokedCertificate(Serials.parse(issued.serialNumber()))));
        assertInstanceOf(
                UnknownStatus.class,
                ocsp(issued.serialNumber()).getCertStatus(),
                "still unknown to the first CA once revoked");
    }

    /**
     * Revocations committed while the relay is paused are all in one CRL request when it runs: one CRL signing for
     * many revocations, and every one of them still announced.
     */
    @Test
    void revocationsBetweenTwoRelayRoundsShareOneCrlRequest() throws Exception {
        int count = 12;
        List<CertIssuedV1> certificates = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            CertIssuedV1 issued = TestEvents.issued();
            TestEvents.publish(issued, issued.deviceId());
            certificates.add(issued);
        }
        String last = certificates.get(count - 1).serialNumber();
        Awaitility.await()
                .atMost(WAIT)
                .untilAsserted(() -> assertNull(ocsp(last).getCertStatus(), "recorded"));
        Set<String> serials =
                certificates.stream().map(CertIssuedV1::serialNumber).collect(java.util.stream.Collectors.toSet());
        java.util.function.Predicate<ConsumerRecord<String, byte[]>> listsAny =
                r -> EventCodec.decode(r.value(), CrlSignRequestedV1.class).entries().stream()
                        .anyMatch(e -> serials.contains(e.serialNumber()));

        // The scheduled refresh is held too: its snapshot could land between two of the revocations.
        scheduler.pause(RevocationHandlers.CRL_REFRESH_JOB);
        relay.hold();
        try {
            for (CertIssuedV1 issued : certificates) {
                as(REVOKER)
                        .contentType("application/json")
                        .body("{\"serialNumber\":\"" + issued.serialNumber() + "\",\"reason\":\"KEY_COMPROMISE\"}")
                        .post("/revocations")
                        .then()
                        .statusCode(201);
            }
            assertInstanceOf(RevokedStatus.class, ocsp(last).getCertStatus(), "OCSP answers from the commit");
            assertEquals(
                    0,
                    TestTopics.await(Topics.CRL_SIGN_REQUESTED, listsAny, 1, Duration.ofSeconds(1))
                            .size(),
                    "nothing is sent while the relay is paused");
        } finally {
            relay.release();
            scheduler.resume(RevocationHandlers.CRL_REFRESH_JOB);
        }
        // The first CRL request that lists any of them lists them all: one request, not one per revocation (the
        // scheduled refresh may ask again afterwards).
        CrlSignRequestedV1 first = TestTopics.await(Topics.CRL_SIGN_REQUESTED, listsAny, 1, WAIT).stream()
                .map(r -> EventCodec.decode(r.value(), CrlSignRequestedV1.class))
                .findFirst()
                .orElseThrow();
        assertTrue(
                first.entries().stream().map(e -> e.serialNumber()).toList().containsAll(serials),
                "the first request lists every one: " + first.entries().size() + " entries");
        assertEquals(
                count,
                TestTopics.await(
                                Topics.CERT_REVOKED,
                                r -> serials.contains(EventCodec.decode(r.value(), CertRevokedV1.class)
                                        .serialNumber()),
                                count,
                                WAIT)
                        .size());
    }

    /**
     * Bulk revocation by factory window and by order, each counted by a dry run first: only the selected
     * certificates turn revoked in OCSP, each with its own cert.revoked naming the job, one already revoked keeps its
     * revocation, and running a job again revokes nothing more.
     */
    @Test
    void bulkRevocationByFactoryWindowAndByOrderAfterADryRun() throws Exception {
        String factory = "factory-" + UUID.randomUUID();
        String order = "order-" + UUID.randomUUID();
        Instant now = Instant.now();
        List<CertIssuedV1> window = new java.util.ArrayList<>();
        List<CertIssuedV1> later = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            window.add(TestEvents.inOrder(
                    TestEvents.issued(KeyAliases.ISSUING_CA, "dev-" + UUID.randomUUID(), now),
                    factory,
                    order,
                    null,
                    null));
        }
        for (int i = 0; i < 2; i++) {
            later.add(TestEvents.inOrder(
                    TestEvents.issued(KeyAliases.ISSUING_CA, "dev-" + UUID.randomUUID(), now.plus(Duration.ofHours(2))),
                    factory,
                    order,
                    null,
                    null));
        }
        CertIssuedV1 elsewhere =
                TestEvents.inOrder(TestEvents.issued(), "factory-" + UUID.randomUUID(), order + "-x", null, null);
        List<CertIssuedV1> all = new java.util.ArrayList<>(window);
        all.addAll(later);
        all.add(elsewhere);
        for (CertIssuedV1 issued : all) {
            TestEvents.publish(issued, issued.deviceId());
        }
        for (CertIssuedV1 issued : all) {
            Awaitility.await()
                    .atMost(WAIT)
                    .untilAsserted(() -> assertNull(ocsp(issued.serialNumber()).getCertStatus(), "recorded"));
        }
        as(REVOKER)
                .contentType("application/json")
                .body("{\"serialNumber\":\"" + window.get(0).serialNumber() + "\",\"reason\":\"SUPERSEDED\"}")
                .post("/revocations")
                .then()
                .statusCode(201);

        String byWindow = "\"factoryId\":\"" + factory + "\",\"from\":\"" + now.minus(Duration.ofDays(1))
                + "\",\"to\":\"" + now.plus(Duration.ofHours(1)) + "\"";
        job("{" + byWindow + ",\"dryRun\":true}")
                .statusCode(200)
                .body("dryRun", equalTo(true))
                .body("selected", equalTo(3))
                .body("alreadyRevoked", equalTo(1))
                .body("wouldRevoke", equalTo(2));
        assertNull(ocsp(window.get(1).serialNumber()).getCertStatus(), "a dry run revokes nothing");

        String first = job("{" + byWindow + ",\"reason\":\"KEY_COMPROMISE\",\"comment\":\"INC-9: line 3 keys\"}")
                .statusCode(202)
                .extract()
                .path("jobId");
        ValidatableResponse done = awaitJob(first);
        done.body("selected", equalTo(3)).body("revoked", equalTo(2)).body("requestedBy", equalTo(REVOKER));
        for (CertIssuedV1 issued : window.subList(1, 3)) {
            RevokedStatus status = assertInstanceOf(
                    RevokedStatus.class, ocsp(issued.serialNumber()).getCertStatus());
            assertEquals(1, status.getRevocationReason());
        }
        assertEquals(
                4,
                assertInstanceOf(
                                RevokedStatus.class,
                                ocsp(window.get(0).serialNumber()).getCertStatus())
                        .getRevocationReason(),
                "revoked before the job, it keeps its own revocation");
        for (CertIssuedV1 issued : later) {
            assertNull(ocsp(issued.serialNumber()).getCertStatus(), "after the window: still good");
        }
        CertRevokedV1 announced = EventCodec.decode(
                TestTopics.await(
                                Topics.CERT_REVOKED,
                                r -> TestTopics.value(r).contains(window.get(1).serialNumber()),
                                1,
                                WAIT)
                        .get(0)
                        .value(),
                CertRevokedV1.class);
        assertEquals(first, announced.jobId());
        assertEquals("INC-9: line 3 keys", announced.comment());

        String byOrder = "{\"orderId\":\"" + order + "\",\"reason\":\"CESSATION_OF_OPERATION\"";
        job(byOrder + ",\"dryRun\":true}")
                .statusCode(200)
                .body("selected", equalTo(5))
                .body("wouldRevoke", equalTo(2));
        String second = job(byOrder + "}").statusCode(202).extract().path("jobId");
        awaitJob(second).body("revoked", equalTo(2)).body("selector.orderId", equalTo(order));
        for (CertIssuedV1 issued : later) {
            assertInstanceOf(RevokedStatus.class, ocsp(issued.serialNumber()).getCertStatus());
        }
        assertNull(ocsp(elsewhere.serialNumber()).getCertStatus(), "another order's certificate stays good");
        String again = job(byOrder + "}").statusCode(202).extract().path("jobId");
        awaitJob(again).body("selected", equalTo(5)).body("revoked", equalTo(0));

        Set<String> revokedSerials =
                all.subList(0, 5).stream().map(CertIssuedV1::serialNumber).collect(java.util.stream.Collectors.toSet());
        assertEquals(
                1,
                TestTopics.await(
                                Topics.CRL_SIGN_REQUESTED,
                                r -> EventCodec.decode(r.value(), CrlSignRequestedV1.class).entries().stream()
                                        .map(e -> e.serialNumber())
                                        .collect(java.util.stream.Collectors.toSet())
                                        .containsAll(revokedSerials),
                                1,
                                WAIT)
                        .size(),
                "a CRL request lists every certificate the jobs revoked");
    }

    /**
     * Dual control: a job beyond the threshold (3 in tests) waits; the revoker who asked cannot approve it, an
     * auditor may not, a second revoker can, once; its revocations name both. A rejected job revokes nothing.
     */
    @Test
    void aLargeJobWaitsForASecondRevoker() throws Exception {
        String order = "order-" + UUID.randomUUID();
        List<CertIssuedV1> certificates = recordedInOrder("factory-dual", order, 4);
        String byOrder = "{\"orderId\":\"" + order + "\",\"reason\":\"KEY_COMPROMISE\"";
        job(byOrder + ",\"dryRun\":true}").statusCode(200).body("needsSecondOperator", equalTo(true));

        String rejected = job(byOrder + "}")
                .statusCode(202)
                .body("status", equalTo("AWAITING_APPROVAL"))
                .extract()
                .path("jobId");
        as(SECOND_REVOKER)
                .post("/revocations/jobs/" + rejected + "/reject")
                .then()
                .statusCode(200)
                .body("status", equalTo("REJECTED"))
                .body("approvedBy", equalTo(SECOND_REVOKER));

        String id = job(byOrder + ",\"comment\":\"INC-12\"}")
                .statusCode(202)
                .body("status", equalTo("AWAITING_APPROVAL"))
                .extract()
                .path("jobId");
        Thread.sleep(1000);
        for (CertIssuedV1 issued : certificates) {
            assertNull(ocsp(issued.serialNumber()).getCertStatus(), "nothing revoked before approval");
        }
        decide(REVOKER, id, "approve").statusCode(403).body("code", equalTo("SECOND_OPERATOR_REQUIRED"));
        decide(AUDITOR, id, "approve").statusCode(403).body("code", equalTo("FORBIDDEN"));
        given().post("/revocations/jobs/" + id + "/approve").then().statusCode(401);
        decide(SECOND_REVOKER, id, "approve")
                .statusCode(200)
                .body("status", equalTo("RUNNING"))
                .body("requestedBy", equalTo(REVOKER))
                .body("approvedBy", equalTo(SECOND_REVOKER));
        decide(SECOND_REVOKER, id, "approve").statusCode(409).body("code", equalTo("JOB_NOT_AWAITING_APPROVAL"));
        decide(SECOND_REVOKER, rejected, "approve").statusCode(409);
        awaitJob(id).body("revoked", equalTo(4));
        for (CertIssuedV1 issued : certificates) {
            assertInstanceOf(RevokedStatus.class, ocsp(issued.serialNumber()).getCertStatus());
        }
        CertRevokedV1 announced = EventCodec.decode(
                TestTopics.await(
                                Topics.CERT_REVOKED,
                                r -> TestTopics.value(r)
                                        .contains(certificates.get(0).serialNumber()),
                                1,
                                WAIT)
                        .get(0)
                        .value(),
                CertRevokedV1.class);
        assertEquals(id, announced.jobId());
        assertEquals(REVOKER, announced.revokedBy());
        assertEquals(SECOND_REVOKER, announced.approvedBy());
    }

    /** {@code count} certificates of one order, published to cert.issued and recorded (OCSP says good). */
    private static List<CertIssuedV1> recordedInOrder(String factory, String order, int count) throws Exception {
        List<CertIssuedV1> certificates = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            CertIssuedV1 issued = TestEvents.inOrder(TestEvents.issued(), factory, order, null, null);
            TestEvents.publish(issued, issued.deviceId());
            certificates.add(issued);
        }
        for (CertIssuedV1 issued : certificates) {
            Awaitility.await()
                    .atMost(WAIT)
                    .untilAsserted(() -> assertNull(ocsp(issued.serialNumber()).getCertStatus(), "recorded"));
        }
        return certificates;
    }

    private static ValidatableResponse decide(String operator, String id, String decision) {
        return as(operator).post("/revocations/jobs/" + id + "/" + decision).then();
    }

    /** A job a stop left RUNNING (recorded, no chunk done) is carried on: its certificates end revoked, it DONE. */
    @Test
    void aJobAStopInterruptedIsResumed() throws Exception {
        String order = "order-" + UUID.randomUUID();
        List<CertIssuedV1> certificates = recordedInOrder("factory-resume", order, 3);
        String job = UUID.randomUUID().toString();
        try (Connection db = TestDatabase.connect();
                Statement statement = db.createStatement()) {
            statement.execute("INSERT INTO revocation.revocation_job (id, selector, reason, requested_by, created_at,"
                    + " status, selected, revoked) VALUES ('" + job + "', '{\"orderId\":\"" + order
                    + "\"}', 'AFFILIATION_CHANGED', 'operator', now(), 'RUNNING', 3, 0)");
        }
        bulk.resumeRunning();
        as(REVOKER)
                .get("/revocations/jobs/" + job)
                .then()
                .statusCode(200)
                .body("status", equalTo("DONE"))
                .body("revoked", equalTo(3));
        for (CertIssuedV1 issued : certificates) {
            assertEquals(
                    3,
                    assertInstanceOf(
                                    RevokedStatus.class,
                                    ocsp(issued.serialNumber()).getCertStatus())
                            .getRevocationReason());
        }
    }

    @Test
    void refusesBulkRevocationsWithoutOneSelectorOrCredential() {
        job("{\"orderId\":\"a\",\"stationId\":\"b\"}").statusCode(400).body("code", equalTo("INVALID_SELECTOR"));
        job("{}").statusCode(400).body("code", equalTo("INVALID_SELECTOR"));
        job("{\"factoryId\":\"f\",\"from\":\"2026-01-01T00:00:00Z\"}")
                .statusCode(400)
                .body("code", equalTo("INVALID_SELECTOR"));
        job("{\"serials\":[\"xyz\"]}").statusCode(400).body("code", equalTo("INVALID_SERIAL"));
        job("{\"orderId\":\"a\",\"reason\":\"BORED\"}").statusCode(400).body("code", equalTo("INVALID_REASON"));
        given().contentType("application/json")
                .body("{\"orderId\":\"a\",\"dryRun\":true}")
                .post("/revocations/jobs")
                .then()
                .statusCode(401)
                .body("code", equalTo("UNAUTHORIZED"));
        for (String wrongRole : List.of(AUDITOR, NO_ROLE)) {
            as(wrongRole)
                    .contentType("application/json")
                    .body("{\"orderId\":\"a\",\"dryRun\":true}")
                    .post("/revocations/jobs")
                    .then()
                    .statusCode(403)
                    .body("code", equalTo("FORBIDDEN"));
        }
        as(REVOKER)
                .get("/revocations/jobs/" + UUID.randomUUID())
                .then()
                .statusCode(404)
                .body("code", equalTo("JOB_NOT_FOUND"));
    }

    private static ValidatableResponse job(String body) {
        return as(REVOKER)
                .contentType("application/json")
                .body(body)
                .post("/revocations/jobs")
                .then();
    }

    private static ValidatableResponse awaitJob(String id) {
        return Awaitility.await()
                .atMost(WAIT)
                .until(
                        () -> as(REVOKER).get("/revocations/jobs/" + id).then().statusCode(200),
                        r -> "DONE".equals(r.extract().path("status")));
    }

    /** The root's CRL (signed in the ceremony) at the URL its CA certificates name, cacheable until nextUpdate. */
    @Test
    void servesTheRootsOwnCrlWithCachingHeadersAndAnswersUnchangedWith304() throws Exception {
        X509Certificate root = certificate("root-ca.pem");
        String path = "/crl/" + IssuerKeyId.of(root);
        ExtractableResponse<Response> served = given().get(path)
                .then()
                .statusCode(200)
                .contentType("application/pkix-crl")
                .extract();
        byte[] der = served.asByteArray();
        X509CRL crl = CrlFactory.verify(der, root, RootCrls.number(CrlFactory.parse(der)));
        long maxAge =
                Duration.between(Instant.now(), crl.getNextUpdate().toInstant()).toSeconds();
        String cacheControl = served.header("Cache-Control");
        assertTrue(cacheControl.startsWith("max-age="), cacheControl);
        long announced = Long.parseLong(cacheControl.replaceAll("max-age=(\\d+),.*", "$1"));
        assertTrue(Math.abs(announced - maxAge) <= 5, cacheControl + " vs nextUpdate " + crl.getNextUpdate());
        String etag = served.header("ETag");
        assertTrue(etag.matches("\"[0-9a-f]{64}\""), etag);
        given().header("If-None-Match", etag).get(path).then().statusCode(304);
        given().header("If-None-Match", "\"" + "0".repeat(64) + "\"")
                .get(path)
                .then()
                .statusCode(200);
    }

    @Test
    void refusesOcspForACaItDoesNotServeAndUnknownCrlIssuers() throws Exception {
        byte[] request = new OCSPReqBuilder()
                .addRequest(new CertificateID(
                        new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1),
                        new X509CertificateHolder(certificate("station-ca.pem").getEncoded()),
                        BigInteger.TEN))
                .build()
                .getEncoded();
        assertEquals(6, new OCSPResp(ocspResponse(request)).getStatus(), "unauthorized");
        given().get("/crl/" + "ab".repeat(32)).then().statusCode(404).body("code", equalTo("ISSUER_UNKNOWN"));
    }

    @Test
    void keepsAFullCrlPerPartitionAndListsARevocationInItsDeltaFirst() throws Exception {
        CrlDistribution shards = new CrlDistribution(
                "http://127.0.0.1:8085/crl/{issuer-key-id}/{shard}",
                4,
                "http://127.0.0.1:8085/crl/{issuer-key-id}/{shard}/delta");
        CertIssuedV1 issued =
                TestEvents.issued(KeyAliases.ISSUING_CA, "dev-" + UUID.randomUUID(), Instant.now(), shards);
        X509Certificate certificate = Pem.certificates(issued.certificate()).get(0);
        String point = CrlExtensions.distributionPoint(certificate);
        int shard = Integer.parseInt(point.substring(point.lastIndexOf('/') + 1));
        String path = "/crl/" + IssuerKeyId.of(issuingCa()) + "/" + shard;
        TestEvents.publish(issued, issued.deviceId());

        // A partition seen for the first time gets its full CRL at once, whether or not another test made it first.
        CrlSignRequestedV1 first = awaitCrlRequest(r -> point.equals(r.distributionPoint()) && r.deltaBase() == null);
        TestEvents.publish(signAsTheSignerWould(first), IssuerKeyId.of(issuingCa()) + "/" + shard);
        Awaitility.await()
                .atMost(WAIT)
                .untilAsserted(() -> given().get(path).then().statusCode(200));
        X509CRL full = CrlFactory.parse(given().get(path).then().extract().asByteArray());
        assertEquals(point, CrlExtensions.distributionPoint(full));
        assertNull(full.getRevokedCertificate(certificate.getSerialNumber()));

        as(REVOKER)
                .contentType("application/json")
                .body("{\"serialNumber\":\"" + issued.serialNumber() + "\",\"reason\":\"KEY_COMPROMISE\"}")
                .post("/revocations")
                .then()
                .statusCode(201);
        CrlSignRequestedV1 delta = awaitCrlRequest(r -> point.equals(r.distributionPoint())
                && r.deltaBase() != null
                && r.entries().stream().anyMatch(e -> e.serialNumber().equals(issued.serialNumber())));
        assertTrue(delta.deltaBase() >= first.crlNumber(), "over the partition's newest full CRL");
        assertTrue(
                delta.nextUpdate().isBefore(delta.thisUpdate().plus(Duration.ofHours(2))),
                "a delta is short-lived: " + delta.nextUpdate());
        TestEvents.publish(signAsTheSignerWould(delta), IssuerKeyId.of(issuingCa()) + "/" + shard + "/delta");
        Awaitility.await()
                .atMost(WAIT)
                .untilAsserted(() -> given().get(path + "/delta").then().statusCode(200));
        X509CRL deltaCrl =
                CrlFactory.parse(given().get(path + "/delta").then().extract().asByteArray());
        assertEquals(delta.deltaBase(), CrlExtensions.deltaBase(deltaCrl));
        assertNotNull(deltaCrl.getRevokedCertificate(certificate.getSerialNumber()));
        given().get("/crl/" + IssuerKeyId.of(issuingCa()) + "/" + (shard + 4) + "/delta")
                .then()
                .statusCode(404)
                .body("code", equalTo("DELTA_CRL_NOT_AVAILABLE"));
    }

    private static CrlSignRequestedV1 awaitCrlRequest(java.util.function.Predicate<CrlSignRequestedV1> wanted) {
        return TestTopics.await(
                        Topics.CRL_SIGN_REQUESTED,
                        r -> wanted.test(EventCodec.decode(r.value(), CrlSignRequestedV1.class)),
                        1,
                        WAIT)
                .stream()
                .map(r -> EventCodec.decode(r.value(), CrlSignRequestedV1.class))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no such crl.sign-requested"));
    }

    private static CrlSignRequestedV1 request(CertIssuedV1 issued) {
        return EventCodec.decode(
                TestTopics.await(
                                Topics.CRL_SIGN_REQUESTED,
                                r -> TestTopics.value(r).contains(issued.serialNumber()),
                                1,
                                WAIT)
                        .get(0)
                        .value(),
                CrlSignRequestedV1.class);
    }

    private static CertIssuedV1 issuedBySecondCa() {
        return TestEvents.issued(TestToken.ISSUING_CA_2, "dev-" + UUID.randomUUID(), Instant.now());
    }

    private static CrlPublishedV1 signAsTheSignerWould(CrlSignRequestedV1 request) throws Exception {
        return signAsTheSignerWould(request, KeyAliases.ISSUING_CA);
    }

    private static CrlPublishedV1 signAsTheSignerWould(CrlSignRequestedV1 request, String alias) throws Exception {
        CaKey issuing = new Pkcs11KeyBackend(
                        new Pkcs11Config(Pkcs11Config.SOFTHSM2, 0),
                        TestToken.userPin().toCharArray())
                .key(alias);
        List<RevokedEntry> entries = request.entries().stream()
                .map(e -> new RevokedEntry(
                        Serials.parse(e.serialNumber()),
                        e.revokedAt(),
                        e.reason().code()))
                .toList();
        String point = request.distributionPoint();
        CrlScope scope = request.deltaBase() != null
                ? CrlScope.delta(point, request.deltaBase())
                : point == null ? CrlScope.WHOLE_CA : CrlScope.full(point, point + "/delta");
        X509CRL crl = new CrlFactory()
                .build(issuing, request.crlNumber(), request.thisUpdate(), request.nextUpdate(), entries, scope);
        return new CrlPublishedV1(
                request.requestId(),
                request.issuer(),
                request.crlNumber(),
                request.thisUpdate(),
                request.nextUpdate(),
                entries.size(),
                Base64.getEncoder().encodeToString(crl.getEncoded()),
                point,
                point == null ? null : Integer.valueOf(point.substring(point.lastIndexOf('/') + 1)),
                request.deltaBase());
    }

    private static X509Certificate issuingCa() throws Exception {
        return certificate("issuing-ca.pem");
    }

    private static X509Certificate certificate(String file) throws Exception {
        return Pem.certificates(Files.readString(TestToken.certificates().resolve(file)))
                .get(0);
    }
}
