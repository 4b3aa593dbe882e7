package io.imprint.pki.station;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.imprint.contracts.ReasonCode;
import io.imprint.pki.CertificateTemplates;
import io.imprint.pki.Providers;
import io.imprint.pki.RequestRejectedException;
import io.imprint.pki.TestPki;
import io.imprint.pki.keys.CaKey;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class StationCredentialVerifierTest {
    private static final TestPki PKI = new TestPki();
    private static final StationIdentity STATION = new StationIdentity("factory-7", "station-3");
    private static final byte[] VALUE = "{\"requestId\":\"r-1\"}".getBytes(StandardCharsets.UTF_8);

    private final KeyPair stationKey = TestPki.ec("secp256r1");
    private final StationCredentialVerifier verifier = new StationCredentialVerifier(PKI.stationCa.certificate());

    @Test
    void acceptsSignedSubmissionAndReturnsTheBoundIdentity() throws Exception {
        assertEquals(
                STATION, verify(issue(PKI.stationCa, TestPki.NOW), sign(VALUE), VALUE, TestPki.NOW.plusSeconds(60)));
    }

    @Test
    void rejectsMissingCredential() {
        assertReason(ReasonCode.STATION_CREDENTIAL_MISSING, () -> verifier.verify(null, "AA==", VALUE, TestPki.NOW));
    }

    @Test
    void rejectsSignatureOverOtherBytes() throws Exception {
        byte[] tampered = "{\"requestId\":\"r-2\"}".getBytes(StandardCharsets.UTF_8);
        assertReason(
                ReasonCode.STATION_SIGNATURE_INVALID,
                () -> verify(issue(PKI.stationCa, TestPki.NOW), sign(VALUE), tampered, TestPki.NOW));
    }

    @Test
    void rejectsCertificateFromAnotherCa() throws Exception {
        assertReason(
                ReasonCode.STATION_CERTIFICATE_UNTRUSTED,
                () -> verify(issue(PKI.issuing, TestPki.NOW), sign(VALUE), VALUE, TestPki.NOW));
    }

    @Test
    void rejectsExpiredAndNotYetValidCertificates() throws Exception {
        X509Certificate shift = issue(PKI.stationCa, TestPki.NOW);
        assertReason(
                ReasonCode.STATION_CERTIFICATE_EXPIRED,
                () -> verify(shift, sign(VALUE), VALUE, TestPki.NOW.plus(Duration.ofHours(9))));
        assertReason(
                ReasonCode.STATION_CERTIFICATE_NOT_YET_VALID,
                () -> verify(shift, sign(VALUE), VALUE, TestPki.NOW.minusSeconds(60)));
    }

    @Test
    void rejectsGarbageHeaders() {
        assertReason(
                ReasonCode.STATION_CERTIFICATE_UNTRUSTED,
                () -> verifier.verify("not base64!", "AA==", VALUE, TestPki.NOW));
        assertReason(
                ReasonCode.STATION_CERTIFICATE_UNTRUSTED, () -> verifier.verify("AAAA", "AA==", VALUE, TestPki.NOW));
    }

    private StationIdentity verify(X509Certificate cert, byte[] signature, byte[] value, Instant now) throws Exception {
        return verifier.verify(
                        Base64.getEncoder().encodeToString(cert.getEncoded()),
                        Base64.getEncoder().encodeToString(signature),
                        value,
                        now)
                .identity();
    }

    private X509Certificate issue(CaKey ca, Instant notBefore) {
        return CertificateTemplates.clientAuth(
                ca, STATION.subject(), stationKey.getPublic(), notBefore, notBefore.plus(Duration.ofHours(8)));
    }

    private byte[] sign(byte[] value) throws Exception {
        Signature signature = Signature.getInstance("SHA256withECDSA", Providers.BC);
        signature.initSign(stationKey.getPrivate());
        signature.update(value);
        return signature.sign();
    }

    private static void assertReason(ReasonCode expected, org.junit.jupiter.api.function.Executable action) {
        RequestRejectedException e = assertThrows(RequestRejectedException.class, action);
        assertEquals(expected, e.reason(), e.getMessage());
    }
}
