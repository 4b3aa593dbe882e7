package io.imprint.intake.service;

import io.imprint.intake.config.IntakeConfig;
import io.imprint.pki.warmup.SubmissionWarmUp;
import io.imprint.service.StartupWarmUps;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Compiles the submission checks at start, before readiness ({@link SubmissionWarmUp}). */
@ApplicationScoped
public class IntakeWarmUp {
    void start(@Observes StartupEvent start, StartupWarmUps warmUps, IntakeConfig config) {
        warmUps.start(
                "submission checks",
                () -> new SubmissionWarmUp(IntakeService.attestationProfiles(config), config.maxClockSkew()));
    }
}
