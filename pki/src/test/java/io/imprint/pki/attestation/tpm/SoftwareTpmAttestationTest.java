package io.imprint.pki.attestation.tpm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imprint.contracts.ReasonCode;
import io.imprint.pki.Pem;
import io.imprint.pki.Providers;
import io.imprint.pki.RequestRejectedException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TPM attestation against a real software TPM (swtpm, tpm2-tools): its EK certificate chains to the TPM
 * vendor's root; a credential made here is recovered only by that TPM into the named AK; and a certification
 * made by the TPM proves its key non-exportable, while keys that are not are refused by rule.
 */
class SoftwareTpmAttestationTest {
    @TempDir
    static Path dir;
    private static SoftwareTpm tpm;

    @BeforeAll
    static void manufacture() throws Exception {
        tpm = new SoftwareTpm(dir);
        tpm.tpm("tpm2_nvread", SoftwareTpm.RSA_EK_CERTIFICATE, "-o", "ek.der");
        tpm.tpm("tpm2_createek", "-c", "ek.ctx", "-G", "rsa", "-u", "ek.pub");
        tpm.tpm("tpm2_createak", "-C", "ek.ctx", "-c", "ak.ctx", "-G", "ecc", "-g", "sha256", "-s", "ecdsa", "-u",
                "ak.pub", "-n", "ak.name");
        tpm.tpm("tpm2_createprimary", "-C", "o", "-g", "sha256", "-G", "ecc", "-c", "primary.ctx");
    }

    @AfterAll
    static void stop() {
        if (tpm != null) {
            tpm.close();
        }
    }

    @Test
    void theEkCertificateChainsToTheTpmVendorRootAndCarriesTheTpmsEk() throws Exception {
        X509Certificate ek = Pem.certificate(tpm.read("ek.der"));
        X509Certificate root = Pem.certificates(Files.readString(tpm.vendorRoot())).get(0);
        X509Certificate intermediate = Pem.certificates(Files.readString(tpm.vendorIntermediate())).get(0);
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
        parameters.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX", Providers.BC).validate(CertificateFactory.getInstance("X.509",
                Providers.BC).generateCertPath(List.of(ek, intermediate)), parameters);
        assertArrayEquals(TpmPublic.parse(tpm.read("ek.pub")).key().getEncoded(), ek.getPublicKey().getEncoded());
    }

    @Test
    void aCredentialMadeHereIsRecoveredOnlyByTheTpmIntoTheNamedAk() throws Exception {
        X509Certificate ek = Pem.certificate(tpm.read("ek.der"));
        byte[] secret = "imprint-challenge-0123456789abcd".getBytes(StandardCharsets.US_ASCII);
        byte[] akName = tpm.read("ak.name");
        assertArrayEquals(TpmPublic.parse(tpm.read("ak.pub")).name(), akName, "the AK's name, computed here");
        Files.write(dir.resolve("cred.blob"), TpmCredential.make(SubjectPublicKeyInfo.getInstance(
                ek.getPublicKey().getEncoded()), akName, secret).toTpm2ToolsFile());
        assertArrayEquals(secret, activate("cred.blob"));

        byte[] otherName = akName.clone();
        otherName[otherName.length - 1] ^= 1;
        Files.write(dir.resolve("wrong.blob"), TpmCredential.make(SubjectPublicKeyInfo.getInstance(
                ek.getPublicKey().getEncoded()), otherName, secret).toTpm2ToolsFile());
        assertThrows(IllegalStateException.class, () -> activate("wrong.blob"), "bound to another AK's name");
    }

    @Test
    void aCertificationByTheTpmProvesItsKeyNonExportable() throws Exception {
        certify("device", "fixedtpm|fixedparent|sensitivedataorigin|userwithauth|sign");
        TpmPublic ak = TpmPublic.parse(tpm.read("ak.pub"));
        TpmPublic key = TpmPublic.parse(tpm.read("device.pub"));
        SubjectPublicKeyInfo certified = TpmKeyCertification.verify(ak, tpm.read("device.attest"),
                tpm.read("device.sig"), key);
        tpm.tpm("tpm2_readpublic", "-c", "device.ctx", "-f", "der", "-o", "device-spki.der");
        assertArrayEquals(tpm.read("device-spki.der"), certified.getEncoded(), "the key openssl would see");

        byte[] tampered = tpm.read("device.attest");
        tampered[tampered.length - 1] ^= 1;
        assertRule("tpm-attest", () -> TpmKeyCertification.verify(ak, tampered, tpm.read("device.sig"), key));
        certify("other", "fixedtpm|fixedparent|sensitivedataorigin|userwithauth|sign");
        assertRule("tpm-attest", () -> TpmKeyCertification.verify(ak, tpm.read("device.attest"),
                tpm.read("device.sig"), TpmPublic.parse(tpm.read("other.pub"))));
        assertRule("tpm-ak", () -> TpmKeyCertification.verify(key, tpm.read("device.attest"), tpm.read("device.sig"),
                key));
    }

    @Test
    void aKeyThatCouldLeaveTheTpmOrDecryptIsRefused() throws Exception {
        certify("duplicable", "userwithauth|sign|sensitivedataorigin");
        assertRule("tpm-key-attributes", () -> TpmKeyCertification.verify(TpmPublic.parse(tpm.read("ak.pub")),
                tpm.read("duplicable.attest"), tpm.read("duplicable.sig"), TpmPublic.parse(tpm.read("duplicable.pub"))));
        certify("decrypting", "fixedtpm|fixedparent|sensitivedataorigin|userwithauth|decrypt|sign", "ecc256:null");
        assertRule("tpm-key-attributes", () -> TpmKeyCertification.verify(TpmPublic.parse(tpm.read("ak.pub")),
                tpm.read("decrypting.attest"), tpm.read("decrypting.sig"), TpmPublic.parse(tpm.read("decrypting.pub"))));
    }

    private static void certify(String name, String attributes) {
        certify(name, attributes, "ecc256:ecdsa");
    }

    private static void certify(String name, String attributes, String algorithm) {
        tpm.tpm("tpm2_create", "-C", "primary.ctx", "-G", algorithm, "-u", name + ".pub", "-r", name + ".priv",
                "-a", attributes);
        tpm.tpm("tpm2_load", "-C", "primary.ctx", "-u", name + ".pub", "-r", name + ".priv", "-c", name + ".ctx");
        tpm.tpm("tpm2_certify", "-c", name + ".ctx", "-C", "ak.ctx", "-g", "sha256", "-o", name + ".attest", "-s",
                name + ".sig", "-f", "plain");
    }

    private static byte[] activate(String blob) throws Exception {
        Files.deleteIfExists(dir.resolve("recovered"));
        tpm.tpm("sh", "-c", "tpm2_startauthsession --policy-session -S session.ctx && tpm2_policysecret -S session.ctx "
                + "-c e && tpm2_activatecredential -c ak.ctx -C ek.ctx -i " + blob + " -o recovered -P "
                + "session:session.ctx; status=$?; tpm2_flushcontext session.ctx; exit $status");
        return tpm.read("recovered");
    }

    private static void assertRule(String rule, org.junit.jupiter.api.function.Executable call) {
        RequestRejectedException e = assertThrows(RequestRejectedException.class, call);
        assertEquals(ReasonCode.ATTESTATION_INVALID, e.reason());
        assertTrue(e.getMessage().startsWith("attestation rule " + rule + ":"), e.getMessage());
        assertNotEquals(null, e.getMessage());
    }
}
