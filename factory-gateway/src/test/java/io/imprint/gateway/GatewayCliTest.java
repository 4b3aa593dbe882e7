package io.imprint.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imprint.pki.attestation.AttestationVerifier;
import io.imprint.pki.csr.CsrValidator;
import io.imprint.pki.csr.ValidatedCsr;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayCliTest {
    @Test
    void nearestRankPercentiles() {
        List<Long> samples = List.of(10L, 20L, 30L, 40L, 50L, 60L, 70L, 80L, 90L, 100L);
        assertEquals(50, GatewayCli.Summary.percentile(samples, 50));
        assertEquals(100, GatewayCli.Summary.percentile(samples, 99));
        assertEquals(-1, GatewayCli.Summary.percentile(List.of(), 50));
    }

    @Test
    void summaryCountsOutcomes() {
        GatewayCli.Summary s = GatewayCli.Summary.of(
                List.of(
                        new DeviceResult("a", "r1", DeviceResult.ISSUED, "01", 5, "pem"),
                        new DeviceResult("b", "r2", DeviceResult.REJECTED, "CSR_MALFORMED: x", 7, null),
                        new DeviceResult("c", "r3", DeviceResult.TIMED_OUT, "none", -1, null)),
                1.0);
        assertEquals(1, s.issued());
        assertEquals(1, s.rejected());
        assertEquals(1, s.timedOut());
        assertEquals(5, s.p50Ms());
    }

    @Test
    void simulatedSecureElementProducesValidCsrForItsDevice() throws Exception {
        SecureElementSimulator.Element element = new SecureElementSimulator().create("dev-00001");
        assertEquals(
                "dev-00001",
                new CsrValidator().validate(element.csr(), "dev-00001").deviceId());
        assertTrue(element.attestationChain().isEmpty());
    }

    @Test
    void simulatedVendorAttestsTheElementKeyTheCsrCarries(@TempDir Path dir) throws Exception {
        new SimulatedVendor("Test Vendor").save(dir);
        SimulatedVendor vendor = SimulatedVendor.load(dir);
        SecureElementSimulator.Element element = new SecureElementSimulator(vendor, "ATECC608A").create("dev-00002");
        ValidatedCsr csr = new CsrValidator().validate(element.csr(), "dev-00002");
        new AttestationVerifier(Map.of("ATECC608A", vendor.root()))
                .verify(element.type(), element.attestationChain(), csr.publicKeyInfo(), Instant.now());
    }

    @Test
    void stationKeyFileIsOwnerOnlyAndSigns(@TempDir Path dir) throws Exception {
        Path key = dir.resolve("station.key");
        StationFiles.generateKey(key, dir.resolve("station.pub.pem"));
        assertEquals(
                Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                Files.getPosixFilePermissions(key));
        assertTrue(Files.readString(dir.resolve("station.pub.pem"), StandardCharsets.US_ASCII)
                .contains("PUBLIC KEY"));
    }
}
