package io.imprint.pki.crl;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CrlScheduleTest {
    private static final Instant T0 = Instant.parse("2026-11-24T00:00:00Z");
    private static final Instant T24 = T0.plus(Duration.ofHours(24));
    private static final Duration RETRY = Duration.ofMinutes(5);

    @Test
    void dueWhenThereIsNoCrlYet() {
        assertTrue(CrlSchedule.due(T0, null, null, null, RETRY));
    }

    @Test
    void notDueBeforeHalfTheValidityHasPassed() {
        assertFalse(CrlSchedule.due(T0.plus(Duration.ofHours(11)), T0, T24, T0, RETRY));
    }

    @Test
    void dueFromHalfTheValidityOn() {
        assertTrue(CrlSchedule.due(T0.plus(Duration.ofHours(12)), T0, T24, T0, RETRY));
        assertTrue(CrlSchedule.due(T24.plusSeconds(1), T0, T24, T0, RETRY), "an expired CRL is due too");
    }

    @Test
    void notAskedAgainWhileARecentRequestIsOutstanding() {
        Instant now = T0.plus(Duration.ofHours(13));
        assertFalse(CrlSchedule.due(now, T0, T24, now.minus(Duration.ofMinutes(1)), RETRY));
        assertTrue(CrlSchedule.due(now, T0, T24, now.minus(Duration.ofMinutes(6)), RETRY));
        assertFalse(CrlSchedule.due(T0, null, null, T0.minusSeconds(10), RETRY));
    }
}
