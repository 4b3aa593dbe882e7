package io.imprint.pki.attestation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imprint.gateway.SimulatedVendor;
import io.imprint.pki.Providers;
import io.imprint.pki.TestPki;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Microchip-format manifests, signed by a manifest signer that openssl makes here (never a vendor secret). */
class MicrochipManifestTest {
    @TempDir
    static Path dir;

    private static X509Certificate signer;
    private static PrivateKey signerKey;
    private static X509Certificate otherSigner;
    private static PrivateKey otherKey;

    @BeforeAll
    static void signers() throws Exception {
        Openssl openssl = new Openssl(dir);
        signer = openssl.root("manifest-signer");
        signerKey = key("manifest-signer");
        otherSigner = openssl.root("look-alike-signer");
        otherKey = key("look-alike-signer");
    }

    @Test
    void okTheSimulatedVendorsManifestVerifiesAgainstItsSigner() {
        SimulatedVendor vendor = new SimulatedVendor("Manifest Vendor");
        KeyPair element = TestPki.ec("secp256r1");
        String manifest = vendor.signedManifest(java.util.Map.of("01abcd", element.getPublic()));
        X509Certificate vendorSigner = vendor.attest(element.getPublic(), "1").get(1);
        assertEquals(
                List.of(new MicrochipManifest.Entry(
                        "01abcd", KeyFingerprint.sha256(element.getPublic().getEncoded()))),
                MicrochipManifest.verify(manifest, List.of(vendorSigner)));
    }

    @Test
    void okEveryEntryVerifiedYieldsTheDeviceKeyFingerprints() {
        KeyPair first = TestPki.ec("secp256r1");
        KeyPair second = TestPki.ec("secp256r1");
        String manifest = "[" + entry("0123aa", first, signer, signerKey, UnaryOperator.identity()) + ","
                + entry("0123bb", second, signer, signerKey, UnaryOperator.identity()) + "]";
        List<MicrochipManifest.Entry> entries = MicrochipManifest.verify(manifest, List.of(otherSigner, signer));
        assertEquals(
                List.of(
                        new MicrochipManifest.Entry(
                                "0123aa",
                                KeyFingerprint.sha256(first.getPublic().getEncoded())),
                        new MicrochipManifest.Entry(
                                "0123bb",
                                KeyFingerprint.sha256(second.getPublic().getEncoded()))),
                entries);
    }

    static Stream<Arguments> broken() {
        KeyPair key = TestPki.ec("secp256r1");
        return Stream.of(
                Arguments.of("fail-not-json", "not json", "not JSON"),
                Arguments.of("fail-empty", "[]", "1 to"),
                Arguments.of(
                        "fail-untrusted-signer",
                        "[" + entry("01", key, otherSigner, otherKey, UnaryOperator.identity()) + "]",
                        "not a trusted manifest signer"),
                Arguments.of(
                        "fail-thumbprint-of-trusted-signer-but-other-key",
                        "[" + entry("01", key, signer, otherKey, UnaryOperator.identity()) + "]",
                        "does not verify"),
                Arguments.of(
                        "fail-payload-swapped-after-signing",
                        "["
                                + swapPayload(
                                        entry("01", key, signer, signerKey, UnaryOperator.identity()),
                                        entry(
                                                "01",
                                                TestPki.ec("secp256r1"),
                                                signer,
                                                signerKey,
                                                UnaryOperator.identity()))
                                + "]",
                        "does not verify"),
                Arguments.of(
                        "fail-alg-none",
                        "[" + entry("01", key, signer, signerKey, p -> p.replace("\"ES256\"", "\"none\"")) + "]",
                        "alg must be ES256"),
                Arguments.of(
                        "fail-unique-id-differs",
                        "["
                                + entry("01", key, signer, signerKey, UnaryOperator.identity())
                                        .replace("\"header\":{\"uniqueId\":\"01\"}", "\"header\":{\"uniqueId\":\"02\"}")
                                + "]",
                        "uniqueId"),
                Arguments.of(
                        "fail-second-entry-bad",
                        "[" + entry("01", key, signer, signerKey, UnaryOperator.identity()) + ","
                                + entry("02", key, otherSigner, otherKey, UnaryOperator.identity()) + "]",
                        "entry 1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("broken")
    void refusesTheWholeManifestNamingTheEntryAndDefect(String name, String manifest, String defect) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> MicrochipManifest.verify(manifest, List.of(signer)));
        assertTrue(e.getMessage().contains(defect), e.getMessage());
    }

    static String entry(
            String uniqueId,
            KeyPair device,
            X509Certificate by,
            PrivateKey byKey,
            UnaryOperator<String> protectedEdit) {
        return SimulatedVendor.manifestEntry(uniqueId, device.getPublic(), by, byKey, protectedEdit);
    }

    private static String swapPayload(String signed, String other) {
        String payload = other.substring(other.indexOf("\"payload\":\""), other.indexOf("\",\"protected\""));
        return signed.replaceFirst("\"payload\":\"[^\"]*", payload.replace("$", "\\$"));
    }

    private static PrivateKey key(String name) throws Exception {
        new Openssl(dir)
                .run("pkcs8", "-topk8", "-nocrypt", "-in", name + ".key", "-outform", "DER", "-out", name + ".p8");
        byte[] der = java.nio.file.Files.readAllBytes(dir.resolve(name + ".p8"));
        return KeyFactory.getInstance("EC", Providers.BC).generatePrivate(new PKCS8EncodedKeySpec(der));
    }
}
