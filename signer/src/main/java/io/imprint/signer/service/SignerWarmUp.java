package io.imprint.signer.service;

import io.imprint.pki.warmup.IssuanceWarmUp;
import io.imprint.service.StartupWarmUps;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Compiles issuance at start, before readiness ({@link IssuanceWarmUp}): with a synthetic software CA, never
 * with a key of the HSM.
 */
@ApplicationScoped
public class SignerWarmUp {
    void start(@Observes StartupEvent start, StartupWarmUps warmUps, SigningService signing) {
        warmUps.start("certificate issuance", () -> new IssuanceWarmUp(signing.profiles()));
    }
}
