package io.imprint.service;

import io.imprint.pki.warmup.WarmUp;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.jboss.logging.Logger;

/**
 * Runs a service's warm-ups ({@link WarmUp}) at start, each on a thread of its own, and keeps readiness DOWN
 * ({@link WarmUpHealthCheck}) until they are done, so a deployment sends traffic to a service whose hot path is
 * compiled. A warm-up that fails is logged and counts as done: the service works, only colder.
 * {@code imprint.warm-up.rounds=0} turns them off.
 */
@ApplicationScoped
public class StartupWarmUps {
    private static final Logger LOG = Logger.getLogger(StartupWarmUps.class);

    private final int rounds;
    private final Duration budget;
    private final Map<String, String> state = new ConcurrentHashMap<>();

    public StartupWarmUps(
            @ConfigProperty(name = "imprint.warm-up.rounds", defaultValue = "500") int rounds,
            @ConfigProperty(name = "imprint.warm-up.budget", defaultValue = "PT15S") Duration budget) {
        this.rounds = rounds;
        this.budget = budget;
    }

    /** Starts {@code warmUp} (made on its thread: making it is part of the work) unless warm-ups are off. */
    public void start(String what, Supplier<WarmUp> warmUp) {
        if (rounds <= 0) {
            return;
        }
        state.put(what, "running");
        Thread thread = new Thread(
                () -> {
                    try {
                        WarmUp.Report report = warmUp.get().run(rounds, budget);
                        state.put(
                                what,
                                report.rounds() + " rounds in " + report.took().toMillis() + " ms");
                        LOG.infof(
                                "warm-up of %s: %d rounds in %d ms",
                                what, report.rounds(), report.took().toMillis());
                    } catch (RuntimeException e) {
                        state.put(what, "failed: " + e.getMessage());
                        LOG.warnf(
                                "warm-up of %s failed; the service works, but its first requests are slower: %s",
                                what, e.getMessage());
                    }
                },
                "warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    /** DOWN while a warm-up runs; each one's outcome as data. */
    HealthCheckResponse check() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("warm-up");
        state.forEach(response::withData);
        return response.status(!state.containsValue("running")).build();
    }
}
