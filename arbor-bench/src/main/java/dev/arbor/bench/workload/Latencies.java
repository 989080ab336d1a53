package dev.arbor.bench.workload;

import java.util.Arrays;

/** Per-operation latencies of one timed section; each slot is written by one thread only. */
public final class Latencies {
    private final long[] nanos;

    public Latencies(int operations) {
        this.nanos = new long[operations];
    }

    public void record(int operation, long elapsedNanos) {
        nanos[operation] = elapsedNanos;
    }

    /** Nearest-rank percentile in milliseconds, {@code p} in (0, 100]. */
    public double percentileMillis(double p) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)] / 1e6;
    }
}
