package io.imprint.pki.issuance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.imprint.contracts.QuarantineReason;
import io.imprint.pki.CertificateTemplates;
import io.imprint.pki.Pem;
import io.imprint.pki.Providers;
import io.imprint.pki.Serials;
import io.imprint.pki.TestPki;
import io.imprint.pki.UntrustedEventException;
import io.imprint.pki.csr.CsrBuilder;
import io.imprint.pki.csr.CsrValidator;
import io.imprint.pki.keys.SigningPool;
import java.net.URI;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class IssuedCertificateVerifierTest {
    private static final TestPki PKI = new TestPki();
    private static final SigningPool ISSUING = new SigningPool(PKI.backend, PKI.issuing.alias(), 1);
    private static final CertificateProfile IDEVID = new CertificateProfile(
            "idevid", null, URI.create("http://127.0.0.1/crl"), URI.create("http://127.0.0.1/ocsp"));

    private final IssuedCertificateVerifier verifier =
            new IssuedCertificateVerifier(List.of(PKI.issuing.certificate()));

    @Test
    void okGenuineCertificateNamingTheEventsDeviceSerialAndIssuer() throws Exception {
        X509Certificate genuine = issue("dev-1", IDEVID);
        X509Certificate verified = verifier.verify(
                Pem.encode(genuine),
                "dev-1",
                Serials.hex(genuine.getSerialNumber()),
                genuine.getIssuerX500Principal().getName());
        assertEquals(genuine, verified);
    }

    @Test
    void okDeviceNamedOnlyByAHardwareModuleName() throws Exception {
        CertificateProfile hmn = new CertificateProfile(
                "hmn",
                null,
                Set.of(),
                List.of("clientAuth"),
                List.of(),
                null,
                null,
                CertificateProfile.SubjectForm.EMPTY,
                "1.3.6.1.4.1.99999.1");
        X509Certificate genuine = issue("dev-hmn", hmn);
        assertEquals("dev-hmn", DeviceIdentities.deviceId(genuine).orElseThrow());
        verifier.verify(
                Pem.encode(genuine),
                "dev-hmn",
                Serials.hex(genuine.getSerialNumber()),
                genuine.getIssuerX500Principal().getName());
    }

    @Test
    void failSelfSignedCertificateForARealDevice() throws Exception {
        KeyPair key = TestPki.ec("secp256r1");
        X509Certificate forged = CertificateTemplates.selfSignedRoot(
                new X500Name(PKI.issuing.certificate().getSubjectX500Principal().getName()),
                key.getPublic(),
                new JcaContentSignerBuilder("SHA256withECDSA")
                        .setProvider(Providers.BC)
                        .build(key.getPrivate()),
                TestPki.NOW,
                TestPki.FOREVER);
        assertReason(
                QuarantineReason.CERTIFICATE_UNTRUSTED,
                () -> verifier.verify(
                        Pem.encode(forged),
                        "dev-1",
                        Serials.hex(forged.getSerialNumber()),
                        forged.getIssuerX500Principal().getName()));
    }

    @Test
    void failCertificateOfAnotherCa() throws Exception {
        IssuedCertificateVerifier stationsOnly = new IssuedCertificateVerifier(List.of(PKI.stationCa.certificate()));
        X509Certificate genuine = issue("dev-2", IDEVID);
        assertReason(
                QuarantineReason.CERTIFICATE_UNTRUSTED,
                () -> stationsOnly.verify(
                        Pem.encode(genuine),
                        "dev-2",
                        Serials.hex(genuine.getSerialNumber()),
                        genuine.getIssuerX500Principal().getName()));
    }

    @Test
    void failGenuineCertificateRelabelledForAnotherDeviceSerialOrIssuer() throws Exception {
        X509Certificate genuine = issue("dev-3", IDEVID);
        String pem = Pem.encode(genuine);
        String serial = Serials.hex(genuine.getSerialNumber());
        String issuer = genuine.getIssuerX500Principal().getName();
        assertReason(QuarantineReason.CERTIFICATE_MISMATCH, () -> verifier.verify(pem, "dev-other", serial, issuer));
        assertReason(
                QuarantineReason.CERTIFICATE_MISMATCH,
                () -> verifier.verify(pem, "dev-3", Serials.hex(Serials.random()), issuer));
        assertReason(QuarantineReason.CERTIFICATE_MISMATCH, () -> verifier.verify(pem, "dev-3", serial, "CN=Other"));
    }

    @Test
    void failCaCertificateOrGarbageInTheEvent() {
        assertReason(QuarantineReason.CERTIFICATE_UNTRUSTED, () -> verifier.verify("not pem", "dev", "1", "CN=x"));
        X509Certificate stationCa = PKI.stationCa.certificate();
        assertReason(
                QuarantineReason.CERTIFICATE_UNTRUSTED,
                () -> new IssuedCertificateVerifier(List.of(PKI.root.certificate()))
                        .verify(
                                Pem.encode(stationCa),
                                "dev",
                                Serials.hex(stationCa.getSerialNumber()),
                                stationCa.getIssuerX500Principal().getName()));
    }

    private static X509Certificate issue(String device, CertificateProfile profile) throws Exception {
        KeyPair key = TestPki.ec("secp256r1");
        return new DeviceCertificateIssuer()
                .issue(
                        new CsrValidator().validate(CsrBuilder.devicePem(device, key, "SHA256withECDSA"), device),
                        ISSUING,
                        profile,
                        Serials.random(),
                        TestPki.NOW);
    }

    private static void assertReason(QuarantineReason expected, Executable action) {
        UntrustedEventException e = assertThrows(UntrustedEventException.class, action);
        assertEquals(expected, e.reason(), e.getMessage());
    }
}
