package io.imprint.service;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.jboss.logging.Logger;

/**
 * Whether the service's consumers make progress while they have work: records in a handler and none
 * finished, or records waiting on the broker (consumer lag) and none taken, for longer than
 * {@code imprint.consumption.stall-after} is a stall. {@link ConsumerProgressHealthCheck} turns readiness DOWN
 * on one, instead of UP while deciding nothing. An idle service is never stalled.
 */
@ApplicationScoped
public class ConsumerProgress {
    private static final Logger LOG = Logger.getLogger(ConsumerProgress.class);
    private static final String LAG_METRIC = "kafka.consumer.fetch.manager.records.lag.max";

    private final MeterRegistry metrics;
    private final Duration stallAfter;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicReference<Instant> lastProgress;
    private final AtomicReference<Instant> lagSince = new AtomicReference<>();
    private final Clock clock;
    /** Dependency outages being waited out, by topic: since when, and the failure (one line). */
    private final Map<String, Outage> outages = new ConcurrentHashMap<>();

    private record Outage(Instant since, String failure) {}

    @Inject
    public ConsumerProgress(
            MeterRegistry metrics,
            @ConfigProperty(name = "imprint.consumption.stall-after", defaultValue = "PT1M") Duration stallAfter) {
        this(metrics, stallAfter, Clock.systemUTC());
    }

    ConsumerProgress(MeterRegistry metrics, Duration stallAfter, Clock clock) {
        this.metrics = metrics;
        this.stallAfter = stallAfter;
        this.clock = clock;
        this.lastProgress = new AtomicReference<>(clock.instant());
    }

    /** Runs a handler's work, counted as in flight until it ends either way. */
    public <T> Uni<T> tracked(Supplier<Uni<T>> work) {
        return Uni.createFrom()
                .deferred(() -> {
                    started();
                    return work.get();
                })
                .onTermination()
                .invoke(this::finished);
    }

    public void started() {
        if (inFlight.getAndIncrement() == 0) {
            // Work arriving after a quiet spell: the quiet time is not stuck time.
            lastProgress.accumulateAndGet(clock.instant(), (a, b) -> a.isAfter(b) ? a : b);
        }
    }

    public void finished() {
        inFlight.decrementAndGet();
        lastProgress.set(clock.instant());
    }

    /**
     * A handler's record failed because a dependency is unavailable and will be retried: readiness is DOWN
     * until a record of that topic is processed again. Logged once per outage, not per retry.
     */
    public void waitingOut(String topic, Throwable failure) {
        List<Throwable> causes = TransientFailures.causes(failure);
        // the deepest says what is down; wrappers say "Multiple exceptions caught"
        Throwable root = causes.get(causes.size() - 1);
        String line = root.getClass().getSimpleName() + ": "
                + String.valueOf(root.getMessage()).lines().findFirst().orElse("");
        if (outages.putIfAbsent(topic, new Outage(clock.instant(), line)) == null) {
            LOG.warnf(
                    "a dependency of %s's consumer is unavailable (%s); waiting it out, retrying with backoff",
                    topic, line);
        }
    }

    /** A record of {@code topic} was processed: an outage seen on it is over. */
    public void recovered(String topic) {
        Outage ended = outages.isEmpty() ? null : outages.remove(topic);
        if (ended != null) {
            LOG.infof(
                    "%s's consumer resumed after %d s",
                    topic, Duration.between(ended.since(), clock.instant()).toSeconds());
        }
    }

    /** Evaluated at each readiness check, which also notes when lag was first seen. */
    HealthCheckResponse check() {
        Instant now = clock.instant();
        double lag = maxLag();
        if (lag > 0) {
            lagSince.compareAndSet(null, now);
        } else {
            lagSince.set(null);
        }
        int working = inFlight.get();
        Instant since = lastProgress.get();
        Instant lagged = lagSince.get();
        if (lagged != null && lagged.isAfter(since)) {
            since = lagged;
        }
        boolean busy = working > 0 || lagged != null;
        Duration stuck = busy ? Duration.between(since, now) : Duration.ZERO;
        boolean stalled = stuck.compareTo(stallAfter) > 0;
        // The longest outage speaks for all; readiness is DOWN until every topic has recovered.
        Optional<Map.Entry<String, Outage>> waiting = outages.entrySet().stream()
                .min(Comparator.comparing(entry -> entry.getValue().since()));
        if (waiting.isPresent()) {
            return HealthCheckResponse.named("consumer-progress")
                    .down()
                    .withData(
                            "waiting-out",
                            waiting.get().getKey() + ": "
                                    + waiting.get().getValue().failure())
                    .withData("waiting-topics", outages.size())
                    .withData(
                            "waiting-seconds",
                            Duration.between(waiting.get().getValue().since(), now)
                                    .toSeconds())
                    .withData("in-flight", working)
                    .build();
        }
        return HealthCheckResponse.named("consumer-progress")
                .status(!stalled)
                .withData("in-flight", working)
                .withData("max-lag", (long) lag)
                .withData("without-progress-seconds", stuck.toSeconds())
                .withData("stall-after-seconds", stallAfter.toSeconds())
                .build();
    }

    private double maxLag() {
        return metrics.find(LAG_METRIC).gauges().stream()
                .mapToDouble(Gauge::value)
                .filter(v -> !Double.isNaN(v))
                .max()
                .orElse(0);
    }
}
