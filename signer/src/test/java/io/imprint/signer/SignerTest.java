package io.imprint.signer;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imprint.contracts.EventCodec;
import io.imprint.contracts.Headers;
import io.imprint.contracts.ReasonCode;
import io.imprint.contracts.RevocationReason;
import io.imprint.contracts.Topics;
import io.imprint.contracts.events.CertIssuedV1;
import io.imprint.contracts.events.CrlEntry;
import io.imprint.contracts.events.CrlPublishedV1;
import io.imprint.contracts.events.CrlSignRequestedV1;
import io.imprint.contracts.events.CsrAcceptedV1;
import io.imprint.contracts.events.CsrRejectedV1;
import io.imprint.pki.IssuerKeyId;
import io.imprint.pki.Pem;
import io.imprint.pki.Serials;
import io.imprint.pki.crl.CrlExtensions;
import io.imprint.pki.crl.CrlFactory;
import io.imprint.pki.crl.RevokedEntry;
import io.imprint.pki.csr.CsrBuilder;
import io.imprint.pki.keys.CaKey;
import io.imprint.testing.ImprintTestInfrastructure;
import io.imprint.testing.TestEvents;
import io.imprint.testing.TestIdentities;
import io.imprint.testing.TestStations;
import io.imprint.testing.TestToken;
import io.imprint.testing.TestTopics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.junit.jupiter.api.Test;

/** The signer on the real broker, signing through SunPKCS11 with the issuing CA key in SoftHSM2. */
@QuarkusTest
@QuarkusTestResource(ImprintTestInfrastructure.class)
class SignerTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void issuesIdevidCertificateSignedByTheIssuingCaInTheToken() throws Exception {
        String device = "dev-" + UUID.randomUUID();
        CsrAcceptedV1 accepted =
                accepted(device, CsrBuilder.devicePem(device, TestStations.ecKey(), "SHA256withECDSA"), "idevid");
        publish(accepted);
        CertIssuedV1 issued = EventCodec.decode(
                awaitOne(Topics.CERT_ISSUED, accepted.requestId()).value(), CertIssuedV1.class);
        X509Certificate cert = Pem.certificates(issued.certificate()).get(0);
        X509Certificate issuingCa = tokenCertificate("issuing-ca.pem");
        cert.verify(issuingCa.getPublicKey());
        assertEquals(issuingCa, Pem.certificates(issued.chain()).get(0));
        assertEquals(cert.getSerialNumber().toString(16), issued.serialNumber());
        assertEquals(accepted.serial(), issued.serialNumber(), "the serial intake drew when it accepted");
        assertTrue(cert.getSubjectX500Principal().getName().contains("SERIALNUMBER=" + device)
                || cert.getSubjectX500Principal().toString().contains("SERIALNUMBER=" + device));
        assertEquals(Instant.parse("9999-12-31T23:59:59Z"), issued.notAfter());
        assertEquals(device, issued.deviceId());
    }

    @Test
    void redeliveredRequestYieldsTheSameCertificateNeverASecondOne() throws Exception {
        String device = "dev-" + UUID.randomUUID();
        CsrAcceptedV1 accepted =
                accepted(device, CsrBuilder.devicePem(device, TestStations.ecKey(), "SHA256withECDSA"), "idevid");
        publish(accepted);
        publish(accepted);
        List<ConsumerRecord<String, byte[]>> both = TestTopics.await(
                Topics.CERT_ISSUED,
                r -> TestTopics.value(r).contains("\"requestId\":\"" + accepted.requestId() + "\""),
                2,
                WAIT);
        assertEquals(2, both.size());
        X509Certificate first = certificate(both.get(0));
        X509Certificate second = certificate(both.get(1));
        assertEquals(first.getSerialNumber(), second.getSerialNumber());
        assertEquals(accepted.serial(), first.getSerialNumber().toString(16));
        assertArrayEquals(first.getTBSCertificate(), second.getTBSCertificate());
        assertEquals(
                accepted.acceptedAt().truncatedTo(ChronoUnit.SECONDS),
                first.getNotBefore().toInstant());
    }

    @Test
    void emptySubjectProfileCarriesHardwareModuleNameAndPolicy() throws Exception {
        String device = "dev-" + UUID.randomUUID();
        CsrAcceptedV1 accepted =
                accepted(device, CsrBuilder.devicePem(device, TestStations.ecKey(), "SHA256withECDSA"), "hmn");
        publish(accepted);
        X509Certificate cert = certificate(awaitOne(Topics.CERT_ISSUED, accepted.requestId()));
        assertEquals("", cert.getSubjectX500Principal().getName());
        assertTrue(cert.getCriticalExtensionOIDs().contains("2.5.29.17"), "SAN is critical");
        assertNotNull(cert.getExtensionValue("2.5.29.32"), "certificate policies");
        assertEquals(
                Duration.ofDays(3650),
                Duration.between(
                        cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant()));
    }

    @Test
    void undecodableRecordGoesToTheDeadLetterTopicInsideTheTransaction() {
        String key = "poison-" + UUID.randomUUID();
        byte[] poison = "{not json".getBytes(StandardCharsets.UTF_8);
        TestTopics.produce(
                Topics.CSR_ACCEPTED,
                key,
                poison,
                TestIdentities.credential("csr-intake").sign(poison));
        ConsumerRecord<String, byte[]> dead = awaitDeadLetter(key);
        assertTrue(TestTopics.header(dead, Headers.DLQ_REASON).contains("not valid JSON"));
        assertEquals("MALFORMED_EVENT", TestTopics.header(dead, Headers.DLQ_CODE));
    }

    @Test
    void commandsNotSignedByIntakeNeverReachTheCaKey() {
        CsrAcceptedV1 unsigned = acceptedFreshDevice();
        TestEvents.publish(unsigned, unsigned.deviceId());
        assertQuarantined(unsigned, "COMMAND_UNSIGNED");

        CsrAcceptedV1 byRevocation = acceptedFreshDevice();
        TestEvents.publishSigned(byRevocation, byRevocation.deviceId(), "revocation");
        assertQuarantined(byRevocation, "COMMAND_SIGNER_NOT_AUTHORIZED");

        CsrAcceptedV1 byStation = acceptedFreshDevice();
        byte[] value = EventCodec.encode(byStation);
        Map<String, String> station =
                TestStations.enrol("factory-a", "station-1").sign(value);
        TestTopics.produce(
                Topics.CSR_ACCEPTED,
                byStation.deviceId(),
                value,
                Map.of(
                        Headers.SERVICE_CERT, station.get(Headers.STATION_CERT),
                        Headers.SERVICE_SIGNATURE, station.get(Headers.STATION_SIGNATURE)));
        assertQuarantined(byStation, "COMMAND_SIGNER_UNTRUSTED");

        CsrAcceptedV1 original = acceptedFreshDevice();
        CsrAcceptedV1 altered = new CsrAcceptedV1(
                original.requestId(),
                original.deviceId(),
                "another-factory",
                original.stationId(),
                original.orderId(),
                original.csr(),
                original.profile(),
                original.acceptedAt(),
                original.issuingCa(),
                original.serial());
        TestTopics.produce(
                Topics.CSR_ACCEPTED,
                altered.deviceId(),
                EventCodec.encode(altered),
                TestIdentities.credential("csr-intake").sign(EventCodec.encode(original)));
        assertQuarantined(altered, "COMMAND_SIGNATURE_INVALID");

        given().get("/q/metrics")
                .then()
                .body(containsString(
                        "imprint_quarantined_total{reason=\"COMMAND_UNSIGNED\",topic=\"imprint.csr.accepted.v1\"}"));
    }

    @Test
    void aFactorysStationsGetTheirCertificateOnTheirResultsTopic() {
        String factory = "factory-s" + UUID.randomUUID().toString().substring(0, 8);
        TestStations.enrolAndGrant(factory, "station-s");
        String device = "dev-" + UUID.randomUUID();
        CsrAcceptedV1 accepted = new CsrAcceptedV1(
                UUID.randomUUID().toString(),
                device,
                factory,
                "station-s",
                "order-1",
                CsrBuilder.devicePem(device, TestStations.ecKey(), "SHA256withECDSA"),
                "idevid",
                Instant.now(),
                null,
                Serials.hex(Serials.random()));
        publish(accepted);
        ConsumerRecord<String, byte[]> issued = awaitOne(Topics.CERT_ISSUED, accepted.requestId());
        ConsumerRecord<String, byte[]> copy = awaitOne(Topics.stationResults(factory), accepted.requestId());
        assertArrayEquals(issued.value(), copy.value());
        assertEquals("imprint.cert.issued", TestTopics.header(copy, Headers.CE_TYPE));
    }

    private static CsrAcceptedV1 acceptedFreshDevice() {
        String device = "dev-" + UUID.randomUUID();
        return accepted(device, CsrBuilder.devicePem(device, TestStations.ecKey(), "SHA256withECDSA"), "idevid");
    }

    /** Set aside with its code, and neither signed nor rejected. */
    private static void assertQuarantined(CsrAcceptedV1 request, String code) {
        ConsumerRecord<String, byte[]> dead = awaitDeadLetter(request.deviceId());
        assertEquals(code, TestTopics.header(dead, Headers.DLQ_CODE), TestTopics.header(dead, Headers.DLQ_REASON));
        assertEquals(
                0,
                TestTopics.await(
                                List.of(Topics.CERT_ISSUED, Topics.CSR_REJECTED),
                                r -> TestTopics.value(r).contains(request.requestId()),
                                1,
                                Duration.ofSeconds(1))
                        .size(),
                "nothing was signed or answered for " + code);
    }

    private static ConsumerRecord<String, byte[]> awaitDeadLetter(String key) {
        List<ConsumerRecord<String, byte[]>> dead =
                TestTopics.await("imprint.csr.accepted.v1.signer.dlq", r -> key.equals(r.key()), 1, WAIT);
        assertEquals(1, dead.size(), "dead letter " + key);
        return dead.get(0);
    }

    @Test
    void reverifiesTheCsrAndRejectsWhatIntakeShouldHaveCaught() {
        String device = "dev-" + UUID.randomUUID();
        CsrAcceptedV1 accepted = accepted(
                device, CsrBuilder.devicePem("other-device", TestStations.ecKey(), "SHA256withECDSA"), "idevid");
        publish(accepted);
        CsrRejectedV1 rejected = EventCodec.decode(
                awaitOne(Topics.CSR_REJECTED, accepted.requestId()).value(), CsrRejectedV1.class);
        assertEquals(ReasonCode.CSR_SUBJECT_MISMATCH, rejected.reason());
        assertEquals("signer", rejected.rejectedBy());
    }

    @Test
    void rejectsUnknownProfileWithoutSigning() {
        String device = "dev-" + UUID.randomUUID();
        CsrAcceptedV1 accepted = accepted(
                device, CsrBuilder.devicePem(device, TestStations.ecKey(), "SHA256withECDSA"), "no-such-profile");
        publish(accepted);
        CsrRejectedV1 rejected = EventCodec.decode(
                awaitOne(Topics.CSR_REJECTED, accepted.requestId()).value(), CsrRejectedV1.class);
        assertEquals(ReasonCode.PROFILE_UNKNOWN, rejected.reason());
    }

    @Test
    void ordersNamingTheSecondIssuingCaGetItsSignatureAndItsOwnCrlDistributionPoint() throws Exception {
        CertIssuedV1 issued = issue(TestToken.ISSUING_CA_2);
        X509Certificate cert = Pem.certificates(issued.certificate()).get(0);
        X509Certificate second = tokenCertificate(TestToken.ISSUING_CA_2 + ".pem");
        cert.verify(second.getPublicKey());
        assertEquals(second, Pem.certificates(issued.chain()).get(0));
        assertEquals(second.getSubjectX500Principal().getName(), issued.issuer());
        assertEquals(
                "http://127.0.0.1:8085/crl/" + IssuerKeyId.of(second) + "/"
                        + cert.getSerialNumber().mod(BigInteger.valueOf(256)),
                crlDistributionPoint(cert),
                "the CA's own partitioned CRL, the shard being the serial modulo crl-shards");

        X509Certificate firstCert = Pem.certificates(issue(null).certificate()).get(0);
        X509Certificate first = tokenCertificate("issuing-ca.pem");
        assertTrue(crlDistributionPoint(firstCert).contains("/crl/" + IssuerKeyId.of(first) + "/"));
    }

    /** Publishes an idevid request for a fresh device under {@code issuingCa} (null: the default); its certificate. */
    private static CertIssuedV1 issue(String issuingCa) {
        String device = "dev-" + UUID.randomUUID();
        CsrAcceptedV1 accepted = accepted(
                device, CsrBuilder.devicePem(device, TestStations.ecKey(), "SHA256withECDSA"), "idevid", issuingCa);
        publish(accepted);
        return EventCodec.decode(
                awaitOne(Topics.CERT_ISSUED, accepted.requestId()).value(), CertIssuedV1.class);
    }

    private static X509Certificate tokenCertificate(String file) throws Exception {
        return Pem.certificates(Files.readString(TestToken.certificates().resolve(file)))
                .get(0);
    }

    private static String crlDistributionPoint(X509Certificate cert) {
        CRLDistPoint points = CRLDistPoint.getInstance(
                ASN1OctetString.getInstance(cert.getExtensionValue(Extension.cRLDistributionPoints.getId()))
                        .getOctets());
        GeneralNames names = (GeneralNames)
                points.getDistributionPoints()[0].getDistributionPoint().getName();
        return names.getNames()[0].getName().toString();
    }

    @Test
    void rejectsOrderNamingAnIssuingCaItDoesNotHold() {
        String device = "dev-" + UUID.randomUUID();
        CsrAcceptedV1 accepted = accepted(
                device,
                CsrBuilder.devicePem(device, TestStations.ecKey(), "SHA256withECDSA"),
                "idevid",
                "factory-9-issuing-ca");
        publish(accepted);
        CsrRejectedV1 rejected = EventCodec.decode(
                awaitOne(Topics.CSR_REJECTED, accepted.requestId()).value(), CsrRejectedV1.class);
        assertEquals(ReasonCode.ISSUER_UNAVAILABLE, rejected.reason());
    }

    @Test
    void signsCrlFromEntriesRevocationSends() throws Exception {
        X509Certificate issuingCa = crlTestsCa();
        String serial = Serials.hex(Serials.random());
        Set<String> serials = union(lastCrlSerials(), serial);
        CrlSignRequestedV1 request = crlRequest(nextCrlNumber(), serials);
        TestEvents.publishSigned(request, "crl", "revocation");
        ConsumerRecord<String, byte[]> record = awaitOne(Topics.CRL_PUBLISHED, request.requestId());
        assertEquals(
                IssuerKeyId.of(issuingCa), record.key(), "keyed by the CA's key id: compaction keeps each CA's newest");
        CrlPublishedV1 published = EventCodec.decode(record.value(), CrlPublishedV1.class);
        X509CRL crl = (X509CRL) CertificateFactory.getInstance("X.509")
                .generateCRL(new ByteArrayInputStream(Base64.getDecoder().decode(published.crl())));
        crl.verify(issuingCa.getPublicKey());
        assertNotNull(crl.getRevokedCertificate(new BigInteger(serial, 16)));
        assertEquals(serials.size(), published.entryCount());
    }

    @Test
    void crlRequestsThatAreForgedOrBreakTheCasInvariantsAreNeverSigned() {
        long number = nextCrlNumber();
        Set<String> before = lastCrlSerials();
        // Serials of this run only: earlier runs' CRLs on the same broker may list any fixed one already.
        String a1 = Serials.hex(Serials.random());
        String b2 = Serials.hex(Serials.random());
        String c3 = Serials.hex(Serials.random());
        CrlSignRequestedV1 first = crlRequest(number, union(before, a1, b2));
        TestEvents.publishSigned(first, "crl", "revocation");
        awaitOne(Topics.CRL_PUBLISHED, first.requestId());

        CrlSignRequestedV1 forged = crlRequest(number + 999_999, Set.of());
        TestEvents.publish(forged, "crl");
        assertCrlRefused(forged, "COMMAND_UNSIGNED");
        CrlSignRequestedV1 byIntake = crlRequest(number + 999_998, union(before, a1, b2));
        TestEvents.publishSigned(byIntake, "crl", "csr-intake");
        assertCrlRefused(byIntake, "COMMAND_SIGNER_NOT_AUTHORIZED");
        CrlSignRequestedV1 reused = crlRequest(number, union(before, a1, b2, c3));
        TestEvents.publishSigned(reused, "crl", "revocation");
        assertCrlRefused(reused, "CRL_NUMBER_NOT_INCREASING");
        CrlSignRequestedV1 shrunk = crlRequest(number + 1, union(before, a1));
        TestEvents.publishSigned(shrunk, "crl", "revocation");
        assertCrlRefused(shrunk, "CRL_DROPS_REVOKED_SERIAL");

        TestEvents.publishSigned(first, "crl", "revocation");
        CrlSignRequestedV1 next = crlRequest(number + 2, union(before, a1, b2, c3));
        TestEvents.publishSigned(next, "crl", "revocation");
        awaitOne(Topics.CRL_PUBLISHED, next.requestId());
        assertEquals(
                1,
                TestTopics.await(
                                Topics.CRL_PUBLISHED,
                                r -> TestTopics.value(r).contains(first.requestId()),
                                2,
                                Duration.ofSeconds(1))
                        .size(),
                "a request delivered again is not signed twice");
    }

    @Test
    void learnsEachCasLastCrlFromItsCaSignedHistoryAndIgnoresForgeriesThere() throws Exception {
        long number = nextCrlNumber();
        Set<String> before = lastCrlSerials();
        String e1 = Serials.hex(Serials.random());
        // A CRL the CA really signed, published by another signer instance: this one must hold to it too.
        CrlSignRequestedV1 elsewhere = crlRequest(number + 10, union(before, e1));
        CaKey ca = TestToken.token().key(TestToken.ISSUING_CA_FOR_CRL_TESTS);
        X509CRL signed = new CrlFactory()
                .build(
                        ca,
                        elsewhere.crlNumber(),
                        elsewhere.thisUpdate(),
                        elsewhere.nextUpdate(),
                        elsewhere.entries().stream()
                                .map(e -> new RevokedEntry(
                                        Serials.parse(e.serialNumber()),
                                        e.revokedAt(),
                                        e.reason().code()))
                                .toList());
        TestEvents.publish(
                new CrlPublishedV1(
                        elsewhere.requestId(),
                        elsewhere.issuer(),
                        elsewhere.crlNumber(),
                        elsewhere.thisUpdate(),
                        elsewhere.nextUpdate(),
                        elsewhere.entries().size(),
                        Base64.getEncoder().encodeToString(signed.getEncoded())),
                IssuerKeyId.of(ca.certificate()));
        // And a forged one claiming a far higher number: not signed by the CA, so it counts for nothing.
        TestEvents.publish(
                new CrlPublishedV1(
                        UUID.randomUUID().toString(),
                        elsewhere.issuer(),
                        number + 1_000_000,
                        elsewhere.thisUpdate(),
                        elsewhere.nextUpdate(),
                        0,
                        Base64.getEncoder().encodeToString(new byte[16])),
                IssuerKeyId.of(ca.certificate()));

        CrlSignRequestedV1 lower = crlRequest(number + 5, union(before, e1));
        TestEvents.publishSigned(lower, "crl", "revocation");
        assertCrlRefused(lower, "CRL_NUMBER_NOT_INCREASING");
        CrlSignRequestedV1 dropping = crlRequest(number + 11, before);
        TestEvents.publishSigned(dropping, "crl", "revocation");
        assertCrlRefused(dropping, "CRL_DROPS_REVOKED_SERIAL");
        CrlSignRequestedV1 next = crlRequest(number + 12, union(before, e1));
        TestEvents.publishSigned(next, "crl", "revocation");
        awaitOne(Topics.CRL_PUBLISHED, next.requestId());
    }

    @Test
    void signsPartitionedAndDeltaCrlsOnlyForDistributionPointsItsProfilesWrite() throws Exception {
        X509Certificate ca = crlTestsCa();
        String point = "http://127.0.0.1:8085/crl/" + IssuerKeyId.of(ca) + "/" + (int) (Math.random() * 256);
        long number = nextCrlNumber();
        String revoked = Serials.hex(Serials.random());
        CrlSignRequestedV1 full = scoped(crlRequest(number, Set.of()), point, null);
        TestEvents.publishSigned(full, "crl", "revocation");
        ConsumerRecord<String, byte[]> record = awaitOne(Topics.CRL_PUBLISHED, full.requestId());
        CrlPublishedV1 published = EventCodec.decode(record.value(), CrlPublishedV1.class);
        X509CRL fullCrl = CrlFactory.verify(Base64.getDecoder().decode(published.crl()), ca, number);
        assertEquals(point, CrlExtensions.distributionPoint(fullCrl));
        assertEquals(Integer.valueOf(point.substring(point.lastIndexOf('/') + 1)), published.shard());
        assertEquals(published.distributionPoint(), point);
        assertNotNull(fullCrl.getExtensionValue(Extension.freshestCRL.getId()), "a full CRL points at its deltas");

        CrlSignRequestedV1 delta = scoped(crlRequest(number + 1, Set.of(revoked)), point, number);
        TestEvents.publishSigned(delta, "crl", "revocation");
        CrlPublishedV1 deltaPublished = EventCodec.decode(
                awaitOne(Topics.CRL_PUBLISHED, delta.requestId()).value(), CrlPublishedV1.class);
        X509CRL deltaCrl = CrlFactory.verify(Base64.getDecoder().decode(deltaPublished.crl()), ca, number + 1);
        assertEquals(number, CrlExtensions.deltaBase(deltaCrl));
        assertNotNull(deltaCrl.getRevokedCertificate(new BigInteger(revoked, 16)));

        CrlSignRequestedV1 foreign = scoped(crlRequest(number + 2, Set.of()), "http://elsewhere.example/crl/1", null);
        TestEvents.publishSigned(foreign, "crl", "revocation");
        assertCrlRefused(foreign, "CRL_SCOPE_UNKNOWN");
        CrlSignRequestedV1 unbased = scoped(crlRequest(number + 4, Set.of(revoked)), point, number + 3);
        TestEvents.publishSigned(unbased, "crl", "revocation");
        assertCrlRefused(unbased, "CRL_DELTA_BASE_UNKNOWN");
    }

    private static CrlSignRequestedV1 scoped(CrlSignRequestedV1 request, String point, Long base) {
        return new CrlSignRequestedV1(
                request.requestId(),
                request.issuer(),
                request.crlNumber(),
                request.thisUpdate(),
                request.nextUpdate(),
                request.entries(),
                point,
                base);
    }

    private static void assertCrlRefused(CrlSignRequestedV1 request, String code) {
        List<ConsumerRecord<String, byte[]>> dead = TestTopics.await(
                "imprint.crl.sign-requested.v1.signer.dlq",
                r -> TestTopics.value(r).contains(request.requestId()),
                1,
                WAIT);
        assertEquals(1, dead.size(), code);
        assertEquals(
                code,
                TestTopics.header(dead.get(0), Headers.DLQ_CODE),
                TestTopics.header(dead.get(0), Headers.DLQ_REASON));
        assertEquals(
                0,
                TestTopics.await(
                                Topics.CRL_PUBLISHED,
                                r -> TestTopics.value(r).contains(request.requestId()),
                                1,
                                Duration.ofMillis(300))
                        .size(),
                "nothing signed for " + code);
    }

    /**
     * Above any CRL number the shared test broker's history holds for the test CA (earlier tests and runs):
     * the signer never signs a number it has passed.
     */
    private static long nextCrlNumber() {
        return System.currentTimeMillis() * 1000;
    }

    /** A full CRL request of the CRL tests' CA, listing {@code serials}. */
    private static CrlSignRequestedV1 crlRequest(long number, Set<String> serials) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return new CrlSignRequestedV1(
                UUID.randomUUID().toString(),
                crlTestsCa().getSubjectX500Principal().getName(),
                number,
                now,
                now.plus(Duration.ofHours(24)),
                serials.stream()
                        .map(serial -> new CrlEntry(serial, now.minusSeconds(5), RevocationReason.KEY_COMPROMISE))
                        .toList());
    }

    private static X509Certificate crlTestsCa() {
        try {
            return tokenCertificate(TestToken.ISSUING_CA_FOR_CRL_TESTS + ".pem");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The serials of the newest CRL the signer published for the CRL tests' CA (earlier tests, earlier runs on
     * the same broker): every later CRL must list them, or the signer refuses it.
     */
    private static Set<String> lastCrlSerials() {
        X509Certificate ca = crlTestsCa();
        String keyId = IssuerKeyId.of(ca);
        return TestTopics.await(
                        Topics.CRL_PUBLISHED, r -> keyId.equals(r.key()), Integer.MAX_VALUE, Duration.ofSeconds(2))
                .stream()
                .map(r -> EventCodec.decode(r.value(), CrlPublishedV1.class))
                .filter(published -> signedBy(ca, published) != null)
                .max(java.util.Comparator.comparingLong(CrlPublishedV1::crlNumber))
                .map(published -> signedBy(ca, published))
                .map(crl -> crl.getRevokedCertificates() == null
                        ? Set.<String>of()
                        : crl.getRevokedCertificates().stream()
                                .map(entry -> entry.getSerialNumber().toString(16))
                                .collect(Collectors.toSet()))
                .orElse(Set.of());
    }

    /** The CRL, if the CA signed it with that number: the history counts nothing else (a test writes a forged one). */
    private static X509CRL signedBy(X509Certificate ca, CrlPublishedV1 published) {
        try {
            return CrlFactory.verify(Base64.getDecoder().decode(published.crl()), ca, published.crlNumber());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Set<String> union(Set<String> serials, String... more) {
        Set<String> all = new TreeSet<>(serials);
        all.addAll(List.of(more));
        return all;
    }

    @Test
    void reportsTheTokenInReadinessAndCountsIssuance() {
        given().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body(containsString("issuing-ca"))
                .body(containsString("service:signer"))
                .body("checks.find { it.name == 'warm-up' }.data.'certificate issuance'", startsWith("20 rounds in "));
        given().get("/q/metrics").then().statusCode(200).body(containsString("imprint_signer_sign"));
        // On Linux x86_64, where the build ships AWS-LC, the signer verifies with it (see IMPRINT_VERIFY_PROVIDER).
        given().get("/q/health/live")
                .then()
                .statusCode(200)
                .body(containsString("signature-verification"))
                .body(containsString("AWS-LC, native"));
    }

    private static X509Certificate certificate(ConsumerRecord<String, byte[]> record) throws Exception {
        return Pem.certificates(
                        EventCodec.decode(record.value(), CertIssuedV1.class).certificate())
                .get(0);
    }

    /** Publishes a request as csr-intake does: signed with its identity. */
    private static void publish(CsrAcceptedV1 accepted) {
        TestEvents.publishSigned(accepted, accepted.deviceId(), "csr-intake");
    }

    private static CsrAcceptedV1 accepted(String device, String csr, String profile) {
        return accepted(device, csr, profile, null);
    }

    private static CsrAcceptedV1 accepted(String device, String csr, String profile, String issuingCa) {
        return new CsrAcceptedV1(
                UUID.randomUUID().toString(),
                device,
                "factory-a",
                "station-1",
                "order-1",
                csr,
                profile,
                Instant.now(),
                issuingCa,
                Serials.hex(Serials.random()));
    }

    private static ConsumerRecord<String, byte[]> awaitOne(String topic, String requestId) {
        List<ConsumerRecord<String, byte[]>> found = TestTopics.await(
                topic, r -> TestTopics.value(r).contains("\"requestId\":\"" + requestId + "\""), 1, WAIT);
        assertEquals(1, found.size(), "one record for request " + requestId + " on " + topic);
        assertEquals("1.0", TestTopics.header(found.get(0), Headers.CE_SPECVERSION));
        return found.get(0);
    }
}
