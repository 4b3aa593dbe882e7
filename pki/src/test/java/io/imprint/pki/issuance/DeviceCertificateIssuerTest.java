package io.imprint.pki.issuance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imprint.contracts.ReasonCode;
import io.imprint.pki.RequestRejectedException;
import io.imprint.pki.Serials;
import io.imprint.pki.TestPki;
import io.imprint.pki.crl.CrlDistribution;
import io.imprint.pki.csr.CsrBuilder;
import io.imprint.pki.csr.CsrValidator;
import io.imprint.pki.csr.ValidatedCsr;
import io.imprint.pki.issuance.CertificateProfile.SubjectForm;
import io.imprint.pki.keys.SigningPool;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.CertificatePolicies;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.cert.X509CertificateHolder;
import org.junit.jupiter.api.Test;

class DeviceCertificateIssuerTest {
    private static final TestPki PKI = new TestPki();
    private static final SigningPool ISSUING = new SigningPool(PKI.backend, PKI.issuing.alias(), 2);
    private static final URI CRL = URI.create("http://127.0.0.1:8085/crl");
    private static final URI OCSP = URI.create("http://127.0.0.1:8085/ocsp");
    private static final CertificateProfile IDEVID = new CertificateProfile("idevid", null, CRL, OCSP);

    private final DeviceCertificateIssuer issuer = new DeviceCertificateIssuer();

    @Test
    void issuesIdevidProfileWithEveryRequiredExtension() throws Exception {
        KeyPair deviceKey = TestPki.ec("secp256r1");
        ValidatedCsr csr =
                new CsrValidator().validate(CsrBuilder.devicePem("SN-42", deviceKey, "SHA256withECDSA"), "SN-42");
        BigInteger serial = Serials.random();
        X509Certificate cert = issuer.issue(csr, ISSUING, IDEVID, serial, TestPki.NOW);
        X509CertificateHolder holder = new X509CertificateHolder(cert.getEncoded());

        assertEquals(serial, cert.getSerialNumber());
        assertEquals("CN=SN-42,SERIALNUMBER=SN-42", holder.getSubject().toString());
        assertEquals(PKI.issuing.certificate().getSubjectX500Principal(), cert.getIssuerX500Principal());
        assertArrayEquals(
                deviceKey.getPublic().getEncoded(), cert.getPublicKey().getEncoded());
        assertEquals(-1, cert.getBasicConstraints());
        assertTrue(holder.getExtension(Extension.basicConstraints).isCritical());
        assertTrue(holder.getExtension(Extension.keyUsage).isCritical());
        assertArrayEquals(
                new boolean[] {true, false, false, false, false, false, false, false, false}, cert.getKeyUsage());
        assertEquals(List.of("1.3.6.1.5.5.7.3.2"), cert.getExtendedKeyUsage());
        assertNotNull(SubjectKeyIdentifier.fromExtensions(holder.getExtensions()));
        byte[] issuerSki = SubjectKeyIdentifier.fromExtensions(
                        new X509CertificateHolder(PKI.issuing.certificate().getEncoded()).getExtensions())
                .getKeyIdentifier();
        AuthorityKeyIdentifier aki = AuthorityKeyIdentifier.fromExtensions(holder.getExtensions());
        assertArrayEquals(issuerSki, aki.getKeyIdentifierOctets());
        assertNull(aki.getAuthorityCertIssuer(), "AKI carries the key identifier only, no issuer name");
        assertNull(aki.getAuthorityCertSerialNumber(), "AKI carries the key identifier only, no issuer serial");
        CRLDistPoint dp = CRLDistPoint.fromExtensions(holder.getExtensions());
        GeneralName crlName = GeneralNames.getInstance(
                        dp.getDistributionPoints()[0].getDistributionPoint().getName())
                .getNames()[0];
        assertEquals(CRL.toString(), crlName.getName().toString());
        AuthorityInformationAccess aia = AuthorityInformationAccess.fromExtensions(holder.getExtensions());
        assertEquals(
                OCSP.toString(),
                aia.getAccessDescriptions()[0].getAccessLocation().getName().toString());
        assertTrue(holder.getExtension(Extension.subjectAlternativeName) == null, "no SAN unless the profile asks");
        cert.verify(PKI.issuing.certificate().getPublicKey());
    }

    @Test
    void partitionedProfileWritesTheSerialsShardIntoTheDistributionPointAndFreshestCrl() throws Exception {
        CrlDistribution sharded = new CrlDistribution(
                "http://127.0.0.1:8085/crl/ca/{shard}", 16, "http://127.0.0.1:8085/crl/ca/{shard}/delta");
        CertificateProfile profile = IDEVID.withCrl(sharded);
        BigInteger serial = Serials.random();
        int shard = serial.mod(BigInteger.valueOf(16)).intValue();
        ValidatedCsr csr = new CsrValidator()
                .validate(CsrBuilder.devicePem("SN-9", TestPki.ec("secp256r1"), "SHA256withECDSA"), "SN-9");
        X509CertificateHolder holder = new X509CertificateHolder(
                issuer.issue(csr, ISSUING, profile, serial, TestPki.NOW).getEncoded());
        assertEquals(
                "http://127.0.0.1:8085/crl/ca/" + shard, firstUri(CRLDistPoint.fromExtensions(holder.getExtensions())));
        assertEquals(
                "http://127.0.0.1:8085/crl/ca/" + shard + "/delta",
                firstUri(CRLDistPoint.getInstance(
                        holder.getExtension(Extension.freshestCRL).getParsedValue())));
    }

    private static String firstUri(CRLDistPoint points) {
        return GeneralNames.getInstance(
                        points.getDistributionPoints()[0].getDistributionPoint().getName())
                .getNames()[0]
                .getName()
                .toString();
    }

    @Test
    void noWellDefinedExpirationIsEncodedAsGeneralizedTime99991231235959Z() throws Exception {
        X509Certificate cert = issue(IDEVID);
        Time notAfter =
                new X509CertificateHolder(cert.getEncoded()).toASN1Structure().getEndDate();
        assertTrue(notAfter.toASN1Primitive() instanceof ASN1GeneralizedTime);
        assertEquals("99991231235959Z", ((ASN1GeneralizedTime) notAfter.toASN1Primitive()).getTimeString());
        Time notBefore =
                new X509CertificateHolder(cert.getEncoded()).toASN1Structure().getStartDate();
        assertFalse(notBefore.toASN1Primitive() instanceof ASN1GeneralizedTime, "dates before 2050 are UTCTime");
    }

    @Test
    void boundedProfileSetsValidityFromTheGivenNotBefore() throws Exception {
        X509Certificate cert = issue(new CertificateProfile("ten-years", Duration.ofDays(3650), CRL, OCSP));
        assertEquals(TestPki.NOW, cert.getNotBefore().toInstant());
        assertEquals(TestPki.NOW.plus(Duration.ofDays(3650)), cert.getNotAfter().toInstant());
    }

    @Test
    void rsaDeviceKeysAlsoGetKeyEncipherment() throws Exception {
        KeyPair rsa = TestPki.generate("RSA", 2048);
        ValidatedCsr csr = new CsrValidator().validate(CsrBuilder.devicePem("SN-RSA", rsa, "SHA256withRSA"), "SN-RSA");
        boolean[] usage = issuer.issue(csr, ISSUING, IDEVID, Serials.random(), TestPki.NOW)
                .getKeyUsage();
        assertTrue(usage[0] && usage[2]);
    }

    @Test
    void sameRequestInputsGiveTheSameTbsCertificate() throws Exception {
        ValidatedCsr csr = csr("SN-9");
        BigInteger serial = Serials.random();
        X509Certificate first = issuer.issue(csr, ISSUING, IDEVID, serial, TestPki.NOW);
        X509Certificate retry = issuer.issue(csr, ISSUING, IDEVID, serial, TestPki.NOW.plusMillis(400));
        assertArrayEquals(first.getTBSCertificate(), retry.getTBSCertificate());
    }

    @Test
    void emptySubjectProfileNamesTheDeviceInACriticalHardwareModuleName() throws Exception {
        CertificateProfile profile = new CertificateProfile(
                "hmn",
                null,
                Set.of(),
                List.of("clientAuth"),
                List.of("1.3.6.1.4.1.99999.1.1"),
                null,
                null,
                SubjectForm.EMPTY,
                "1.3.6.1.4.1.99999.2");
        X509CertificateHolder holder = new X509CertificateHolder(issue(profile).getEncoded());
        assertEquals(0, holder.getSubject().getRDNs().length);
        Extension san = holder.getExtension(Extension.subjectAlternativeName);
        assertTrue(san.isCritical());
        GeneralName name = GeneralNames.getInstance(san.getParsedValue()).getNames()[0];
        assertEquals(GeneralName.otherName, name.getTagNo());
        ASN1Sequence otherName = ASN1Sequence.getInstance(name.getName());
        assertEquals(DeviceCertificateIssuer.HARDWARE_MODULE_NAME, otherName.getObjectAt(0));
        ASN1Sequence hmn =
                ASN1Sequence.getInstance(((ASN1TaggedObject) otherName.getObjectAt(1)).getExplicitBaseObject());
        assertEquals("1.3.6.1.4.1.99999.2", hmn.getObjectAt(0).toString());
        assertEquals(
                "SN-7",
                new String(ASN1OctetString.getInstance(hmn.getObjectAt(1)).getOctets(), StandardCharsets.US_ASCII));
        assertEquals(
                "1.3.6.1.4.1.99999.1.1",
                CertificatePolicies.fromExtensions(holder.getExtensions())
                        .getPolicyInformation()[0]
                        .getPolicyIdentifier()
                        .getId());
        assertNotNull(holder.getExtension(Extension.authorityKeyIdentifier));
        assertTrue(holder.getExtension(Extension.cRLDistributionPoints) == null);
    }

    @Test
    void badProfilesAreRejectedByTheLintAndNothingIsSigned() {
        record Case(String name, CertificateProfile profile, String finding) {}
        List<Case> cases = List.of(
                new Case(
                        "fail-key-encipherment-with-ec-key",
                        new CertificateProfile(
                                "ec-encrypt",
                                null,
                                Set.of("digitalSignature", "keyEncipherment"),
                                List.of("clientAuth"),
                                List.of(),
                                CrlDistribution.of(CRL),
                                OCSP,
                                SubjectForm.DEVICE_ID,
                                null),
                        "keyEncipherment or dataEncipherment with an EC key"),
                new Case(
                        "fail-code-signing-without-digital-signature",
                        new CertificateProfile(
                                "eku-mismatch",
                                null,
                                Set.of("keyAgreement"),
                                List.of("codeSigning"),
                                List.of(),
                                CrlDistribution.of(CRL),
                                OCSP,
                                SubjectForm.DEVICE_ID,
                                null),
                        "extended key usage 1.3.6.1.5.5.7.3.3 is inconsistent"),
                new Case(
                        "fail-ca-usage-in-device-certificate",
                        new CertificateProfile(
                                "cert-sign",
                                null,
                                Set.of("digitalSignature", "keyCertSign"),
                                List.of("clientAuth"),
                                List.of(),
                                CrlDistribution.of(CRL),
                                OCSP,
                                SubjectForm.DEVICE_ID,
                                null),
                        "keyCertSign or cRLSign in an end-entity"),
                new Case(
                        "fail-empty-subject-without-san",
                        new CertificateProfile(
                                "anonymous",
                                null,
                                Set.of(),
                                List.of("clientAuth"),
                                List.of(),
                                CrlDistribution.of(CRL),
                                OCSP,
                                SubjectForm.EMPTY,
                                null),
                        "empty subject and no subjectAltName"),
                new Case(
                        "fail-any-extended-key-usage",
                        new CertificateProfile(
                                "any",
                                null,
                                Set.of(),
                                List.of("2.5.29.37.0"),
                                List.of(),
                                CrlDistribution.of(CRL),
                                OCSP,
                                SubjectForm.DEVICE_ID,
                                null),
                        "anyExtendedKeyUsage"));
        for (Case c : cases) {
            RequestRejectedException e =
                    assertThrows(RequestRejectedException.class, () -> issue(c.profile()), c.name());
            assertEquals(ReasonCode.LINT_FAILED, e.reason(), c.name());
            assertTrue(e.getMessage().contains(c.finding()), c.name() + ": " + e.getMessage());
            // The signer's start-up check finds the same before any request arrives.
            List<String> findings = issuer.lintProfile(c.profile(), ISSUING, TestPki.NOW);
            assertTrue(findings.stream().anyMatch(f -> f.contains(c.finding())), c.name() + ": " + findings);
        }
        assertEquals(
                List.of(), issuer.lintProfile(new CertificateProfile("idevid", null, CRL, OCSP), ISSUING, TestPki.NOW));
    }

    @Test
    void validityBeyondTheIssuersIsRejectedNotShortened() throws Exception {
        CertificateProfile tooLong = new CertificateProfile("too-long", Duration.ofDays(400), CRL, OCSP);
        SigningPool shortLived = new SigningPool(PKI.backend, PKI.ocspResponder.alias(), 1);
        // The OCSP responder certificate (one year) stands in for a CA whose validity ends before the profile's.
        RequestRejectedException e = assertThrows(
                RequestRejectedException.class,
                () -> issuer.issue(csr("SN-8"), shortLived, tooLong, Serials.random(), TestPki.NOW));
        assertTrue(e.getMessage().contains("is not inside the issuing CA's"), e.getMessage());
        // Fitting inside the CA depends on the day: the start-up lint leaves it to issuance.
        assertEquals(List.of(), issuer.lintProfile(tooLong, shortLived, TestPki.NOW));
    }

    @Test
    void serialsArePositiveRandomAndAtMostTwentyOctets() {
        BigInteger a = Serials.random();
        BigInteger b = Serials.random();
        assertTrue(a.signum() > 0 && b.signum() > 0);
        assertTrue(a.toByteArray().length <= 20);
        assertFalse(a.equals(b));
        assertEquals(a, Serials.parse(Serials.hex(a)));
    }

    private static ValidatedCsr csr(String device) throws RequestRejectedException {
        return new CsrValidator()
                .validate(CsrBuilder.devicePem(device, TestPki.ec("secp256r1"), "SHA256withECDSA"), device);
    }

    private X509Certificate issue(CertificateProfile profile) throws Exception {
        return issuer.issue(csr("SN-7"), ISSUING, profile, Serials.random(), TestPki.NOW);
    }
}
