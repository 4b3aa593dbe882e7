package io.imprint.pki.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imprint.pki.CertificateTemplates;
import io.imprint.pki.Commands;
import io.imprint.pki.Pem;
import io.imprint.pki.Providers;
import io.imprint.pki.TestPki;
import io.imprint.pki.keys.EcKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.x500.X500Name;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints as the audit key signs them: canonical text, and a signature openssl checks as we do. */
class SignedCheckpointTest {
    private static final TestPki PKI = new TestPki();
    private static final Instant NOW = TestPki.NOW;
    private final KeyPair auditKey = EcKeys.p256();
    private final X509Certificate auditCertificate = CertificateTemplates.auditLog(
            PKI.serviceCa,
            new X500Name("CN=Test Audit Log"),
            auditKey.getPublic(),
            NOW.minusSeconds(60),
            NOW.plus(Duration.ofDays(30)));
    private final Checkpoint checkpoint =
            new Checkpoint("imprint/audit/test", 8, MerkleTree.root(List.of(new byte[32]), 1), NOW);

    @Test
    void theTextIsCanonicalAndParsesBackToItself() {
        assertEquals(checkpoint, Checkpoint.parse(checkpoint.body()));
        assertTrue(checkpoint.body().startsWith("imprint/audit/test\n8\n"));
        for (String altered : List.of(
                checkpoint.body().replace("\n8\n", "\n08\n"),
                checkpoint.body().trim(),
                checkpoint.body() + "extra\n",
                checkpoint.body().replace("time ", "at "))) {
            assertThrows(IllegalArgumentException.class, () -> Checkpoint.parse(altered), altered);
        }
    }

    @Test
    void theAuditKeysSignatureHoldsAndNothingElseDoes(@TempDir Path dir) throws Exception {
        SignedCheckpoint signed = new SignedCheckpoint(checkpoint, sign(auditKey, checkpoint.bytes()));
        assertNull(signed.problem(auditCertificate));

        // openssl, which no Imprint code wrote, agrees on the very bytes.
        Files.write(dir.resolve("checkpoint"), checkpoint.bytes());
        Files.write(dir.resolve("checkpoint.sig"), signed.signature());
        Files.writeString(dir.resolve("audit.pem"), Pem.encode(auditCertificate));
        Commands.ok(dir, Map.of(), List.of("sh", "-c", "openssl x509 -in audit.pem -pubkey -noout > audit.pub"));
        assertTrue(Commands.ok(
                        dir,
                        Map.of(),
                        List.of(
                                "openssl",
                                "dgst",
                                "-sha256",
                                "-verify",
                                "audit.pub",
                                "-signature",
                                "checkpoint.sig",
                                "checkpoint"))
                .contains("Verified OK"));

        Checkpoint larger = new Checkpoint(checkpoint.origin(), 9, checkpoint.root(), checkpoint.time());
        assertEquals(
                "the signature does not verify with the audit certificate's key",
                new SignedCheckpoint(larger, signed.signature()).problem(auditCertificate));
        assertEquals(
                "the signature does not verify with the audit certificate's key",
                new SignedCheckpoint(checkpoint, sign(EcKeys.p256(), checkpoint.bytes())).problem(auditCertificate));
        Checkpoint later = new Checkpoint(checkpoint.origin(), 8, checkpoint.root(), NOW.plus(Duration.ofDays(31)));
        assertTrue(new SignedCheckpoint(later, sign(auditKey, later.bytes()))
                .problem(auditCertificate)
                .contains("outside the certificate's validity"));
        X509Certificate caCertificate = PKI.serviceCa.certificate();
        assertTrue(signed.problem(caCertificate).contains("is not for signing"), signed.problem(caCertificate));
    }

    private static byte[] sign(KeyPair key, byte[] data) throws Exception {
        Signature signer = Signature.getInstance(SignedCheckpoint.ALGORITHM, Providers.BC);
        signer.initSign(key.getPrivate());
        signer.update(data);
        return signer.sign();
    }
}
