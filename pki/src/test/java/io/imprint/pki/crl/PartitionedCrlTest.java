package io.imprint.pki.crl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imprint.pki.Commands;
import io.imprint.pki.Pem;
import io.imprint.pki.Serials;
import io.imprint.pki.TestPki;
import io.imprint.pki.csr.CsrBuilder;
import io.imprint.pki.csr.CsrValidator;
import io.imprint.pki.issuance.CertificateProfile;
import io.imprint.pki.issuance.DeviceCertificateIssuer;
import io.imprint.pki.keys.SigningPool;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.x509.CRLReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A shard's full and delta CRLs as {@code openssl verify} uses them: the IDP must match the certificate's
 * distribution point, and a revocation listed only in the delta counts once deltas are used.
 */
class PartitionedCrlTest {
    private static final TestPki PKI = new TestPki();
    private static final CrlDistribution SHARDS =
            new CrlDistribution("http://ca.example/crl/k/{shard}", 8, "http://ca.example/crl/k/{shard}/delta");

    @TempDir
    Path dir;

    private final CrlFactory factory = new CrlFactory();

    @Test
    void okShardCrlsCarryTheirScopeAndOpensslHonoursFullAndDelta() throws Exception {
        BigInteger serial = Serials.random();
        int shard = SHARDS.shardOf(serial);
        X509Certificate device = new DeviceCertificateIssuer()
                .issue(
                        new CsrValidator()
                                .validate(
                                        CsrBuilder.devicePem("SN-1", TestPki.ec("secp256r1"), "SHA256withECDSA"),
                                        "SN-1"),
                        new SigningPool(PKI.backend, PKI.issuing.alias(), 1),
                        new CertificateProfile("idevid", null, null, null).withCrl(SHARDS),
                        serial,
                        TestPki.NOW);
        X509CRL full = factory.build(
                PKI.issuing,
                10,
                TestPki.NOW,
                TestPki.NOW.plus(Duration.ofDays(1)),
                List.of(),
                CrlScope.full(SHARDS.crlUrl(shard), SHARDS.deltaCrlUrl(shard)));
        X509CRL delta = factory.build(
                PKI.issuing,
                11,
                TestPki.NOW,
                TestPki.NOW.plus(Duration.ofHours(1)),
                List.of(new RevokedEntry(serial, TestPki.NOW, CRLReason.keyCompromise)),
                CrlScope.delta(SHARDS.crlUrl(shard), 10));
        X509CRL otherShard = factory.build(
                PKI.issuing,
                12,
                TestPki.NOW,
                TestPki.NOW.plus(Duration.ofDays(1)),
                List.of(),
                CrlScope.full(SHARDS.crlUrl((shard + 1) % 8), null));

        assertEquals(SHARDS.crlUrl(shard), CrlExtensions.distributionPoint(full));
        assertEquals(SHARDS.crlUrl(shard), CrlExtensions.distributionPoint(device));
        assertEquals(null, CrlExtensions.deltaBase(full));
        assertEquals(10L, CrlExtensions.deltaBase(delta));
        assertTrue(full.getCriticalExtensionOIDs().contains("2.5.29.28"), "IDP is critical (RFC 5280 5.2.5)");
        assertTrue(delta.getCriticalExtensionOIDs().contains("2.5.29.27"), "Delta CRL Indicator is critical");
        String text = Commands.ok(
                dir, Map.of(), List.of("openssl", "crl", "-in", write("full.pem", full), "-noout", "-text"));
        assertTrue(text.contains("Only User Certificates"), text);
        assertTrue(text.contains(SHARDS.deltaCrlUrl(shard)), "Freshest CRL names the delta: " + text);

        write("device.pem", device);
        assertEquals("device.pem: OK", verify(List.of("full.pem")).output().strip());
        write("delta.pem", delta);
        Commands.Result revoked = verify(List.of("full.pem", "delta.pem"), "-use_deltas");
        assertNotEquals(0, revoked.exit());
        assertTrue(revoked.output().contains("certificate revoked"), revoked.output());
        write("other.pem", otherShard);
        Commands.Result wrongScope = verify(List.of("other.pem"));
        assertNotEquals(0, wrongScope.exit(), "another shard's CRL does not cover this certificate");
        assertTrue(wrongScope.output().contains("different CRL scope"), wrongScope.output());
    }

    private Commands.Result verify(List<String> crls, String... options) throws IOException {
        Files.writeString(dir.resolve("root.pem"), Pem.encode(PKI.root.certificate()));
        Files.writeString(dir.resolve("issuing.pem"), Pem.encode(PKI.issuing.certificate()));
        List<String> command = new ArrayList<>(List.of(
                "openssl",
                "verify",
                "-attime",
                Long.toString(TestPki.NOW.plusSeconds(60).getEpochSecond()),
                "-CAfile",
                "root.pem",
                "-untrusted",
                "issuing.pem",
                "-crl_check"));
        command.addAll(List.of(options));
        crls.forEach(crl -> command.addAll(List.of("-CRLfile", crl)));
        command.add("device.pem");
        return Commands.run(dir, Map.of(), command);
    }

    private String write(String name, Object object) throws IOException {
        Files.writeString(dir.resolve(name), Pem.encode(object));
        return name;
    }
}
