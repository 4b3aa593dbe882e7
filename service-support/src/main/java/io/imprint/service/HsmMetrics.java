package io.imprint.service;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * {@code imprint_hsm_ready}: 1 while the token answers and holds every key the service needs, 0 otherwise (the
 * readiness check's verdict, taken at each scrape), for alerts. Only services with a token have it.
 */
@ApplicationScoped
public class HsmMetrics {
    void register(@Observes StartupEvent start, Instance<HsmHealthCheck.HsmKeys> keys, MeterRegistry metrics) {
        if (keys.isResolvable()) {
            HsmHealthCheck check = new HsmHealthCheck(keys);
            Gauge.builder(
                            "imprint.hsm.ready",
                            check,
                            c -> c.call().getStatus() == HealthCheckResponse.Status.UP ? 1 : 0)
                    .description("1 while the token answers and holds every key this service needs")
                    .register(metrics);
        }
    }
}
