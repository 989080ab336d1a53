package dev.arbor.bench.keyvalue;

import dev.arbor.bench.data.Scale;
import dev.arbor.bench.workload.Measurement;
import dev.arbor.bench.workload.Metric;
import dev.arbor.bench.workload.NotApplicable;
import dev.arbor.bench.workload.Status;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * K1 over one system: for each persistence mode a fresh store, then set, get and increment with one thread and
 * with {@value #THREADS}. Sets go to {@value #KEYS} keys, gets read keys that were set, increments spread over
 * {@value #COUNTERS} counters; at the end the counters must sum exactly to the increments done, so a store that
 * loses increments under contention fails rather than looking fast.
 */
public final class KeyValuePass {
    public static final int THREADS = 16;
    static final int KEYS = 1000;
    static final int COUNTERS = 16;

    /** Immediate: each write is committed before it returns. Lazy: writes are committed in the background. */
    public enum Mode {
        IMMEDIATE(List.of(Metric.K1_SET, Metric.K1_GET, Metric.K1_INCREMENT, Metric.K1_SET_C16, Metric.K1_GET_C16, Metric.K1_INCREMENT_C16)),
        LAZY(List.of(Metric.K1_LAZY_SET, Metric.K1_LAZY_GET, Metric.K1_LAZY_INCREMENT,
                Metric.K1_LAZY_SET_C16, Metric.K1_LAZY_GET_C16, Metric.K1_LAZY_INCREMENT_C16));

        /** set, get, increment with one thread, then the same with {@link #THREADS}. */
        final List<Metric> metrics;

        Mode(List<Metric> metrics) {
            this.metrics = metrics;
        }
    }

    /** Opens the system's store in {@code mode} on a fresh directory; throws {@link NotApplicable} for a mode it lacks. */
    public interface Opener {
        KeyValueTarget open(Mode mode, Path dir);
    }

    private final Opener opener;
    private final Scale scale;
    private final Path dir;

    public KeyValuePass(Opener opener, Scale scale, Path dir) {
        this.opener = opener;
        this.scale = scale;
        this.dir = dir;
    }

    public List<Measurement> run() throws Exception {
        List<Measurement> out = new ArrayList<>();
        for (Mode mode : Mode.values()) {
            Path modeDir = Files.createDirectories(dir.resolve(mode.name().toLowerCase(java.util.Locale.ROOT)));
            KeyValueTarget target;
            try {
                target = opener.open(mode, modeDir);
            } catch (NotApplicable e) {
                mode.metrics.forEach(m -> out.add(Measurement.missing(m, Status.NOT_APPLICABLE, e.getMessage())));
                continue;
            }
            try (target) {
                out.addAll(measure(mode, target));
            }
        }
        return out;
    }

    private List<Measurement> measure(Mode mode, KeyValueTarget kv) throws Exception {
        int writes = mode == Mode.IMMEDIATE ? scale.singleWrites() : scale.lazyWrites();
        int reads = scale.randomReads();
        int keysSet = Math.min(KEYS, writes);
        List<Measurement> out = new ArrayList<>();
        long increments = 0;
        for (int threads : new int[] {1, THREADS}) {
            int column = threads == 1 ? 0 : 3;
            out.add(timed(mode.metrics.get(column), threads, writes, i -> {
                kv.set("key-" + (i % KEYS), i);
                return true;
            }));
            out.add(timed(mode.metrics.get(column + 1), threads, reads, i -> kv.get("key-" + (i % keysSet)).isPresent()));
            out.add(timed(mode.metrics.get(column + 2), threads, writes, i -> kv.increment("counter-" + (i % COUNTERS)) > 0));
            increments += writes;
        }
        long sum = 0;
        for (int c = 0; c < COUNTERS; c++) {
            sum += kv.get("counter-" + c).orElse(0);
        }
        if (sum != increments) {
            throw new IllegalStateException(mode + ": the counters sum to " + sum + " after " + increments + " increments");
        }
        return out;
    }

    private interface Operation { boolean run(long i) throws Exception; }

    /** Runs {@code count} operations on {@code threads} threads, each taking the next index; counts those that returned true. */
    private static Measurement timed(Metric metric, int threads, int count, Operation op) throws Exception {
        AtomicLong next = new AtomicLong();
        AtomicLong succeeded = new AtomicLong();
        long start = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                running.add(pool.submit(() -> {
                    for (long i; (i = next.getAndIncrement()) < count; ) {
                        if (op.run(i)) {
                            succeeded.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return Measurement.ok(metric, count / seconds, succeeded.get());
    }
}
