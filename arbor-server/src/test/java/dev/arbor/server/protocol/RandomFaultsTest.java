package dev.arbor.server.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.Database;
import dev.arbor.api.DocResult;
import dev.arbor.api.find.FindRequest;
import dev.arbor.api.keyvalue.KeyValueStore;
import dev.arbor.api.live.LiveEnd;
import dev.arbor.api.live.LiveEvent;
import dev.arbor.api.live.LiveQuery;
import dev.arbor.api.live.LiveSpec;
import dev.arbor.api.pubsub.Message;
import dev.arbor.api.pubsub.PubSub;
import dev.arbor.api.pubsub.Subscriber;
import dev.arbor.client.protocol.ProtocolStorage;
import dev.arbor.client.protocol.Reconnect;
import dev.arbor.client.protocol.ReconnectingConnection;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import dev.arbor.server.reliability.FaultyProxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A randomized fault run: client threads write through one reconnecting {@code ws://} client while a proxy between it
 * and a real server delays, truncates (mid-frame) and resets traffic both ways and drops new connections, all drawn
 * from one seed ({@code -Darbor.faults.seed=N} replays a run; every assertion message names it). Afterwards the
 * server's storage, read in process, must show that no acknowledged write was lost, that every write whose outcome the
 * client reported unknown was applied once or not at all, that no request was answered twice (the client ends a
 * connection on a second answer and counts it), and that a subscriber and a live query opened before the faults still
 * work after them.
 */
class RandomFaultsTest {
    @RegisterExtension
    static final SecuredLoopbackServer server = new SecuredLoopbackServer();

    private static final long SEED = Long.getLong("arbor.faults.seed", 20_260_417L);
    private static final int THREADS = 4;
    private static final int WRITES_PER_THREAD = 150;
    /** Per chunk of bytes either way, and per new connection. */
    private static final double FAULT_RATE = 0.03;
    private static final int MAX_DELAY_MILLIS = 25;
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Reconnect FAST = new Reconnect(true, Duration.ofMillis(10), Duration.ofMillis(100));

    /** Every document the run writes (beyond CouchDB's default limit of 25), in the live query and the fresh one. */
    private static final FindRequest EVERY_DOC = FindRequest.of(Json.parse("{\"type\":\"doc\"}")).limit(5_000);

    /** What a client thread was told about each write it made. */
    enum Outcome { ACKNOWLEDGED, UNKNOWN }

    /** A write and what its caller was told; {@code key} is the kv key or document id it wrote. */
    record Write(String kind, String key, long value, Outcome outcome) {}

    @Test
    void noAcknowledgedWriteIsLostNoneIsAppliedTwiceNoAnswerComesTwiceAndSubscriptionsSurvive() throws Exception {
        String db = "faults";
        server.storage().createDatabase(db);
        Database local = server.storage().database(db);
        String seed = "seed " + SEED + " (-Darbor.faults.seed=" + SEED + ")";
        try (FaultyProxy proxy = new FaultyProxy(server.port(), FAULT_RATE, MAX_DELAY_MILLIS, SEED).faultRequests()) {
            proxy.faulty(false);
            ReconnectingConnection connection = ReconnectingConnection.open(URI.create("ws://" + SecuredLoopbackServer.ADMIN
                    + ":" + SecuredLoopbackServer.ADMIN_PASSWORD + "@127.0.0.1:" + proxy.port()), TIMEOUT, FAST);
            try (ProtocolStorage remote = new ProtocolStorage(connection);
                 Subscriber subscriber = remote.database(db).pubSub().orElseThrow().createSubscriber();
                 LiveQuery query = remote.database(db).liveQueries().orElseThrow().subscribe(
                         new LiveSpec.Find(EVERY_DOC))) {
                subscriber.subscribeTo("after-the-faults");
                Database through = remote.database(db);

                proxy.faulty(true);
                long start = System.nanoTime();
                List<Write> writes = new ArrayList<>();
                try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
                    List<Future<List<Write>>> threads = new ArrayList<>();
                    for (int t = 0; t < THREADS; t++) {
                        int thread = t;
                        threads.add(pool.submit(() -> writeAtRandom(through, thread, new Random(SEED * 31 + thread))));
                    }
                    for (Future<List<Write>> thread : threads) {
                        writes.addAll(thread.get(120, TimeUnit.SECONDS));
                    }
                }
                proxy.faulty(false);
                long millis = (System.nanoTime() - start) / 1_000_000;
                long unknown = writes.stream().filter(w -> w.outcome() == Outcome.UNKNOWN).count();
                System.out.printf("random faults, %s: %d writes in %d ms, %d outcome unknown; proxy: %d delays,"
                                + " %d truncations, %d resets, %d dropped connections; unknown because %s%n", seed,
                        writes.size(), millis, unknown,
                        proxy.count(FaultyProxy.Fate.DELAY), proxy.count(FaultyProxy.Fate.TRUNCATE),
                        proxy.count(FaultyProxy.Fate.RESET), proxy.count(FaultyProxy.Fate.DROP), UNKNOWN_BECAUSE);
                assertTrue(proxy.count(FaultyProxy.Fate.TRUNCATE) + proxy.count(FaultyProxy.Fate.RESET) > 0,
                        "the run cut connections at all, " + seed);

                assertNoAcknowledgedWriteLostAndNoneAppliedTwice(local, writes, seed);
                assertEquals(0, connection.protocolErrors(), "no request was answered twice, " + seed);

                assertSubscriberAlive(subscriber, server.storage().database(db).pubSub().orElseThrow(), seed);
                assertLiveQueryEqualsAFreshQuery(query, local, seed);
                assertFalse(connection.isClosed(), "the client is still connected, " + seed);
            }
        }
    }

    /**
     * Each thread writes its own keys and documents, so the expected state is a function of the outcomes alone: a kv
     * set of a fresh key, an increment of the thread's counter, a put of a fresh document, a bulkDocs of two; and reads
     * back the last value it set.
     */
    private static List<Write> writeAtRandom(Database db, int thread, Random random) {
        KeyValueStore kv = db.keyValue().orElseThrow();
        List<Write> writes = new ArrayList<>();
        for (int w = 0; w < WRITES_PER_THREAD; w++) {
            int i = w;
            String key = "t" + thread + "-" + i;
            switch (random.nextInt(5)) {
                case 0 -> writes.add(attempt("set", "set-" + key, i, () -> kv.set("set-" + key, (long) i)));
                case 4 -> readBack(kv, writes);
                case 1 -> writes.add(attempt("increment", "counter-" + thread, 1, () -> kv.increment("counter-" + thread, 1)));
                case 2 -> writes.add(attempt("put", "doc-" + key, i, () -> db.put(doc("doc-" + key, i))));
                default -> {
                    Outcome outcome = outcome(() -> {
                        List<DocResult> results = db.bulkDocs(List.of(doc("bulk-" + key + "-a", i), doc("bulk-" + key + "-b", i)));
                        if (!results.stream().allMatch(r -> r instanceof DocResult.Ok)) {
                            throw new AssertionError("a bulkDocs of fresh ids failed: " + results);
                        }
                    });
                    writes.add(new Write("put", "bulk-" + key + "-a", i, outcome));
                    writes.add(new Write("put", "bulk-" + key + "-b", i, outcome));
                }
            }
        }
        return writes;
    }

    /**
     * Reads an acknowledged set back: a read is sent again after a loss, and what it returns, on whichever connection,
     * is the value set (a read that fails twice over is "unknown" and says nothing).
     */
    private static void readBack(KeyValueStore kv, List<Write> writes) {
        List<Write> acknowledged = writes.stream()
                .filter(w -> w.kind().equals("set") && w.outcome() == Outcome.ACKNOWLEDGED).toList();
        if (acknowledged.isEmpty()) {
            return;
        }
        Write set = acknowledged.getLast();
        Optional<Long> read;
        try {
            read = kv.get(set.key()).map(v -> v.asLong());
        } catch (ArborException.Internal lost) {
            return;
        }
        if (!read.equals(Optional.of(set.value()))) {
            throw new AssertionError("reading back " + set.key() + " gave " + read + ", not " + set.value());
        }
    }

    private static Write attempt(String kind, String key, long value, Runnable write) {
        return new Write(kind, key, value, outcome(write));
    }

    /**
     * Acknowledged if it returned; unknown if the client could not say (the connection was lost after sending, no
     * answer in time, or no connection came back in time: that last one was never sent, which "unknown" covers too).
     * Any other failure is a bug the run reports.
     */
    private static Outcome outcome(Runnable write) {
        try {
            write.run();
            return Outcome.ACKNOWLEDGED;
        } catch (ArborException.Internal lost) {
            UNKNOWN_BECAUSE.merge(cause(lost.reason()), 1, Integer::sum);
            return Outcome.UNKNOWN;
        }
    }

    /** Why outcomes were unknown, by the start of the client's reason, for the run's summary. */
    private static final java.util.Map<String, Integer> UNKNOWN_BECAUSE = new ConcurrentHashMap<>();

    private static String cause(String reason) {
        for (String known : List.of("its outcome is unknown", "no answer to", "no connection to")) {
            if (reason.contains(known)) {
                return known;
            }
        }
        return reason;
    }

    private static ObjectNode doc(String id, long n) {
        ObjectNode doc = Json.object().put("_id", id).put("type", "doc").put("n", n);
        return doc;
    }

    private static void assertNoAcknowledgedWriteLostAndNoneAppliedTwice(Database local, List<Write> writes, String seed) {
        KeyValueStore kv = local.keyValue().orElseThrow();
        java.util.Map<String, long[]> counters = new ConcurrentHashMap<>(); // key -> {acknowledged, unknown}
        for (Write write : writes) {
            switch (write.kind()) {
                case "set" -> {
                    Optional<Long> stored = kv.get(write.key()).map(v -> v.asLong());
                    if (write.outcome() == Outcome.ACKNOWLEDGED) {
                        assertEquals(Optional.of(write.value()), stored, "acknowledged set of " + write.key() + ", " + seed);
                    } else {
                        assertTrue(stored.isEmpty() || stored.get() == write.value(), "unknown set of " + write.key() + ", " + seed);
                    }
                }
                case "increment" -> counters.computeIfAbsent(write.key(), k -> new long[2])
                        [write.outcome() == Outcome.ACKNOWLEDGED ? 0 : 1]++;
                case "put" -> {
                    Optional<ObjectNode> stored = find(local, write.key());
                    if (write.outcome() == Outcome.ACKNOWLEDGED) {
                        assertTrue(stored.isPresent(), "acknowledged put of " + write.key() + " is on the server, " + seed);
                    }
                    stored.ifPresent(doc -> {
                        assertEquals(write.value(), doc.path("n").asLong(), write.key() + ", " + seed);
                        assertTrue(doc.path("_rev").asText().startsWith("1-"),
                                write.key() + " was written once, not updated: " + doc.path("_rev") + ", " + seed);
                    });
                }
                default -> fail("unknown write kind " + write.kind());
            }
        }
        counters.forEach((key, counts) -> {
            long value = kv.get(key).map(v -> v.asLong()).orElse(0L);
            assertTrue(value >= counts[0] && value <= counts[0] + counts[1], key + " is " + value + ": "
                    + counts[0] + " acknowledged increments plus some of " + counts[1] + " unknown ones, " + seed);
        });
    }

    private static Optional<ObjectNode> find(Database local, String id) {
        try {
            return Optional.of(local.get(id));
        } catch (ArborException.NotFound absent) {
            return Optional.empty();
        }
    }

    /** Publishes until a message arrives: what is published before its resubscription reaches the server is lost. */
    private static void assertSubscriberAlive(Subscriber subscriber, PubSub local, String seed) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        Optional<Message> received = Optional.empty();
        int reached = 0;
        while (received.isEmpty() && System.nanoTime() < deadline) {
            reached = local.publish("after-the-faults", "still there?");
            received = subscriber.receive(Duration.ofMillis(100));
        }
        assertTrue(received.isPresent(), "the subscriber opened before the faults receives after them (the last"
                + " message published reached " + reached + " subscribers on the server), " + seed);
        assertEquals("still there?", received.get().payload(String.class));
    }

    /** A write after the faults, then updates until the query shows what a fresh query finds. */
    private static void assertLiveQueryEqualsAFreshQuery(LiveQuery query, Database local, String seed) throws InterruptedException {
        local.put(doc("after-the-faults", 0));
        FindRequest request = EVERY_DOC;
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        List<String> fresh = local.find(request).docs().stream().map(d -> d.path("_id").asText() + " " + d.path("_rev").asText()).toList();
        while (!shown(query).equals(fresh) && System.nanoTime() < deadline) {
            Optional<LiveEvent> event = query.next(Duration.ofMillis(100));
            if (event.isPresent() && event.get() instanceof LiveEnd end) {
                fail("the live query ended instead of surviving the faults: " + end + ", " + seed);
            }
        }
        assertEquals(fresh, shown(query), "the live query's result equals a fresh query, " + seed);
    }

    private static List<String> shown(LiveQuery query) {
        return query.result().rows().stream().map(row -> row.id() + " " + row.version()).toList();
    }
}
