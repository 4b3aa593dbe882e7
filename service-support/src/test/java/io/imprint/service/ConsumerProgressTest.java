package io.imprint.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

class ConsumerProgressTest {
    private static final Duration STALL = Duration.ofSeconds(60);
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final AtomicLong lag = new AtomicLong();
    private final MutableClock clock = new MutableClock();
    private final ConsumerProgress progress = new ConsumerProgress(metrics, STALL, clock);

    ConsumerProgressTest() {
        Gauge.builder("kafka.consumer.fetch.manager.records.lag.max", lag, AtomicLong::get)
                .register(metrics);
    }

    @Test
    void idleForHoursIsNotAStall() {
        clock.advance(Duration.ofHours(3));
        assertEquals(HealthCheckResponse.Status.UP, progress.check().getStatus());
        progress.started();
        assertEquals(HealthCheckResponse.Status.UP, progress.check().getStatus(), "work that just arrived");
    }

    @Test
    void recordInAHandlerWithNothingFinishedForLongerThanTheLimitIsAStall() {
        progress.started();
        clock.advance(STALL.plusSeconds(1));
        HealthCheckResponse stalled = progress.check();
        assertEquals(HealthCheckResponse.Status.DOWN, stalled.getStatus());
        assertEquals(61L, stalled.getData().orElseThrow().get("without-progress-seconds"));
        progress.finished();
        assertEquals(HealthCheckResponse.Status.UP, progress.check().getStatus());
    }

    @Test
    void anOutageBeingWaitedOutIsNotReadyAtOnceAndOnlyUntilItsTopicMovesAgain() {
        progress.started();
        progress.waitingOut("imprint.cert.issued.v1", new IllegalStateException("Connection refused\nat line 2"));
        HealthCheckResponse waiting = progress.check();
        assertEquals(HealthCheckResponse.Status.DOWN, waiting.getStatus());
        assertEquals(
                "imprint.cert.issued.v1: IllegalStateException: Connection refused",
                waiting.getData().orElseThrow().get("waiting-out"));
        progress.recovered("imprint.cert.revoked.v1");
        assertEquals(HealthCheckResponse.Status.DOWN, progress.check().getStatus(), "another topic moved");
        progress.recovered("imprint.cert.issued.v1");
        progress.finished();
        assertEquals(HealthCheckResponse.Status.UP, progress.check().getStatus());
    }

    @Test
    void twoTopicsWaitingOutStayNotReadyUntilBothMoveAgain() {
        progress.waitingOut("imprint.cert.issued.v1", new IllegalStateException("Connection refused"));
        progress.waitingOut("imprint.cert.revoked.v1", new IllegalStateException("Pool closed"));
        assertEquals(2L, progress.check().getData().orElseThrow().get("waiting-topics"));
        progress.recovered("imprint.cert.issued.v1");
        HealthCheckResponse still = progress.check();
        assertEquals(HealthCheckResponse.Status.DOWN, still.getStatus(), "cert.revoked still waits");
        assertEquals(
                "imprint.cert.revoked.v1: IllegalStateException: Pool closed",
                still.getData().orElseThrow().get("waiting-out"));
        progress.recovered("imprint.cert.revoked.v1");
        assertEquals(HealthCheckResponse.Status.UP, progress.check().getStatus());
    }

    @Test
    void steadyProgressUnderLoadIsNotAStall() {
        progress.started();
        for (int i = 0; i < 10; i++) {
            progress.started();
            clock.advance(Duration.ofSeconds(30));
            progress.finished();
            assertEquals(HealthCheckResponse.Status.UP, progress.check().getStatus());
        }
    }

    @Test
    void lagThatNobodyTakesForLongerThanTheLimitIsAStall() {
        clock.advance(Duration.ofHours(1));
        lag.set(500);
        assertEquals(HealthCheckResponse.Status.UP, progress.check().getStatus(), "lag first seen now");
        clock.advance(STALL.plusSeconds(1));
        assertEquals(HealthCheckResponse.Status.DOWN, progress.check().getStatus());
        lag.set(0);
        assertEquals(HealthCheckResponse.Status.UP, progress.check().getStatus());
    }

    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-11-29T00:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
