package io.imprint.pki.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.imprint.contracts.Headers;
import io.imprint.contracts.QuarantineReason;
import io.imprint.pki.CertificateTemplates;
import io.imprint.pki.TestPki;
import io.imprint.pki.UntrustedEventException;
import io.imprint.pki.keys.CaKey;
import io.imprint.pki.operator.OperatorIdentity;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class OperatorRequestVerifierTest {
    private static final TestPki PKI = new TestPki();
    /** The operator CA here: a CA of its own, so the service CA's certificates must fail under it. */
    private static final CaKey OPERATOR_CA = PKI.stationCa;

    private static final byte[] VALUE = "{\"requestId\":\"r-1\"}".getBytes(StandardCharsets.UTF_8);
    private static final Set<String> REVOKERS = Set.of("alice");

    private final OperatorRequestVerifier verifier = new OperatorRequestVerifier(OPERATOR_CA.certificate());

    @Test
    void okRequestSignedByTheOperatorItNames() {
        assertEquals(
                new OperatorIdentity("alice"),
                verify(signed(operator(OPERATOR_CA, "alice"), VALUE), VALUE, "alice", TestPki.NOW));
    }

    @Test
    void failUnsignedRequest() {
        assertReason(QuarantineReason.REQUEST_UNSIGNED, () -> verify(Map.of(), VALUE, "alice", TestPki.NOW));
    }

    @Test
    void failRequestMadeInAnotherOperatorsName() {
        Map<String, String> byBob = signed(operator(OPERATOR_CA, "bob"), VALUE);
        assertReason(QuarantineReason.REQUEST_SIGNER_NOT_AUTHORIZED, () -> verify(byBob, VALUE, "alice", TestPki.NOW));
    }

    @Test
    void failOperatorWithoutTheRole() {
        Map<String, String> byBob = signed(operator(OPERATOR_CA, "bob"), VALUE);
        assertReason(QuarantineReason.REQUEST_SIGNER_NOT_AUTHORIZED, () -> verify(byBob, VALUE, "bob", TestPki.NOW));
    }

    @Test
    void failOperatorSubjectFromAnotherCa() {
        Map<String, String> impostor = signed(operator(PKI.serviceCa, "alice"), VALUE);
        assertReason(QuarantineReason.REQUEST_SIGNER_UNTRUSTED, () -> verify(impostor, VALUE, "alice", TestPki.NOW));
    }

    @Test
    void failSignatureOverOtherBytes() {
        byte[] altered = "{\"requestId\":\"r-2\"}".getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = signed(operator(OPERATOR_CA, "alice"), VALUE);
        assertReason(QuarantineReason.REQUEST_SIGNER_UNTRUSTED, () -> verify(headers, altered, "alice", TestPki.NOW));
    }

    @Test
    void failExpiredOperatorCertificate() {
        Map<String, String> headers = signed(operator(OPERATOR_CA, "alice"), VALUE);
        assertReason(
                QuarantineReason.REQUEST_SIGNER_UNTRUSTED,
                () -> verify(headers, VALUE, "alice", TestPki.NOW.plus(Duration.ofDays(31))));
    }

    @Test
    void failCertificateOfTheOperatorCaWhoseSubjectIsNoOperator() {
        KeyPair key = TestPki.ec("secp256r1");
        X509Certificate odd = CertificateTemplates.clientAuth(
                OPERATOR_CA,
                new X500Name("CN=alice"),
                key.getPublic(),
                TestPki.NOW,
                TestPki.NOW.plus(Duration.ofDays(30)));
        Map<String, String> headers = signed(new OperatorCredential(key.getPrivate(), List.of(odd)), VALUE);
        assertReason(QuarantineReason.REQUEST_SIGNER_UNTRUSTED, () -> verify(headers, VALUE, "alice", TestPki.NOW));
    }

    private OperatorIdentity verify(Map<String, String> headers, byte[] value, String claimed, Instant now) {
        return verifier.verify(
                headers.get(Headers.OPERATOR_CERT),
                headers.get(Headers.OPERATOR_SIGNATURE),
                value,
                now,
                claimed,
                o -> REVOKERS.contains(o.name()));
    }

    private static OperatorCredential operator(CaKey ca, String name) {
        KeyPair key = TestPki.ec("secp256r1");
        return new OperatorCredential(
                key.getPrivate(),
                List.of(CertificateTemplates.clientAuth(
                        ca,
                        new OperatorIdentity(name).subject(),
                        key.getPublic(),
                        TestPki.NOW,
                        TestPki.NOW.plus(Duration.ofDays(30)))));
    }

    private static Map<String, String> signed(OperatorCredential operator, byte[] value) {
        return operator.sign(value);
    }

    private static void assertReason(QuarantineReason expected, Executable action) {
        UntrustedEventException e = assertThrows(UntrustedEventException.class, action);
        assertEquals(expected, e.reason(), e.getMessage());
    }
}
