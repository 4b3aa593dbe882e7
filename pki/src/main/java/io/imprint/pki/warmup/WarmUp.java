package io.imprint.pki.warmup;

import java.time.Duration;

/**
 * Runs a service's hot path before its first request, so the JIT has compiled it: a JVM interprets a method
 * until it has run it many times, and a freshly started service answers its first burst of devices several
 * times slower than a warm one. Warm-ups work on throwaway software credentials made in memory for the purpose
 * (never on a key of the HSM) and throw away everything they produce.
 */
public interface WarmUp {
    /** One pass over the hot path; fails if the synthetic input is not handled as a genuine one would be. */
    void round();

    /** What was run, and how long. */
    record Report(int rounds, Duration took) {}

    /** Runs rounds until {@code rounds} ran or {@code budget} has passed, whichever is first. */
    default Report run(int rounds, Duration budget) {
        long start = System.nanoTime();
        long end = start + budget.toNanos();
        int ran = 0;
        while (ran < rounds && System.nanoTime() - end < 0) {
            round();
            ran++;
        }
        return new Report(ran, Duration.ofNanos(System.nanoTime() - start));
    }
}
