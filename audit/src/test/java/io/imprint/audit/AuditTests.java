package io.imprint.audit;

import static io.imprint.testing.TestOperators.AUDITOR;
import static io.imprint.testing.TestOperators.as;

import io.imprint.contracts.events.CertIssuedV1;
import io.imprint.testing.Shell;
import io.imprint.testing.TestEvents;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;

/** What audit's tests share: a certificate logged through the broker, and the offline verifier run as a third party. */
final class AuditTests {
    static final Duration WAIT = Duration.ofSeconds(30);

    private AuditTests() {}

    /** A genuine issuance, published to cert.issued and awaited until audit has logged it. */
    static CertIssuedV1 logged() {
        CertIssuedV1 issued = TestEvents.issued();
        TestEvents.publish(issued, issued.deviceId());
        Awaitility.await()
                .atMost(WAIT)
                .untilAsserted(() -> as(AUDITOR)
                        .get("/audit/certificates/" + issued.serialNumber())
                        .then()
                        .statusCode(200));
        return issued;
    }

    /**
     * The {@code audit-proof} command from pki's own classes, nothing of audit's, as a third party runs it;
     * what it printed, whether the proof held or not.
     */
    static String auditProof(Path dir, String... arguments) {
        Path pki = Path.of("../pki/target");
        List<String> command = new ArrayList<>(List.of(
                "java",
                "-cp",
                pki.resolve("classes").toAbsolutePath() + ":"
                        + pki.resolve("lib").toAbsolutePath() + "/*",
                "io.imprint.pki.audit.AuditProofCli"));
        command.addAll(List.of(arguments));
        return Shell.run(dir, Map.of(), command).output().strip();
    }
}
