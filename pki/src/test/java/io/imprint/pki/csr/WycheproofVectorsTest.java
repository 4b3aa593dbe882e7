package io.imprint.pki.csr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imprint.contracts.ReasonCode;
import io.imprint.pki.RequestRejectedException;
import io.imprint.pki.VerifyingProvider;
import java.io.IOException;
import java.io.InputStream;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.bsi.BSIObjectIdentifiers;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs the CSR verifier's own steps (algorithm allowlist, key policy, signature verification) over Google's
 * Wycheproof vectors (Apache 2.0, see src/test/resources/wycheproof/LICENSE): every {@code valid} signature
 * must be accepted and every {@code invalid} one rejected. {@code acceptable} ones (legacy encodings) are
 * not judged against the file, but like every other vector they must get the same verdict from the native
 * provider as from BouncyCastle, so switching providers cannot move strictness. Two RSA groups use exponent 3: their signatures must verify, and the key policy must still
 * refuse their keys, so a CSR with such a key is rejected as CSR_KEY_NOT_ALLOWED, by policy not by signature.
 */
class WycheproofVectorsTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final VerifyingProvider REFERENCE = VerifyingProvider.bouncyCastle("reference");
    private static final VerifyingProvider NATIVE = NativeProviderTest.loadedNative();

    static Stream<Arguments> files() {
        return Stream.of(
                Arguments.of(
                        "ecdsa_secp256r1_sha256_test.json",
                        new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA256)),
                Arguments.of(
                        "ecdsa_secp256r1_sha256_p1363_test.json",
                        new AlgorithmIdentifier(BSIObjectIdentifiers.ecdsa_plain_SHA256)),
                Arguments.of(
                        "ecdsa_secp384r1_sha384_test.json",
                        new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA384)),
                Arguments.of("ed25519_test.json", new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519)),
                Arguments.of(
                        "rsa_signature_2048_sha256_test.json",
                        new AlgorithmIdentifier(PKCSObjectIdentifiers.sha256WithRSAEncryption, DERNull.INSTANCE)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void acceptsEveryValidAndRejectsEveryInvalidSignature(String file, AlgorithmIdentifier algorithmId)
            throws Exception {
        JsonNode vectors = load(file);
        String algorithm = KeyPolicy.signatureAlgorithm(algorithmId);
        List<String> wrong = new ArrayList<>();
        List<String> differing = new ArrayList<>();
        int valid = 0;
        int invalid = 0;
        int refusedKeys = 0;
        for (JsonNode group : vectors.get("testGroups")) {
            SubjectPublicKeyInfo info = SubjectPublicKeyInfo.getInstance(
                    HEX.parseHex(group.get("publicKeyDer").asText()));
            KeyPolicy.checkAlgorithmMatchesKey(algorithm, info);
            PublicKey key;
            try {
                key = KeyPolicy.checkedKey(info);
            } catch (RequestRejectedException e) {
                assertEquals(ReasonCode.CSR_KEY_NOT_ALLOWED, e.reason());
                assertTrue(e.getMessage().contains("exponent"), e.getMessage());
                refusedKeys++;
                key = BouncyCastleProvider.getPublicKey(info);
            }
            for (JsonNode test : group.get("tests")) {
                String result = test.get("result").asText();
                byte[] message = HEX.parseHex(test.get("msg").asText());
                byte[] signature = HEX.parseHex(test.get("sig").asText());
                boolean accepted = SignatureVerifier.verify(algorithm, key, message, signature, REFERENCE);
                if (accepted != SignatureVerifier.verify(algorithm, key, message, signature, NATIVE)) {
                    differing.add("tcId " + test.get("tcId") + " ("
                            + test.get("comment").asText() + ")");
                }
                if (result.equals("valid")) {
                    valid++;
                } else if (result.equals("invalid")) {
                    invalid++;
                }
                if (result.equals("valid") != accepted && !result.equals("acceptable")) {
                    wrong.add("tcId " + test.get("tcId") + " ("
                            + test.get("comment").asText() + "): expected " + result);
                }
            }
        }
        assertEquals(List.of(), wrong, file);
        assertEquals(
                List.of(), differing, file + ": verdicts where " + NATIVE.description() + " differs from BouncyCastle");
        assertTrue(valid > 0 && invalid > 0, file + " has valid and invalid vectors");
        assertEquals(file.startsWith("rsa") ? 2 : 0, refusedKeys, file + ": keys the policy refuses");
        assertEquals(vectors.get("numberOfTests").asInt(), countTests(vectors), file + " read completely");
    }

    private static int countTests(JsonNode vectors) {
        int n = 0;
        for (JsonNode group : vectors.get("testGroups")) {
            n += group.get("tests").size();
        }
        return n;
    }

    private static JsonNode load(String file) throws IOException {
        try (InputStream in = WycheproofVectorsTest.class.getResourceAsStream("/wycheproof/" + file)) {
            return new ObjectMapper().readTree(in);
        }
    }
}
