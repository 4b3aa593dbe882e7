package io.imprint.pki.warmup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.imprint.pki.issuance.CertificateProfile;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WarmUpTest {
    @Test
    void syntheticSubmissionsPassEveryCheckOfIntake() {
        // A round that refuses its synthetic submission throws: the warm-up would not be running the accepting path.
        WarmUp.Report report = new SubmissionWarmUp(Map.of(), Duration.ofMinutes(5)).run(40, Duration.ofMinutes(1));
        assertEquals(40, report.rounds());
    }

    @Test
    void syntheticSubmissionsOutsideTheClockSkewAreRefusedAndSaySo() throws Exception {
        SubmissionWarmUp late = new SubmissionWarmUp(Map.of(), Duration.ofMillis(1));
        Thread.sleep(20);
        IllegalStateException e = assertThrows(IllegalStateException.class, late::round);
        assertTrue(e.getMessage().contains("SUBMISSION_TIME_SKEW"), e.getMessage());
    }

    @Test
    void syntheticRequestsAreIssuedAndLintedUnderAProfile() {
        WarmUp.Report report = new IssuanceWarmUp(List.of(new CertificateProfile("idevid", null, null, null)))
                .run(40, Duration.ofMinutes(1));
        assertEquals(40, report.rounds());
    }

    @Test
    void stopsAtItsTimeBudget() {
        int[] rounds = {0};
        WarmUp.Report report = ((WarmUp) () -> rounds[0]++).run(Integer.MAX_VALUE, Duration.ofMillis(50));
        assertEquals(rounds[0], report.rounds());
        assertTrue(report.took().compareTo(Duration.ofMillis(50)) >= 0, report.toString());
        assertTrue(report.rounds() < Integer.MAX_VALUE);
    }
}
