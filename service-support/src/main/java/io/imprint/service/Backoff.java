package io.imprint.service;

import java.time.Duration;

/** How long a consumer waits before retrying a record: doubling from 200 ms, at most 10 s. */
public final class Backoff {
    public static final Duration FIRST = Duration.ofMillis(200);
    public static final Duration MAX = Duration.ofSeconds(10);

    private Backoff() {}

    /** The wait before retry number {@code attempt} (1 for the first retry). */
    public static Duration before(int attempt) {
        return Duration.ofMillis(Math.min(MAX.toMillis(), FIRST.toMillis() << Math.min(Math.max(attempt - 1, 0), 16)));
    }
}
