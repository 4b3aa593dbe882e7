package io.imprint.pki.attestation.tpm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imprint.contracts.ReasonCode;
import io.imprint.contracts.events.TpmEvidence;
import io.imprint.pki.Pem;
import io.imprint.pki.Providers;
import io.imprint.pki.RequestRejectedException;
import io.imprint.pki.TestPki;
import io.imprint.pki.attestation.AttestationProfile;
import io.imprint.pki.attestation.AttestationVerifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
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
        tpm.provisionAttestationKey();
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
        X509Certificate root =
                Pem.certificates(Files.readString(tpm.vendorRoot())).get(0);
        X509Certificate intermediate =
                Pem.certificates(Files.readString(tpm.vendorIntermediate())).get(0);
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
        parameters.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX", Providers.BC)
                .validate(
                        CertificateFactory.getInstance("X.509", Providers.BC)
                                .generateCertPath(List.of(ek, intermediate)),
                        parameters);
        assertArrayEquals(
                TpmPublic.parse(tpm.read("ek.pub")).key().getEncoded(),
                ek.getPublicKey().getEncoded());
    }

    @Test
    void aCredentialMadeHereIsRecoveredOnlyByTheTpmIntoTheNamedAk() throws Exception {
        X509Certificate ek = Pem.certificate(tpm.read("ek.der"));
        byte[] secret = "imprint-challenge-0123456789abcd".getBytes(StandardCharsets.US_ASCII);
        byte[] akName = tpm.read("ak.name");
        assertArrayEquals(TpmPublic.parse(tpm.read("ak.pub")).name(), akName, "the AK's name, computed here");
        assertArrayEquals(
                secret,
                tpm.activate(TpmCredential.make(
                                SubjectPublicKeyInfo.getInstance(
                                        ek.getPublicKey().getEncoded()),
                                akName,
                                secret)
                        .toTpm2ToolsFile()));

        byte[] otherName = akName.clone();
        otherName[otherName.length - 1] ^= 1;
        byte[] wrong = TpmCredential.make(
                        SubjectPublicKeyInfo.getInstance(ek.getPublicKey().getEncoded()), otherName, secret)
                .toTpm2ToolsFile();
        assertThrows(IllegalStateException.class, () -> tpm.activate(wrong), "bound to another AK's name");
    }

    @Test
    void aCertificationByTheTpmProvesItsKeyNonExportable() throws Exception {
        certify("device", "fixedtpm|fixedparent|sensitivedataorigin|userwithauth|sign");
        TpmPublic ak = TpmPublic.parse(tpm.read("ak.pub"));
        TpmPublic key = TpmPublic.parse(tpm.read("device.pub"));
        SubjectPublicKeyInfo certified =
                TpmKeyCertification.verify(ak, tpm.read("device.attest"), tpm.read("device.sig"), key);
        tpm.tpm("tpm2_readpublic", "-c", "device.ctx", "-f", "der", "-o", "device-spki.der");
        assertArrayEquals(tpm.read("device-spki.der"), certified.getEncoded(), "the key openssl would see");

        byte[] tampered = tpm.read("device.attest");
        tampered[tampered.length - 1] ^= 1;
        assertRule("tpm-attest", () -> TpmKeyCertification.verify(ak, tampered, tpm.read("device.sig"), key));
        certify("other", "fixedtpm|fixedparent|sensitivedataorigin|userwithauth|sign");
        assertRule(
                "tpm-attest",
                () -> TpmKeyCertification.verify(
                        ak, tpm.read("device.attest"), tpm.read("device.sig"), TpmPublic.parse(tpm.read("other.pub"))));
        assertRule(
                "tpm-ak",
                () -> TpmKeyCertification.verify(key, tpm.read("device.attest"), tpm.read("device.sig"), key));
    }

    @Test
    void aKeyThatCouldLeaveTheTpmOrDecryptIsRefused() throws Exception {
        certify("duplicable", "userwithauth|sign|sensitivedataorigin");
        assertRule(
                "tpm-key-attributes",
                () -> TpmKeyCertification.verify(
                        TpmPublic.parse(tpm.read("ak.pub")),
                        tpm.read("duplicable.attest"),
                        tpm.read("duplicable.sig"),
                        TpmPublic.parse(tpm.read("duplicable.pub"))));
        certify("decrypting", "fixedtpm|fixedparent|sensitivedataorigin|userwithauth|decrypt|sign", "ecc256:null");
        assertRule(
                "tpm-key-attributes",
                () -> TpmKeyCertification.verify(
                        TpmPublic.parse(tpm.read("ak.pub")),
                        tpm.read("decrypting.attest"),
                        tpm.read("decrypting.sig"),
                        TpmPublic.parse(tpm.read("decrypting.pub"))));
    }

    @Test
    void ok_evidenceFromTheTpmVerifiesAndOnlyThatTpmAnswersTheChallenge() throws Exception {
        certify("csr-key", SoftwareTpm.NON_EXPORTABLE_SIGNING_KEY);
        VerifiedTpm verified = tpmAttestation("TPM").verify("TPM", evidence("csr-key"), spki("csr-key"), Instant.now());
        assertArrayEquals(tpm.read("ak.name"), verified.akName());
        assertArrayEquals(tpm.read("csr-key-spki.der"), verified.key().getEncoded());

        TpmChallenge challenge = TpmChallenge.issue(verified);
        byte[] recovered = tpm.activate(challenge.credential().toTpm2ToolsFile());
        assertTrue(TpmChallenge.answers(
                challenge.secretDigest(), Base64.getEncoder().encodeToString(recovered)));
        recovered[0] ^= 1;
        assertTrue(!TpmChallenge.answers(
                challenge.secretDigest(), Base64.getEncoder().encodeToString(recovered)));
        assertTrue(!TpmChallenge.answers(challenge.secretDigest(), "not base64!"));
        assertTrue(!challenge.toString().contains(Base64.getEncoder().encodeToString(challenge.secret())));
    }

    /** One row per rule TPM evidence can break, step-ca style: each names the rule its refusal must name. */
    @Test
    void fail_eachBrokenPieceOfEvidenceIsRefusedNamingItsRule() throws Exception {
        certify("row-key", SoftwareTpm.NON_EXPORTABLE_SIGNING_KEY);
        certify("row-other", SoftwareTpm.NON_EXPORTABLE_SIGNING_KEY);
        tpm.tpm("tpm2_nvread", SoftwareTpm.ECC_EK_CERTIFICATE, "-o", "ek-ecc.der");
        TpmEvidence good = evidence("row-key");
        String intermediate = base64(Pem.certificates(Files.readString(tpm.vendorIntermediate()))
                .get(0)
                .getEncoded());
        Map<String, UnaryOperator<TpmEvidence>> rows = new LinkedHashMap<>();
        rows.put("tpm-ek-certificate", e -> withChain(e, List.of(base64(read("ek-ecc.der")), intermediate)));
        rows.put("path-validation", e -> withChain(e, List.of(base64(read("ek.der")))));
        rows.put("leaf-not-ca", e -> withChain(e, List.of(intermediate)));
        rows.put(
                "tpm-attest",
                e -> new TpmEvidence(
                        e.ekCertificateChain(),
                        e.akPublic(),
                        e.keyPublic(),
                        base64(read("row-other.attest")),
                        e.certifySignature(),
                        null,
                        null));
        rows.put(
                "tpm-ak",
                e -> new TpmEvidence(
                        e.ekCertificateChain(),
                        e.keyPublic(),
                        e.keyPublic(),
                        e.certifyInfo(),
                        e.certifySignature(),
                        null,
                        null));
        for (Map.Entry<String, UnaryOperator<TpmEvidence>> row : rows.entrySet()) {
            TpmEvidence broken = row.getValue().apply(good);
            assertRule(row.getKey(), () -> tpmAttestation("TPM").verify("TPM", broken, spki("row-key"), Instant.now()));
        }
        assertRule(
                "tpm-ek-certificate",
                () -> new TpmAttestation(new AttestationVerifier(
                                Map.of("TPM", Pem.certificates(Files.readString(tpm.vendorRoot()))), Map.of()))
                        .verify("TPM", good, spki("row-key"), Instant.now()));
        assertRule(
                "path-validation",
                () -> new TpmAttestation(new AttestationVerifier(
                                Map.of("TPM", List.of(new TestPki().root.certificate())),
                                Map.of("TPM", AttestationProfile.TPM)))
                        .verify("TPM", good, spki("row-key"), Instant.now()));
        RequestRejectedException mismatch = assertThrows(
                RequestRejectedException.class,
                () -> tpmAttestation("TPM").verify("TPM", good, spki("row-other"), Instant.now()));
        assertEquals(ReasonCode.ATTESTATION_KEY_MISMATCH, mismatch.reason());
    }

    private static TpmAttestation tpmAttestation(String type) throws Exception {
        return new TpmAttestation(new AttestationVerifier(
                Map.of(type, Pem.certificates(Files.readString(tpm.vendorRoot()))),
                Map.of(type, AttestationProfile.TPM)));
    }

    /** The evidence a station sends for key {@code name}: EK chain as the TPM vendor ships it, AK, certification. */
    private static TpmEvidence evidence(String name) throws Exception {
        return new TpmEvidence(
                List.of(
                        base64(tpm.read("ek.der")),
                        base64(Pem.certificates(Files.readString(tpm.vendorIntermediate()))
                                .get(0)
                                .getEncoded())),
                base64(tpm.read("ak.pub")),
                base64(tpm.read(name + ".pub")),
                base64(tpm.read(name + ".attest")),
                base64(tpm.read(name + ".sig")),
                null,
                null);
    }

    private static TpmEvidence withChain(TpmEvidence evidence, List<String> chain) {
        return new TpmEvidence(
                chain,
                evidence.akPublic(),
                evidence.keyPublic(),
                evidence.certifyInfo(),
                evidence.certifySignature(),
                null,
                null);
    }

    private static SubjectPublicKeyInfo spki(String name) throws Exception {
        tpm.tpm("tpm2_readpublic", "-c", name + ".ctx", "-f", "der", "-o", name + "-spki.der");
        return SubjectPublicKeyInfo.getInstance(tpm.read(name + "-spki.der"));
    }

    private static byte[] read(String file) {
        try {
            return tpm.read(file);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String base64(byte[] value) {
        return Base64.getEncoder().encodeToString(value);
    }

    private static void certify(String name, String attributes) {
        certify(name, attributes, "ecc256:ecdsa");
    }

    private static void certify(String name, String attributes, String algorithm) {
        tpm.certifiedKey(name, attributes, algorithm);
    }

    private static void assertRule(String rule, org.junit.jupiter.api.function.Executable call) {
        RequestRejectedException e = assertThrows(RequestRejectedException.class, call);
        assertEquals(ReasonCode.ATTESTATION_INVALID, e.reason());
        assertTrue(e.getMessage().startsWith("attestation rule " + rule + ":"), e.getMessage());
        assertNotEquals(null, e.getMessage());
    }
}
