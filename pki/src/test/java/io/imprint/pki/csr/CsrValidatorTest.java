package io.imprint.pki.csr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.imprint.contracts.ReasonCode;
import io.imprint.pki.Pem;
import io.imprint.pki.RequestRejectedException;
import io.imprint.pki.TestPki;
import java.security.KeyPair;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x500.X500Name;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CsrValidatorTest {
    private static final String DEVICE = "SN-0001";
    private final CsrValidator validator = new CsrValidator();

    static Stream<Arguments> acceptedKeys() {
        return Stream.of(
                Arguments.of("ok-p256", TestPki.ec("secp256r1"), "SHA256withECDSA"),
                Arguments.of("ok-p384", TestPki.ec("secp384r1"), "SHA384withECDSA"),
                Arguments.of("ok-ed25519", TestPki.generate("Ed25519", 0), "Ed25519"),
                Arguments.of("ok-rsa2048", TestPki.generate("RSA", 2048), "SHA256withRSA"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("acceptedKeys")
    void acceptsAllowedKeysWithProofOfPossession(String name, KeyPair key, String algorithm) throws Exception {
        ValidatedCsr csr = validator.validate(CsrBuilder.devicePem(DEVICE, key, algorithm), DEVICE);
        assertEquals(DEVICE, csr.deviceId());
        assertArrayEquals(key.getPublic().getEncoded(), csr.publicKey().getEncoded());
    }

    static Stream<Arguments> rejected() {
        KeyPair p256 = TestPki.ec("secp256r1");
        return Stream.of(
                Arguments.of(
                        "fail-sha1",
                        CsrBuilder.devicePem(DEVICE, p256, "SHA1withECDSA"),
                        ReasonCode.CSR_ALGORITHM_NOT_ALLOWED),
                Arguments.of(
                        "fail-rsa1024",
                        CsrBuilder.devicePem(DEVICE, TestPki.generate("RSA", 1024), "SHA256withRSA"),
                        ReasonCode.CSR_KEY_NOT_ALLOWED),
                Arguments.of(
                        "fail-secp256k1",
                        CsrBuilder.devicePem(DEVICE, TestPki.ec("secp256k1"), "SHA256withECDSA"),
                        ReasonCode.CSR_KEY_NOT_ALLOWED),
                Arguments.of(
                        "fail-other-device",
                        CsrBuilder.devicePem("SN-9999", p256, "SHA256withECDSA"),
                        ReasonCode.CSR_SUBJECT_MISMATCH),
                Arguments.of(
                        "fail-no-serialnumber",
                        CsrBuilder.pem(new X500Name("CN=" + DEVICE), p256, "SHA256withECDSA"),
                        ReasonCode.CSR_SUBJECT_MISMATCH),
                Arguments.of(
                        "fail-extra-attribute",
                        CsrBuilder.pem(
                                new X500Name("CN=" + DEVICE + ",SERIALNUMBER=" + DEVICE + ",O=Evil"),
                                p256,
                                "SHA256withECDSA"),
                        ReasonCode.CSR_SUBJECT_MISMATCH),
                Arguments.of("fail-not-pem", "hello", ReasonCode.CSR_MALFORMED),
                Arguments.of(
                        "fail-garbage-der",
                        Pem.encode("CERTIFICATE REQUEST", new byte[] {0x30, 0x03, 1, 2, 3}),
                        ReasonCode.CSR_MALFORMED),
                Arguments.of("fail-too-large", "x".repeat(CsrValidator.MAX_CSR_CHARS + 1), ReasonCode.CSR_MALFORMED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejected")
    void rejectsWithTheReasonOfTheFirstFailedCheck(String name, String pem, ReasonCode expected) {
        RequestRejectedException e =
                assertThrows(RequestRejectedException.class, () -> validator.validate(pem, DEVICE));
        assertEquals(expected, e.reason(), e.getMessage());
    }

    @Test
    void rejectsCsrWithInvalidProofOfPossession() {
        String pem = CsrBuilder.devicePem(DEVICE, TestPki.ec("secp256r1"), "SHA256withECDSA");
        byte[] der = Pem.decodeAll(pem, "CERTIFICATE REQUEST").get(0);
        der[der.length - 5] ^= 0x01; // inside the signature value
        RequestRejectedException e = assertThrows(
                RequestRejectedException.class,
                () -> validator.validate(Pem.encode("CERTIFICATE REQUEST", der), DEVICE));
        assertEquals(ReasonCode.CSR_SIGNATURE_INVALID, e.reason());
    }

    @Test
    void rejectsCsrSignedByAnotherKeyThanItCarries() throws Exception {
        KeyPair carried = TestPki.ec("secp256r1");
        KeyPair signer = TestPki.ec("secp256r1");
        String honest = CsrBuilder.devicePem(DEVICE, carried, "SHA256withECDSA");
        String forged = CsrBuilder.devicePem(DEVICE, signer, "SHA256withECDSA");
        // Swap the public key: the signature no longer belongs to the key the CSR claims.
        byte[] der = Pem.decodeAll(forged, "CERTIFICATE REQUEST").get(0);
        byte[] signerKey = signer.getPublic().getEncoded();
        byte[] carriedKey = carried.getPublic().getEncoded();
        int at = indexOf(der, signerKey);
        System.arraycopy(carriedKey, 0, der, at, carriedKey.length);
        RequestRejectedException e = assertThrows(
                RequestRejectedException.class,
                () -> validator.validate(Pem.encode("CERTIFICATE REQUEST", der), DEVICE));
        assertEquals(ReasonCode.CSR_SIGNATURE_INVALID, e.reason());
        assertEquals(DEVICE, validator.validate(honest, DEVICE).deviceId());
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("key not found in CSR");
    }
}
