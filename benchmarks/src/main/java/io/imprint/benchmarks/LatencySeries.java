package io.imprint.benchmarks;

import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * Publish-to-certificate latencies of one run: one HdrHistogram over the whole run and one per second, with
 * how many requests were sent and answered in each second. Latency is taken from when a request was due to be
 * sent, not when it was, so a load generator that falls behind cannot hide a slow system (coordinated omission).
 */
final class LatencySeries {
    private static final long MAX_MICROS = 600_000_000L;

    private final long startNanos;
    private final Histogram total = new Histogram(MAX_MICROS, 3);
    private final List<Histogram> perSecond = new ArrayList<>();
    private final List<long[]> sentAnswered = new ArrayList<>();
    private long rejected;

    LatencySeries(long startNanos) {
        this.startNanos = startNanos;
    }

    synchronized void sent(long atNanos) {
        counts(second(atNanos))[0]++;
    }

    synchronized void answered(long dueNanos, long atNanos, boolean issued) {
        if (!issued) {
            rejected++;
        }
        long micros = Math.min(MAX_MICROS, Math.max(0, (atNanos - dueNanos) / 1000));
        total.recordValue(micros);
        int second = second(atNanos);
        counts(second)[1]++;
        while (perSecond.size() <= second) {
            perSecond.add(new Histogram(MAX_MICROS, 2));
        }
        perSecond.get(second).recordValue(micros);
    }

    synchronized long answered() {
        return total.getTotalCount();
    }

    synchronized long rejected() {
        return rejected;
    }

    /** Latency at {@code percentile} over the run, in milliseconds. */
    synchronized double percentileMillis(double percentile) {
        return total.getValueAtPercentile(percentile) / 1000.0;
    }

    synchronized int seconds() {
        return sentAnswered.size();
    }

    synchronized long sentIn(int second) {
        return second < sentAnswered.size() ? sentAnswered.get(second)[0] : 0;
    }

    synchronized long answeredIn(int second) {
        return second < sentAnswered.size() ? sentAnswered.get(second)[1] : 0;
    }

    /** Latency at {@code percentile} of the answers in one second, in milliseconds; -1 when there were none. */
    synchronized double percentileMillisIn(int second, double percentile) {
        if (second >= perSecond.size() || perSecond.get(second).getTotalCount() == 0) {
            return -1;
        }
        return perSecond.get(second).getValueAtPercentile(percentile) / 1000.0;
    }

    private int second(long atNanos) {
        return (int) Math.max(0, (atNanos - startNanos) / 1_000_000_000L);
    }

    private long[] counts(int second) {
        while (sentAnswered.size() <= second) {
            sentAnswered.add(new long[2]);
        }
        return sentAnswered.get(second);
    }
}
