package io.imprint.service;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while the consumers make progress on the work they have ({@link ConsumerProgress}). */
@Readiness
@ApplicationScoped
public class ConsumerProgressHealthCheck implements HealthCheck {
    private final ConsumerProgress progress;

    public ConsumerProgressHealthCheck(ConsumerProgress progress) {
        this.progress = progress;
    }

    @Override
    public HealthCheckResponse call() {
        return progress.check();
    }
}
