package dev.arbor.engine.keyvalue;

import dev.arbor.Arbor;
import dev.arbor.ArborOptions;
import dev.arbor.options.KeyValueOptions;
import dev.arbor.api.Database;
import dev.arbor.api.keyvalue.KeyValuePersistence;
import dev.arbor.api.keyvalue.KeyValueStore;
import dev.arbor.api.keyvalue.Value;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Atomicity under contention, on RocksDB with relaxed durability (group commits, no fsync per test op). */
class KeyValueConcurrencyTest {
    private static final int THREADS = 8;

    @TempDir
    Path dir;

    static Stream<KeyValuePersistence> modes() {
        return Stream.of(KeyValuePersistence.IMMEDIATE, KeyValuePersistence.lazy(50, Duration.ofMillis(5)));
    }

    private Database open(KeyValuePersistence mode) {
        return Arbor.open(dir, "db", ArborOptions.DEFAULT.durability(ArborOptions.Durability.RELAXED)
                .keyValue(KeyValueOptions.DEFAULT.persistence(mode)));
    }

    private static <T> List<T> race(int threads, Callable<T> task) throws Exception {
        CyclicBarrier start = new CyclicBarrier(threads);
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<T>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return task.call();
                }));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get());
            }
            return results;
        }
    }

    @ParameterizedTest
    @MethodSource("modes")
    @Timeout(120)
    void incrementsFromManyThreadsSumExactlyAndSurviveReopening(KeyValuePersistence mode) throws Exception {
        int perThread = 500;
        try (Database db = open(mode)) {
            KeyValueStore kv = db.keyValue().orElseThrow();
            List<List<Long>> seen = race(THREADS, () -> {
                List<Long> mine = new ArrayList<>();
                for (int i = 0; i < perThread; i++) {
                    mine.add(kv.increment("hits", 1));
                    kv.increment("score", 0.5);
                }
                return mine;
            });
            assertEquals(Optional.of((long) THREADS * perThread), kv.get("hits", Long.class));
            assertEquals(Optional.of(THREADS * perThread * 0.5), kv.get("score", Double.class));
            long distinct = seen.stream().flatMap(List::stream).distinct().count();
            assertEquals((long) THREADS * perThread, distinct, "every increment returned a value no other one returned");
        }
        try (Database db = open(mode)) {
            assertEquals(Optional.of((long) THREADS * perThread), db.keyValue().orElseThrow().get("hits", Long.class));
        }
    }

    @ParameterizedTest
    @MethodSource("modes")
    @Timeout(120)
    void compareAndSwapRacesHaveExactlyOneWinner(KeyValuePersistence mode) throws Exception {
        try (Database db = open(mode)) {
            KeyValueStore kv = db.keyValue().orElseThrow();
            for (int round = 0; round < 50; round++) {
                String key = "leader-" + round;
                kv.set(key, "nobody");
                List<String> winners = race(THREADS, () -> {
                    String me = Thread.currentThread().getName();
                    return kv.compareAndSwap(key, Optional.of(Value.of("nobody")), Value.of(me)).swapped() ? me : null;
                }).stream().filter(w -> w != null).toList();
                assertEquals(1, winners.size(), "round " + round + ": " + winners);
                assertEquals(Optional.of(winners.getFirst()), kv.get(key, String.class));

                String lock = "lock-" + round;
                List<Boolean> locks = race(THREADS, () -> kv.compareAndSwap(lock, Optional.empty(), Value.of(1)).swapped());
                assertEquals(1, locks.stream().filter(b -> b).count(), "round " + round + ": one taker of a vacant key");
            }
        }
    }
}
