package io.imprint.intake;

import io.imprint.pki.attestation.tpm.SoftwareTpm;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;

/**
 * A real software TPM (swtpm) for intake's TPM round trips: manufactured with an EK certificate from its local
 * CA, whose root intake trusts as the vendor root of secure-element type {@value #TYPE}.
 */
public class SoftwareTpmResource implements QuarkusTestResourceLifecycleManager {
    static final String TYPE = "TPM";
    private static SoftwareTpm tpm;

    static SoftwareTpm tpm() {
        return tpm;
    }

    @Override
    public Map<String, String> start() {
        try {
            tpm = new SoftwareTpm(Files.createTempDirectory("imprint-swtpm"));
            tpm.provisionAttestationKey();
        } catch (IOException e) {
            throw new IllegalStateException("cannot manufacture the software TPM", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return Map.of(
                "imprint.intake.vendor-roots." + TYPE,
                tpm.vendorRoot().toString(),
                "imprint.intake.attestation." + TYPE + ".format",
                "tpm",
                "imprint.intake.tpm.challenge-ttl",
                "PT2M");
    }

    @Override
    public void stop() {
        if (tpm != null) {
            tpm.close();
        }
    }
}
