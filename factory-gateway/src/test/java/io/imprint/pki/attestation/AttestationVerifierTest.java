package io.imprint.pki.attestation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.imprint.contracts.ReasonCode;
import io.imprint.gateway.SimulatedVendor;
import io.imprint.pki.RequestRejectedException;
import io.imprint.pki.TestPki;
import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class AttestationVerifierTest {
    private static final SimulatedVendor MICROCHIP = new SimulatedVendor("Microchip");
    private static final SimulatedVendor COUNTERFEIT = new SimulatedVendor("Microchip");
    private final AttestationVerifier verifier = new AttestationVerifier(Map.of("ATECC608A", MICROCHIP.root()));
    private final KeyPair element = TestPki.ec("secp256r1");

    @Test
    void acceptsGenuineElementWithAndWithoutTheRootInTheChain() throws Exception {
        List<String> chain = MICROCHIP.attestBase64(element.getPublic(), "0123");
        assertEquals(
                MICROCHIP
                        .attest(element.getPublic(), "0123")
                        .get(0)
                        .getSubjectX500Principal()
                        .getName(),
                verifier.verify("atecc608a", chain, spki(element), Instant.now())
                        .certificate()
                        .getSubjectX500Principal()
                        .getName());
        List<String> withRoot = new ArrayList<>(chain);
        withRoot.add(Base64.getEncoder().encodeToString(MICROCHIP.root().getEncoded()));
        verifier.verify("ATECC608A", withRoot, spki(element), Instant.now());
    }

    @Test
    void rejectsChainOfLookAlikeVendor() {
        assertReason(
                ReasonCode.ATTESTATION_INVALID,
                () -> verifier.verify(
                        "ATECC608A",
                        COUNTERFEIT.attestBase64(element.getPublic(), "0123"),
                        spki(element),
                        Instant.now()));
    }

    @Test
    void rejectsGenuineChainForAnotherKey() {
        KeyPair other = TestPki.ec("secp256r1");
        assertReason(
                ReasonCode.ATTESTATION_KEY_MISMATCH,
                () -> verifier.verify(
                        "ATECC608A", MICROCHIP.attestBase64(other.getPublic(), "0123"), spki(element), Instant.now()));
    }

    @Test
    void rejectsTypeWithoutConfiguredRootOversizedChainAndGarbage() {
        List<String> chain = MICROCHIP.attestBase64(element.getPublic(), "0123");
        assertReason(
                ReasonCode.ATTESTATION_INVALID, () -> verifier.verify("SE050", chain, spki(element), Instant.now()));
        List<String> tooLong = List.of(chain.get(0), chain.get(1), chain.get(1), chain.get(1), chain.get(1));
        assertReason(
                ReasonCode.ATTESTATION_INVALID,
                () -> verifier.verify("ATECC608A", tooLong, spki(element), Instant.now()));
        assertReason(
                ReasonCode.ATTESTATION_INVALID,
                () -> verifier.verify("ATECC608A", List.of("bm90IGEgY2VydA=="), spki(element), Instant.now()));
        assertReason(
                ReasonCode.ATTESTATION_INVALID,
                () -> verifier.verify("ATECC608A", List.of(chain.get(0)), spki(element), Instant.now()));
    }

    @Test
    void rejectsChainOutsideItsValidity() {
        List<String> chain = MICROCHIP.attestBase64(element.getPublic(), "0123");
        assertReason(
                ReasonCode.ATTESTATION_INVALID,
                () -> verifier.verify("ATECC608A", chain, spki(element), Instant.parse("2001-01-01T00:00:00Z")));
    }

    private static SubjectPublicKeyInfo spki(KeyPair key) {
        return SubjectPublicKeyInfo.getInstance(key.getPublic().getEncoded());
    }

    private static void assertReason(ReasonCode expected, Executable call) {
        RequestRejectedException e = assertThrows(RequestRejectedException.class, call);
        assertEquals(expected, e.reason(), e.getMessage());
    }
}
