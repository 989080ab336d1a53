package dev.arbor.examples;

import dev.arbor.Arbor;
import dev.arbor.ArborOptions;
import dev.arbor.options.KeyValueOptions;
import dev.arbor.api.Database;
import dev.arbor.api.Storage;
import dev.arbor.api.keyvalue.KeyValuePersistence;
import dev.arbor.api.keyvalue.KeyValueStore;
import dev.arbor.api.pubsub.PubSub;
import dev.arbor.api.pubsub.Subscriber;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * Throughput of the key-value store (set, get, increment; immediate and lazy persistence, on RocksDB
 * with durable commits) and of pub/sub (messages delivered per second to 1 and to 100 subscribers).
 * Each figure is operations completed in a fixed time after a warm-up; printed as a Markdown table.
 */
public final class KeyValueBenchmark implements Example {
    private static final Duration WARM_UP = Duration.ofMillis(500);
    private static final Duration MEASURE = Duration.ofSeconds(3);

    @Override
    public void run(Path dataDir) throws Exception {
        System.out.println("| operation | persistence | threads | ops/s |");
        System.out.println("|---|---|---|---|");
        List<KeyValuePersistence> modes = List.of(KeyValuePersistence.IMMEDIATE, KeyValuePersistence.lazy(1000, Duration.ofMillis(100)));
        for (KeyValuePersistence mode : modes) {
            String name = mode instanceof KeyValuePersistence.Lazy lazy
                    ? "lazy (" + lazy.maxChanges() + " changes / " + lazy.maxDelay().toMillis() + " ms)" : "immediate";
            Path dir = dataDir.resolve(mode instanceof KeyValuePersistence.Lazy ? "lazy" : "immediate");
            try (Database db = Arbor.open(dir, "bench", ArborOptions.DEFAULT.keyValue(KeyValueOptions.DEFAULT.persistence(mode)))) {
                KeyValueStore kv = db.keyValue().orElseThrow();
                for (int threads : new int[] {1, 8}) {
                    row("set", name, threads, rate(threads, i -> kv.set("key-" + (i % 10_000), i)));
                    row("get", name, threads, rate(threads, i -> kv.get("key-" + (i % 10_000))));
                    row("increment", name, threads, rate(threads, i -> kv.increment("counter-" + (i % 16), 1)));
                }
            }
        }
        System.out.println();
        System.out.println("| pub/sub | subscribers | messages published/s | deliveries/s |");
        System.out.println("|---|---|---|---|");
        for (int subscribers : new int[] {1, 100}) {
            pubSub(subscribers);
        }
    }

    private static void row(String op, String persistence, int threads, double opsPerSecond) {
        System.out.printf(Locale.ROOT, "| %s | %s | %d | %,.0f |%n", op, persistence, threads, opsPerSecond);
    }

    /** Operations per second of {@code op} run by {@code threads} threads for {@link #MEASURE}, after {@link #WARM_UP}. */
    private static double rate(int threads, LongConsumer op) throws Exception {
        runFor(threads, WARM_UP, op);
        long start = System.nanoTime();
        long done = runFor(threads, MEASURE, op);
        return done / ((System.nanoTime() - start) / 1e9);
    }

    private static long runFor(int threads, Duration duration, LongConsumer op) throws Exception {
        long end = System.nanoTime() + duration.toNanos();
        AtomicLong next = new AtomicLong();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<Long>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    long n = 0;
                    while (System.nanoTime() < end) {
                        op.accept(next.getAndIncrement());
                        n++;
                    }
                    return n;
                }));
            }
            long total = 0;
            for (Future<Long> f : futures) {
                total += f.get();
            }
            return total;
        }
    }

    /**
     * One publisher thread; each subscriber drains its queue on its own thread. Deliveries counted as received. The
     * pub/sub is a storage's, reached through the public API as an application reaches it; pub/sub keeps nothing on
     * disk, so an in-memory storage measures the same thing.
     */
    private static void pubSub(int subscriberCount) throws Exception {
        try (Storage storage = Arbor.inMemoryStorage()) {
            pubSub(storage.pubSub().orElseThrow(), subscriberCount);
        }
    }

    private static void pubSub(PubSub pubsub, int subscriberCount) throws Exception {
        List<Subscriber> subscribers = new ArrayList<>();
        AtomicLong received = new AtomicLong();
        List<Thread> readers = new ArrayList<>();
        for (int i = 0; i < subscriberCount; i++) {
            Subscriber s = pubsub.createSubscriber(4096);
            s.subscribeTo("bench");
            subscribers.add(s);
            readers.add(Thread.ofPlatform().daemon().start(() -> {
                try {
                    while (s.receive().isPresent()) {
                        received.incrementAndGet();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        record Payload(long seq, String text) {}
        long warmEnd = System.nanoTime() + WARM_UP.toNanos();
        for (long i = 0; System.nanoTime() < warmEnd; i++) {
            pubsub.publish("bench", new Payload(i, "hello"));
        }
        long receivedBefore = received.get();
        long start = System.nanoTime();
        long end = start + MEASURE.toNanos();
        long published = 0;
        while (System.nanoTime() < end) {
            pubsub.publish("bench", new Payload(published++, "hello"));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long deliveries = received.get() - receivedBefore;
        long dropped = subscribers.stream().mapToLong(Subscriber::droppedCount).sum();
        subscribers.forEach(Subscriber::close);
        for (Thread t : readers) {
            t.join();
        }
        System.out.printf(Locale.ROOT, "| publish | %d | %,.0f | %,.0f (dropped in all: %,d) |%n",
                subscriberCount, published / seconds, deliveries / seconds, dropped);
    }
}
