package io.imprint.pki.issuance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imprint.pki.Serials;
import io.imprint.pki.TestPki;
import io.imprint.pki.csr.CsrBuilder;
import io.imprint.pki.csr.CsrValidator;
import io.imprint.pki.csr.ValidatedCsr;
import java.math.BigInteger;
import java.net.URI;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.cert.X509CertificateHolder;
import org.junit.jupiter.api.Test;

class DeviceCertificateIssuerTest {
    private static final TestPki PKI = new TestPki();
    private static final CertificateProfile IDEVID = new CertificateProfile("idevid", null,
            URI.create("http://127.0.0.1:8085/crl"), URI.create("http://127.0.0.1:8085/ocsp"));

    private final DeviceCertificateIssuer issuer = new DeviceCertificateIssuer();

    @Test
    void issuesIdevidProfileWithEveryRequiredExtension() throws Exception {
        KeyPair deviceKey = TestPki.ec("secp256r1");
        ValidatedCsr csr = new CsrValidator().validate(CsrBuilder.devicePem("SN-42", deviceKey, "SHA256withECDSA"),
                "SN-42");
        BigInteger serial = Serials.random();
        X509Certificate cert = issuer.issue(csr, PKI.issuing, IDEVID, serial, TestPki.NOW);
        X509CertificateHolder holder = new X509CertificateHolder(cert.getEncoded());

        assertEquals(serial, cert.getSerialNumber());
        assertEquals("CN=SN-42,SERIALNUMBER=SN-42", holder.getSubject().toString());
        assertEquals(PKI.issuing.certificate().getSubjectX500Principal(), cert.getIssuerX500Principal());
        assertArrayEquals(deviceKey.getPublic().getEncoded(), cert.getPublicKey().getEncoded());
        assertEquals(-1, cert.getBasicConstraints());
        assertTrue(holder.getExtension(Extension.basicConstraints).isCritical());
        assertTrue(holder.getExtension(Extension.keyUsage).isCritical());
        assertArrayEquals(new boolean[] {true, false, false, false, false, false, false, false, false},
                cert.getKeyUsage());
        assertEquals(List.of("1.3.6.1.5.5.7.3.2"), cert.getExtendedKeyUsage());
        assertNotNull(SubjectKeyIdentifier.fromExtensions(holder.getExtensions()));
        byte[] issuerSki = SubjectKeyIdentifier.fromExtensions(
                new X509CertificateHolder(PKI.issuing.certificate().getEncoded()).getExtensions()).getKeyIdentifier();
        assertArrayEquals(issuerSki,
                AuthorityKeyIdentifier.fromExtensions(holder.getExtensions()).getKeyIdentifierOctets());
        CRLDistPoint dp = CRLDistPoint.fromExtensions(holder.getExtensions());
        GeneralName crlName = GeneralNames.getInstance(dp.getDistributionPoints()[0].getDistributionPoint().getName())
                .getNames()[0];
        assertEquals("http://127.0.0.1:8085/crl", crlName.getName().toString());
        AuthorityInformationAccess aia = AuthorityInformationAccess.fromExtensions(holder.getExtensions());
        assertEquals("http://127.0.0.1:8085/ocsp", aia.getAccessDescriptions()[0].getAccessLocation().getName()
                .toString());
        cert.verify(PKI.issuing.certificate().getPublicKey());
    }

    @Test
    void noWellDefinedExpirationIsEncodedAsGeneralizedTime99991231235959Z() throws Exception {
        X509Certificate cert = issue(IDEVID);
        Time notAfter = new X509CertificateHolder(cert.getEncoded()).toASN1Structure().getEndDate();
        assertTrue(notAfter.toASN1Primitive() instanceof ASN1GeneralizedTime);
        assertEquals("99991231235959Z", ((ASN1GeneralizedTime) notAfter.toASN1Primitive()).getTimeString());
        Time notBefore = new X509CertificateHolder(cert.getEncoded()).toASN1Structure().getStartDate();
        assertFalse(notBefore.toASN1Primitive() instanceof ASN1GeneralizedTime, "dates before 2050 are UTCTime");
    }

    @Test
    void boundedProfileSetsValidityFromNow() throws Exception {
        CertificateProfile tenYears = new CertificateProfile("ten-years", Duration.ofDays(3650), IDEVID.crlUrl(),
                IDEVID.ocspUrl());
        X509Certificate cert = issue(tenYears);
        assertEquals(TestPki.NOW, cert.getNotBefore().toInstant());
        assertEquals(TestPki.NOW.plus(Duration.ofDays(3650)), cert.getNotAfter().toInstant());
    }

    @Test
    void rsaDeviceKeysAlsoGetKeyEncipherment() throws Exception {
        KeyPair rsa = TestPki.generate("RSA", 2048);
        ValidatedCsr csr = new CsrValidator().validate(CsrBuilder.devicePem("SN-RSA", rsa, "SHA256withRSA"), "SN-RSA");
        boolean[] usage = issuer.issue(csr, PKI.issuing, IDEVID, Serials.random(), TestPki.NOW).getKeyUsage();
        assertTrue(usage[0] && usage[2]);
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

    private X509Certificate issue(CertificateProfile profile) throws Exception {
        ValidatedCsr csr = new CsrValidator().validate(
                CsrBuilder.devicePem("SN-7", TestPki.ec("secp256r1"), "SHA256withECDSA"), "SN-7");
        return issuer.issue(csr, PKI.issuing, profile, Serials.random(), TestPki.NOW);
    }
}
