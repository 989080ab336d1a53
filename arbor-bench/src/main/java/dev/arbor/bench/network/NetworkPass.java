package dev.arbor.bench.network;

import dev.arbor.bench.data.Scale;
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
    private final long serverPid;

    /** {@code serverPid}: the server's process, whose CPU clock each figure reads beside the client's own. */
    public NetworkPass(NetworkClient client, WorkloadData data, long serverPid) {
        this.client = client;
        this.data = data;
        this.serverPid = serverPid;
    }

    /** Every N1 figure of this pass, on a fresh database or keyspace named {@code pass}. */
    public List<Measurement> run(String pass) throws Exception {
        int operations = operations(data.scale());
        client.reset(pass);
        byte[] value = new byte[VALUE_BYTES];
        Arrays.fill(value, (byte) 'v');
        List<Measurement> out = new ArrayList<>();
        costed(out, Metric.N1_KV_SET_SERVER_CPU, Metric.N1_KV_SET_CLIENT_CPU, () -> timed(Metric.N1_KV_SET, operations, i -> {
            client.set("key-" + (i % KEYS), value);
            return true;
        }));
        costed(out, Metric.N1_KV_GET_SERVER_CPU, Metric.N1_KV_GET_CLIENT_CPU,
                () -> timed(Metric.N1_KV_GET, operations, i -> client.get("key-" + (i % KEYS))));
        costed(out, Metric.N1_PUBSUB_ONE_SERVER_CPU, Metric.N1_PUBSUB_ONE_CLIENT_CPU,
                () -> fanOut(Metric.N1_PUBSUB_ONE, 1, operations));
        costed(out, Metric.N1_PUBSUB_HUNDRED_SERVER_CPU, Metric.N1_PUBSUB_HUNDRED_CLIENT_CPU,
                () -> fanOut(Metric.N1_PUBSUB_HUNDRED, 100, hundredSubscriberMessages(data.scale())));
        client.loadDocs(data.docs());
        List<String> ids = data.w3Ids();
        costed(out, Metric.N1_DOC_GET_SERVER_CPU, Metric.N1_DOC_GET_CLIENT_CPU,
                () -> timed(Metric.N1_DOC_GET, ids.size(), i -> client.getDoc(ids.get((int) i))));
        try {
            costed(out, Metric.N1_DOC_GET_HTTP_SERVER_CPU, Metric.N1_DOC_GET_HTTP_CLIENT_CPU,
                    () -> timed(Metric.N1_DOC_GET_HTTP, ids.size(), i -> client.getDocOverHttp(ids.get((int) i))));
        } catch (NotApplicable e) {
            for (Metric m : List.of(Metric.N1_DOC_GET_HTTP, Metric.N1_DOC_GET_HTTP_SERVER_CPU, Metric.N1_DOC_GET_HTTP_CLIENT_CPU)) {
                out.add(Measurement.missing(m, Status.NOT_APPLICABLE, e.getMessage()));
            }
        }
        liveQueryLatency(out, liveQueryWrites(data.scale()));
        return out;
    }

    /** Writes timed to their live-query delta: N/100 (1,000 at N = 100,000), after a tenth as many untimed. */
    public static int liveQueryWrites(Scale scale) {
        return Math.max(20, scale.docs() / 100);
    }

    private void liveQueryLatency(List<Measurement> out, int writes) throws InterruptedException {
        long[] delays;
        try {
            delays = client.liveQueryDelays(writes / 10, writes);
        } catch (NotApplicable e) {
            out.add(Measurement.missing(Metric.N1_LIVE_P50, Status.NOT_APPLICABLE, e.getMessage()));
            out.add(Measurement.missing(Metric.N1_LIVE_P99, Status.NOT_APPLICABLE, e.getMessage()));
            return;
        }
        long[] sorted = delays.clone();
        Arrays.sort(sorted);
        out.add(Measurement.ok(Metric.N1_LIVE_P50, sorted[sorted.length / 2] / 1e6, (long) sorted.length));
        out.add(Measurement.ok(Metric.N1_LIVE_P99, sorted[(int) Math.ceil(sorted.length * 0.99) - 1] / 1e6, null));
    }

    /**
     * Key-value sets, gets and messages to one subscriber: N/5 each (20,000 at N = 100,000, a few seconds each; 2,000 in
     * the quick smoke run, which must stay short).
     */
    public static int operations(Scale scale) {
        return scale.docs() / 5;
    }

    /** Messages to 100 subscribers: N/50, so 2N deliveries. */
    public static int hundredSubscriberMessages(Scale scale) {
        return scale.docs() / 50;
    }

    private interface Phase { Measurement run() throws Exception; }

    /**
     * Runs a phase and adds its figure, then the CPU the server's process and this client's spent during it, in
     * microseconds per operation counted (the processes' CPU clocks tick in 10 ms, so a phase of a few seconds
     * reads to within a few per cent).
     */
    private void costed(List<Measurement> out, Metric serverCpu, Metric clientCpu, Phase phase) throws Exception {
        long server = cpuNanos(serverPid);
        long self = cpuNanos(ProcessHandle.current().pid());
        Measurement m = phase.run();
        long serverSpent = cpuNanos(serverPid) - server;
        long selfSpent = cpuNanos(ProcessHandle.current().pid()) - self;
        out.add(m);
        long operations = m.count() == null ? 0 : m.count();
        if (operations == 0 || server < 0 || self < 0) {
            out.add(Measurement.missing(serverCpu, Status.FAILED, "no CPU clock or no operations"));
            out.add(Measurement.missing(clientCpu, Status.FAILED, "no CPU clock or no operations"));
            return;
        }
        out.add(Measurement.ok(serverCpu, serverSpent / 1e3 / operations, null));
        out.add(Measurement.ok(clientCpu, selfSpent / 1e3 / operations, null));
    }

    private static long cpuNanos(long pid) {
        return ProcessHandle.of(pid).flatMap(h -> h.info().totalCpuDuration()).map(java.time.Duration::toNanos).orElse(-1L);
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
