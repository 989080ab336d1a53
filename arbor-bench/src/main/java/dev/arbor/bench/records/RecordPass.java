package dev.arbor.bench.records;

import dev.arbor.bench.data.Scale;
import dev.arbor.bench.workload.Measurement;
import dev.arbor.bench.workload.Metric;

import java.util.List;
import java.util.SplittableRandom;

/**
 * C1 over one fresh {@link RecordStore}: the N records of the data set pushed in transactions of
 * {@value #TRANSACTION_SIZE}, the same N inserted under explicit ids in transactions of the same size, then N/50
 * of each one per call, then N/5 gets of explicitly inserted ids drawn at random (seeded, so every system reads the
 * same ids). Explicit ids start at {@value #FIRST_EXPLICIT_ID}, far above the ids a push assigns, so the two never
 * meet.
 */
public final class RecordPass {
    public static final int TRANSACTION_SIZE = 1000;
    static final long FIRST_EXPLICIT_ID = 1_000_000_000L;

    private final RecordStore store;
    private final List<BenchRecord> records;
    private final Scale scale;

    /** @param records the data set's docs as records, parsed before any clock starts */
    public RecordPass(RecordStore store, List<BenchRecord> records, Scale scale) {
        this.store = store;
        this.records = records;
        this.scale = scale;
    }

    public List<Measurement> run() {
        long start = System.nanoTime();
        long pushed = 0;
        for (int i = 0; i < records.size(); i += TRANSACTION_SIZE) {
            pushed += store.pushAll(records.subList(i, Math.min(records.size(), i + TRANSACTION_SIZE)));
        }
        double pushSeconds = seconds(start);

        start = System.nanoTime();
        long inserted = 0;
        for (int i = 0; i < records.size(); i += TRANSACTION_SIZE) {
            inserted += store.insertAll(FIRST_EXPLICIT_ID + i, records.subList(i, Math.min(records.size(), i + TRANSACTION_SIZE)));
        }
        double insertSeconds = seconds(start);

        int single = scale.singleWrites();
        start = System.nanoTime();
        for (int i = 0; i < single; i++) {
            store.push(records.get(i));
        }
        double pushOneSeconds = seconds(start);

        // Above every id so far, pushed ones included: SQLite pushes take the largest id + 1.
        long firstSingleId = 2 * FIRST_EXPLICIT_ID;
        start = System.nanoTime();
        for (int i = 0; i < single; i++) {
            store.insert(firstSingleId + i, records.get(i));
        }
        double insertOneSeconds = seconds(start);

        long[] ids = new SplittableRandom(20240601).longs(scale.randomReads(), FIRST_EXPLICIT_ID, FIRST_EXPLICIT_ID + records.size()).toArray();
        start = System.nanoTime();
        long found = 0;
        for (long id : ids) {
            found += store.get(id) ? 1 : 0;
        }
        double getSeconds = seconds(start);

        return List.of(Measurement.ok(Metric.C1_PUSH_BATCH, pushed / pushSeconds, pushed),
                Measurement.ok(Metric.C1_INSERT_BATCH, inserted / insertSeconds, inserted),
                Measurement.ok(Metric.C1_PUSH_ONE, single / pushOneSeconds, (long) single),
                Measurement.ok(Metric.C1_INSERT_ONE, single / insertOneSeconds, (long) single),
                Measurement.ok(Metric.C1_GET, ids.length / getSeconds, found));
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
