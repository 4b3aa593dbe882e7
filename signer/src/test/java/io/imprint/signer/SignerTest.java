package io.imprint.signer;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
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
import io.imprint.pki.csr.CsrBuilder;
import io.imprint.testing.ImprintTestInfrastructure;
import io.imprint.testing.TestStations;
import io.imprint.testing.TestToken;
import io.imprint.testing.TestEvents;
import io.imprint.testing.TestTopics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
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
        CsrAcceptedV1 accepted = accepted(device, CsrBuilder.devicePem(device, TestStations.ecKey(), "SHA256withECDSA"),
                "idevid");
        TestEvents.publish(accepted, device);
        CertIssuedV1 issued = EventCodec.decode(awaitOne(Topics.CERT_ISSUED, accepted.requestId()).value(),
                CertIssuedV1.class);
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
        CsrAcceptedV1 accepted = accepted(device, CsrBuilder.devicePem(device, TestStations.ecKey(), "SHA256withECDSA"),
                "idevid");
        TestEvents.publish(accepted, device);
        TestEvents.publish(accepted, device);
        List<ConsumerRecord<String, byte[]>> both = TestTopics.await(Topics.CERT_ISSUED,
                r -> TestTopics.value(r).contains("\"requestId\":\"" + accepted.requestId() + "\""), 2, WAIT);
        assertEquals(2, both.size());
        X509Certificate first = certificate(both.get(0));
        X509Certificate second = certificate(both.get(1));
        assertEquals(first.getSerialNumber(), second.getSerialNumber());
        assertEquals(accepted.serial(), first.getSerialNumber().toString(16));
        assertArrayEquals(first.getTBSCertificate(), second.getTBSCertificate());
        assertEquals(accepted.acceptedAt().truncatedTo(ChronoUnit.SECONDS), first.getNotBefore().toInstant());
    }

    @Test
    void deliberatelyBadProfilesAreRejectedByTheLintBeforeSigning() {
        for (String profile : List.of("bad-ec-encipherment", "bad-anonymous", "bad-code-signing")) {
            String device = "dev-" + UUID.randomUUID();
            CsrAcceptedV1 accepted = accepted(device,
                    CsrBuilder.devicePem(device, TestStations.ecKey(), "SHA256withECDSA"), profile);
            TestEvents.publish(accepted, device);
            CsrRejectedV1 rejected = EventCodec.decode(awaitOne(Topics.CSR_REJECTED, accepted.requestId()).value(),
                    CsrRejectedV1.class);
            assertEquals(ReasonCode.LINT_FAILED, rejected.reason(), profile);
            assertTrue(rejected.message().contains("pre-issuance lint of profile '" + profile + "'"),
                    rejected.message());
            assertEquals(0, TestTopics.await(Topics.CERT_ISSUED,
                    r -> TestTopics.value(r).contains(accepted.requestId()), 1, Duration.ofMillis(300)).size());
        }
    }

    @Test
    void emptySubjectProfileCarriesHardwareModuleNameAndPolicy() throws Exception {
        String device = "dev-" + UUID.randomUUID();
        CsrAcceptedV1 accepted = accepted(device, CsrBuilder.devicePem(device, TestStations.ecKey(), "SHA256withECDSA"),
                "hmn");
        TestEvents.publish(accepted, device);
        X509Certificate cert = certificate(awaitOne(Topics.CERT_ISSUED, accepted.requestId()));
        assertEquals("", cert.getSubjectX500Principal().getName());
        assertTrue(cert.getCriticalExtensionOIDs().contains("2.5.29.17"), "SAN is critical");
        assertNotNull(cert.getExtensionValue("2.5.29.32"), "certificate policies");
        assertEquals(Duration.ofDays(3650), Duration.between(cert.getNotBefore().toInstant(),
                cert.getNotAfter().toInstant()));
    }

    @Test
    void undecodableRecordGoesToTheDeadLetterTopicInsideTheTransaction() {
        String key = "poison-" + UUID.randomUUID();
        TestTopics.produce(Topics.CSR_ACCEPTED, key, "{not json".getBytes(), java.util.Map.of());
        List<ConsumerRecord<String, byte[]>> dead = TestTopics.await("imprint.csr.accepted.v1.signer.dlq",
                r -> key.equals(r.key()), 1, WAIT);
        assertEquals(1, dead.size());
        assertTrue(TestTopics.header(dead.get(0), "dead-letter-reason").contains("not valid JSON"));
    }

    @Test
    void reverifiesTheCsrAndRejectsWhatIntakeShouldHaveCaught() {
        String device = "dev-" + UUID.randomUUID();
        CsrAcceptedV1 accepted = accepted(device, CsrBuilder.devicePem("other-device", TestStations.ecKey(),
                "SHA256withECDSA"), "idevid");
        TestEvents.publish(accepted, device);
        CsrRejectedV1 rejected = EventCodec.decode(awaitOne(Topics.CSR_REJECTED, accepted.requestId()).value(),
                CsrRejectedV1.class);
        assertEquals(ReasonCode.CSR_SUBJECT_MISMATCH, rejected.reason());
        assertEquals("signer", rejected.rejectedBy());
    }

    @Test
    void rejectsUnknownProfileWithoutSigning() {
        String device = "dev-" + UUID.randomUUID();
        CsrAcceptedV1 accepted = accepted(device, CsrBuilder.devicePem(device, TestStations.ecKey(), "SHA256withECDSA"),
                "no-such-profile");
        TestEvents.publish(accepted, device);
        CsrRejectedV1 rejected = EventCodec.decode(awaitOne(Topics.CSR_REJECTED, accepted.requestId()).value(),
                CsrRejectedV1.class);
        assertEquals(ReasonCode.LINT_FAILED, rejected.reason());
    }

    @Test
    void ordersNamingTheSecondIssuingCaGetItsSignatureAndItsOwnCrlDistributionPoint() throws Exception {
        CertIssuedV1 issued = issue(TestToken.ISSUING_CA_2);
        X509Certificate cert = Pem.certificates(issued.certificate()).get(0);
        X509Certificate second = tokenCertificate(TestToken.ISSUING_CA_2 + ".pem");
        cert.verify(second.getPublicKey());
        assertEquals(second, Pem.certificates(issued.chain()).get(0));
        assertEquals(second.getSubjectX500Principal().getName(), issued.issuer());
        assertTrue(crlDistributionPoint(cert).endsWith("/crl/" + IssuerKeyId.of(second)), crlDistributionPoint(cert));

        X509Certificate firstCert = Pem.certificates(issue(null).certificate()).get(0);
        X509Certificate first = tokenCertificate("issuing-ca.pem");
        assertTrue(crlDistributionPoint(firstCert).endsWith("/crl/" + IssuerKeyId.of(first)));
    }

    /** Publishes an idevid request for a fresh device under {@code issuingCa} (null: the default); its certificate. */
    private static CertIssuedV1 issue(String issuingCa) {
        String device = "dev-" + UUID.randomUUID();
        CsrAcceptedV1 accepted = accepted(device, CsrBuilder.devicePem(device, TestStations.ecKey(), "SHA256withECDSA"),
                "idevid", issuingCa);
        TestEvents.publish(accepted, device);
        return EventCodec.decode(awaitOne(Topics.CERT_ISSUED, accepted.requestId()).value(), CertIssuedV1.class);
    }

    private static X509Certificate tokenCertificate(String file) throws Exception {
        return Pem.certificates(Files.readString(TestToken.certificates().resolve(file))).get(0);
    }

    private static String crlDistributionPoint(X509Certificate cert) {
        CRLDistPoint points = CRLDistPoint.getInstance(ASN1OctetString.getInstance(
                cert.getExtensionValue(Extension.cRLDistributionPoints.getId())).getOctets());
        GeneralNames names = (GeneralNames) points.getDistributionPoints()[0].getDistributionPoint().getName();
        return names.getNames()[0].getName().toString();
    }

    @Test
    void rejectsOrderNamingAnIssuingCaItDoesNotHold() {
        String device = "dev-" + UUID.randomUUID();
        CsrAcceptedV1 accepted = accepted(device, CsrBuilder.devicePem(device, TestStations.ecKey(), "SHA256withECDSA"),
                "idevid", "factory-9-issuing-ca");
        TestEvents.publish(accepted, device);
        CsrRejectedV1 rejected = EventCodec.decode(awaitOne(Topics.CSR_REJECTED, accepted.requestId()).value(),
                CsrRejectedV1.class);
        assertEquals(ReasonCode.ISSUER_UNAVAILABLE, rejected.reason());
    }

    @Test
    void signsCrlFromEntriesRevocationSends() throws Exception {
        X509Certificate issuingCa = tokenCertificate("issuing-ca.pem");
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        CrlSignRequestedV1 request = new CrlSignRequestedV1(UUID.randomUUID().toString(),
                issuingCa.getSubjectX500Principal().getName(), 1, now, now.plus(Duration.ofHours(24)),
                List.of(new CrlEntry("abc123", now.minusSeconds(5), RevocationReason.KEY_COMPROMISE)));
        // CRL number 1 can never outrank the numbers revocation allocates, whose tests share this topic.
        TestEvents.publish(request, "crl");
        CrlPublishedV1 published = EventCodec.decode(awaitOne(Topics.CRL_PUBLISHED, request.requestId()).value(),
                CrlPublishedV1.class);
        X509CRL crl = (X509CRL) CertificateFactory.getInstance("X.509")
                .generateCRL(new ByteArrayInputStream(Base64.getDecoder().decode(published.crl())));
        crl.verify(issuingCa.getPublicKey());
        assertNotNull(crl.getRevokedCertificate(new BigInteger("abc123", 16)));
        assertEquals(1, published.entryCount());
    }

    @Test
    void reportsTheTokenInReadinessAndCountsIssuance() {
        given().get("/q/health/ready").then().statusCode(200).body(containsString("issuing-ca"));
        given().get("/q/metrics").then().statusCode(200).body(containsString("imprint_signer_sign"));
    }

    private static X509Certificate certificate(ConsumerRecord<String, byte[]> record) throws Exception {
        return Pem.certificates(EventCodec.decode(record.value(), CertIssuedV1.class).certificate()).get(0);
    }

    private static CsrAcceptedV1 accepted(String device, String csr, String profile) {
        return accepted(device, csr, profile, null);
    }

    private static CsrAcceptedV1 accepted(String device, String csr, String profile, String issuingCa) {
        return new CsrAcceptedV1(UUID.randomUUID().toString(), device, "factory-a", "station-1", "order-1", csr,
                profile, Instant.now(), issuingCa, Serials.hex(Serials.random()));
    }


    private static ConsumerRecord<String, byte[]> awaitOne(String topic, String requestId) {
        List<ConsumerRecord<String, byte[]>> found = TestTopics.await(topic,
                r -> TestTopics.value(r).contains("\"requestId\":\"" + requestId + "\""), 1, WAIT);
        assertEquals(1, found.size(), "one record for request " + requestId + " on " + topic);
        assertEquals("1.0", TestTopics.header(found.get(0), Headers.CE_SPECVERSION));
        return found.get(0);
    }
}
