package io.imprint.pki.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.imprint.contracts.Headers;
import io.imprint.contracts.QuarantineReason;
import io.imprint.pki.CertificateTemplates;
import io.imprint.pki.TestPki;
import io.imprint.pki.UntrustedEventException;
import io.imprint.pki.keys.CaKey;
import io.imprint.pki.service.ServiceIdentity;
import io.imprint.pki.station.StationCredential;
import io.imprint.pki.station.StationIdentity;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class ServiceCommandVerifierTest {
    private static final TestPki PKI = new TestPki();
    private static final byte[] VALUE = "{\"requestId\":\"r-1\"}".getBytes(StandardCharsets.UTF_8);
    private static final Set<String> INTAKE_ONLY = Set.of("csr-intake");

    private final ServiceCommandVerifier verifier = new ServiceCommandVerifier(PKI.serviceCa.certificate());

    @Test
    void okCommandSignedByTheAllowedServiceNamesIt() {
        ServiceCredential intake = service(PKI.serviceCa, "csr-intake", TestPki.NOW);
        assertEquals(new ServiceIdentity("csr-intake"), verify(intake.sign(VALUE), VALUE, TestPki.NOW));
    }

    @Test
    void failUnsignedCommand() {
        assertReason(QuarantineReason.COMMAND_UNSIGNED, () -> verify(Map.of(), VALUE, TestPki.NOW));
    }

    @Test
    void failCommandSignedByAnotherService() {
        ServiceCredential revocation = service(PKI.serviceCa, "revocation", TestPki.NOW);
        assertReason(
                QuarantineReason.COMMAND_SIGNER_NOT_AUTHORIZED,
                () -> verify(revocation.sign(VALUE), VALUE, TestPki.NOW));
    }

    @Test
    void failCommandSignedWithAStationKey() {
        KeyPair key = TestPki.ec("secp256r1");
        StationCredential station = new StationCredential(
                key.getPrivate(),
                CertificateTemplates.clientAuth(
                        PKI.stationCa,
                        new StationIdentity("factory-1", "station-1").subject(),
                        key.getPublic(),
                        TestPki.NOW,
                        TestPki.NOW.plus(Duration.ofHours(8))));
        Map<String, String> stationHeaders = station.sign(VALUE);
        Map<String, String> asService = Map.of(
                Headers.SERVICE_CERT,
                stationHeaders.get(Headers.STATION_CERT),
                Headers.SERVICE_SIGNATURE,
                stationHeaders.get(Headers.STATION_SIGNATURE));
        assertReason(QuarantineReason.COMMAND_SIGNER_UNTRUSTED, () -> verify(asService, VALUE, TestPki.NOW));
    }

    @Test
    void failServiceCertificateFromAnotherCaEvenWithTheRightName() {
        ServiceCredential impostor = service(PKI.issuing, "csr-intake", TestPki.NOW);
        assertReason(QuarantineReason.COMMAND_SIGNER_UNTRUSTED, () -> verify(impostor.sign(VALUE), VALUE, TestPki.NOW));
    }

    @Test
    void failSignatureOverOtherBytes() {
        ServiceCredential intake = service(PKI.serviceCa, "csr-intake", TestPki.NOW);
        byte[] altered = "{\"requestId\":\"r-2\"}".getBytes(StandardCharsets.UTF_8);
        assertReason(
                QuarantineReason.COMMAND_SIGNATURE_INVALID, () -> verify(intake.sign(VALUE), altered, TestPki.NOW));
    }

    @Test
    void failExpiredServiceCertificate() {
        ServiceCredential intake = service(PKI.serviceCa, "csr-intake", TestPki.NOW);
        assertReason(
                QuarantineReason.COMMAND_SIGNER_UNTRUSTED,
                () -> verify(intake.sign(VALUE), VALUE, TestPki.NOW.plus(Duration.ofDays(91))));
    }

    @Test
    void failCertificateWhoseSubjectIsNotAServiceIdentity() {
        KeyPair key = TestPki.ec("secp256r1");
        ServiceCredential odd = new ServiceCredential(
                key.getPrivate(),
                List.of(CertificateTemplates.clientAuth(
                        PKI.serviceCa,
                        new org.bouncycastle.asn1.x500.X500Name("CN=csr-intake"),
                        key.getPublic(),
                        TestPki.NOW,
                        TestPki.NOW.plus(Duration.ofDays(90)))));
        assertReason(QuarantineReason.COMMAND_SIGNER_NOT_AUTHORIZED, () -> verify(odd.sign(VALUE), VALUE, TestPki.NOW));
    }

    private ServiceIdentity verify(Map<String, String> headers, byte[] value, Instant now) {
        return verifier.verify(
                headers.get(Headers.SERVICE_CERT), headers.get(Headers.SERVICE_SIGNATURE), value, now, INTAKE_ONLY);
    }

    static ServiceCredential service(CaKey ca, String name, Instant notBefore) {
        KeyPair key = TestPki.ec("secp256r1");
        return new ServiceCredential(
                key.getPrivate(),
                List.of(CertificateTemplates.serviceIdentity(
                        ca,
                        new ServiceIdentity(name).subject(),
                        key.getPublic(),
                        notBefore,
                        notBefore.plus(Duration.ofDays(90)),
                        List.of())));
    }

    private static void assertReason(QuarantineReason expected, Executable action) {
        UntrustedEventException e = assertThrows(UntrustedEventException.class, action);
        assertEquals(expected, e.reason(), e.getMessage());
    }
}
