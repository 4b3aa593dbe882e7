package io.imprint.service;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the start-up warm-ups are done ({@link StartupWarmUps}). */
@Readiness
@ApplicationScoped
public class WarmUpHealthCheck implements HealthCheck {
    private final StartupWarmUps warmUps;

    public WarmUpHealthCheck(StartupWarmUps warmUps) {
        this.warmUps = warmUps;
    }

    @Override
    public HealthCheckResponse call() {
        return warmUps.check();
    }
}
