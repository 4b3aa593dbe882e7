package io.imprint.service;

import io.imprint.pki.VerifyingProvider;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.jboss.logging.Logger;

/**
 * Which provider verifies ECDSA signatures in this process (native AWS-LC or BouncyCastle, and why), logged at
 * start and shown in {@code /q/health}. Choosing at start means {@code IMPRINT_VERIFY_PROVIDER=native} on a
 * machine where the native provider cannot load stops the service before it takes a record.
 */
@Liveness
@ApplicationScoped
public class VerifyingProviderHealthCheck implements HealthCheck {
    private static final Logger LOG = Logger.getLogger(VerifyingProviderHealthCheck.class);

    void choose(@Observes StartupEvent start) {
        VerifyingProvider active = VerifyingProvider.active();
        LOG.infof("ECDSA signatures are verified by %s", active.description());
    }

    @Override
    public HealthCheckResponse call() {
        VerifyingProvider active = VerifyingProvider.active();
        return HealthCheckResponse.named("signature-verification")
                .up()
                .withData("ecdsa-provider", active.description())
                .withData("native", active.isNative())
                .build();
    }
}
