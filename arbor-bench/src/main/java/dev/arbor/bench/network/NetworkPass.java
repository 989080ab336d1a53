package dev.arbor.bench.network;

import dev.arbor.bench.data.WorkloadData;
import dev.arbor.bench.workload.Measurement;
import dev.arbor.bench.workload.Metric;
import dev.arbor.bench.workload.NotApplicable;
import dev.arbor.bench.workload.Status;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * N1 over one {@link NetworkClient}: {@value #THREADS} threads share the client's one connection (so up to
 * {@value #THREADS} requests are in flight on it, which is also Arbor's server's default
 * {@code client_simultaneous_request_limit}), each taking the next operation when its last one is answered. The same
 * threads publish to the subscribers. Both systems run exactly this code; only the client differs.
 *
 * <p>Pub/sub is timed from the first publish until every subscriber has received every message: subscribers hold
 * as many messages as are published, so none may be dropped, and one that is missing a message after
 * {@link #DELIVERY_TIMEOUT_S} seconds makes the figure's count short, which the harness reports as failed.
 */
public final class NetworkPass {
    public static final int THREADS = 16;
    static final int KEYS = 1000;
    static final int VALUE_BYTES = 100;
    static final int DELIVERY_TIMEOUT_S = 120;
    private static final String TOPIC = "n1";

    private final NetworkClient client;
    private final WorkloadData data;

    public NetworkPass(NetworkClient client, WorkloadData data) {
        this.client = client;
        this.data = data;
    }

    /** Every N1 figure of this pass, on a fresh database or keyspace named {@code pass}. */
    public List<Measurement> run(String pass) throws Exception {
        int n = data.scale().docs();
        client.reset(pass);
        byte[] value = new byte[VALUE_BYTES];
        Arrays.fill(value, (byte) 'v');
        List<Measurement> out = new ArrayList<>();
        out.add(timed(Metric.N1_KV_SET, n, i -> {
            client.set("key-" + (i % KEYS), value);
            return true;
        }));
        out.add(timed(Metric.N1_KV_GET, n, i -> client.get("key-" + (i % KEYS))));
        out.add(fanOut(Metric.N1_PUBSUB_ONE, 1, n));
        out.add(fanOut(Metric.N1_PUBSUB_HUNDRED, 100, n / 10));
        client.loadDocs(data.docs());
        List<String> ids = data.w3Ids();
        out.add(timed(Metric.N1_DOC_GET, ids.size(), i -> client.getDoc(ids.get((int) i))));
        try {
            out.add(timed(Metric.N1_DOC_GET_HTTP, ids.size(), i -> client.getDocOverHttp(ids.get((int) i))));
        } catch (NotApplicable e) {
            out.add(Measurement.missing(Metric.N1_DOC_GET_HTTP, Status.NOT_APPLICABLE, e.getMessage()));
        }
        return out;
    }

    private interface Operation { boolean run(long i) throws Exception; }

    /** Runs {@code count} operations on {@link #THREADS} threads; counts those that returned true. */
    private static Measurement timed(Metric metric, int count, Operation op) throws Exception {
        AtomicLong next = new AtomicLong();
        AtomicLong succeeded = new AtomicLong();
        long start = System.nanoTime();
        runOnThreads(count, next, i -> {
            if (op.run(i)) {
                succeeded.incrementAndGet();
            }
        });
        double seconds = (System.nanoTime() - start) / 1e9;
        return Measurement.ok(metric, count / seconds, succeeded.get());
    }

    private interface Step { void run(long i) throws Exception; }

    private static void runOnThreads(int count, AtomicLong next, Step step) throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(THREADS)) {
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                running.add(pool.submit(() -> {
                    for (long i; (i = next.getAndIncrement()) < count; ) {
                        step.run(i);
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    // As the operation threw it: NotApplicable stays itself, so the pass reports n/a, not a failure.
                    if (e.getCause() instanceof RuntimeException runtime) {
                        throw runtime;
                    }
                    throw e;
                }
            }
        }
    }

    /**
     * {@code messages} published to {@code subscriberCount} subscribers; the rate is deliveries (messages received by
     * all of them together) per second, and the count is those deliveries.
     */
    private Measurement fanOut(Metric metric, int subscriberCount, int messages) throws Exception {
        String topic = TOPIC + "-" + subscriberCount;
        AtomicLong delivered = new AtomicLong();
        CountDownLatch everyone = new CountDownLatch(subscriberCount);
        List<NetworkClient.Subscription> subscriptions = new ArrayList<>();
        try {
            for (int s = 0; s < subscriberCount; s++) {
                // Each subscriber's count is touched by its own receiving thread only (a virtual thread for Arbor's,
                // Lettuce's event loop for Redis's); the shared total is atomic.
                AtomicLong mine = new AtomicLong();
                subscriptions.add(client.subscribe(topic, messages, () -> {
                    delivered.incrementAndGet();
                    if (mine.incrementAndGet() == messages) {
                        everyone.countDown();
                    }
                }));
            }
            long start = System.nanoTime();
            runOnThreads(messages, new AtomicLong(), i -> client.publish(topic, "message-" + i));
            everyone.await(DELIVERY_TIMEOUT_S, TimeUnit.SECONDS);
            double seconds = (System.nanoTime() - start) / 1e9;
            long deliveries = delivered.get();
            return Measurement.ok(metric, deliveries / seconds, deliveries);
        } finally {
            subscriptions.forEach(NetworkClient.Subscription::close);
        }
    }
}
