package io.imprint.service;

import io.imprint.pki.signing.ServiceCredential;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while the service's identity is valid: once it has expired the broker refuses new connections
 * and its peers refuse its commands. Shows the principal and when to re-enrol.
 */
@Readiness
@ApplicationScoped
public class EventPlaneHealthCheck implements HealthCheck {
    private final ServiceCredential identity;

    public EventPlaneHealthCheck(ServiceCredential identity) {
        this.identity = identity;
    }

    @Override
    public HealthCheckResponse call() {
        Instant now = Instant.now();
        Instant notAfter = identity.certificate().getNotAfter().toInstant();
        boolean valid = !now.isBefore(identity.certificate().getNotBefore().toInstant()) && !now.isAfter(notAfter);
        return HealthCheckResponse.named("event-plane-identity")
                .status(valid)
                .withData("principal", identity.identity().principal())
                .withData("valid-until", notAfter.toString())
                .build();
    }
}
