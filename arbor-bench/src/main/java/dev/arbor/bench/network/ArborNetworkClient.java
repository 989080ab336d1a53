package dev.arbor.bench.network;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.Arbor;
import dev.arbor.api.Database;
import dev.arbor.api.DocResult;
import dev.arbor.api.Storage;
import dev.arbor.api.find.FindRequest;
import dev.arbor.api.keyvalue.KeyValueStore;
import dev.arbor.api.keyvalue.SetOptions;
import dev.arbor.api.keyvalue.Value;
import dev.arbor.api.live.LiveEvent;
import dev.arbor.api.live.LiveQuery;
import dev.arbor.api.live.LiveSpec;
import dev.arbor.api.live.LiveUpdate;
import dev.arbor.api.pubsub.PubSub;
import dev.arbor.api.pubsub.Subscriber;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Arbor's server through the networked Java API: {@code Arbor.storage("ws://...")} (one WebSocket, requests from every
 * thread in flight on it at once), each subscriber on a storage of its own, and the same database through the
 * {@code http://} client for the HTTP yardstick (the JDK's HttpClient, which opens a connection per concurrent request).
 *
 * <p>Threads: {@link #reset} and {@link #loadDocs} run before the timed phases, on the pass's thread; the phases' threads
 * only read the fields it set, after it (the pool that runs them is started afterwards, which publishes them).
 */
public final class ArborNetworkClient implements NetworkClient {
    private final URI server;
    private final String user;
    private final String password;
    private final Storage storage;
    private String dbName;
    private Database db;
    private KeyValueStore kv;
    private PubSub pubSub;
    private Database overHttp;

    /** {@code server}: the server's http:// root; the client logs in as {@code user} on both APIs. */
    public ArborNetworkClient(URI server, String user, String password) {
        this.server = server;
        this.user = user;
        this.password = password;
        this.storage = Arbor.storage(location("ws", ""));
    }

    private String location(String scheme, String path) {
        return scheme + "://" + user + ":" + password + "@" + server.getHost() + ":" + server.getPort() + "/" + path;
    }

    @Override
    public void reset(String pass) {
        String name = "n1-" + pass;
        dbName = name;
        if (storage.exists(name)) {
            storage.deleteDatabase(name);
        }
        db = storage.createDatabase(name);
        kv = db.keyValue().orElseThrow(() -> new IllegalStateException("no key-value store over ws://"));
        pubSub = db.pubSub().orElseThrow(() -> new IllegalStateException("no pub/sub over ws://"));
        if (overHttp != null) {
            overHttp.close();
        }
        overHttp = Arbor.open(location("http", name));
    }

    @Override
    public void set(String key, byte[] value) {
        kv.set(key, new Value.Bytes(value), SetOptions.DEFAULT);
    }

    @Override
    public boolean get(String key) {
        return kv.get(key).isPresent();
    }

    @Override
    public void publish(String topic, String payload) {
        pubSub.publish(topic, payload);
    }

    @Override
    public Subscription subscribe(String topic, int capacity, Runnable onMessage) {
        Storage own = Arbor.storage(location("ws", ""));
        try {
            Subscriber subscriber = own.database(dbName).pubSub().orElseThrow().createSubscriber(capacity);
            subscriber.subscribeTo(topic);
            // The reader owns the subscriber's receiving side; close() ends it by closing the subscriber.
            Thread reader = Thread.ofVirtual().name("n1-subscriber").start(() -> {
                try {
                    while (subscriber.receive().isPresent()) {
                        onMessage.run();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (ArborException closed) {
                    // the connection ended: the pass counts what arrived
                }
            });
            return () -> {
                subscriber.close();
                own.close();
                try {
                    reader.join(10_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            };
        } catch (RuntimeException e) {
            own.close();
            throw e;
        }
    }

    @Override
    public void loadDocs(List<String> jsonLines) {
        for (int from = 0; from < jsonLines.size(); from += 1000) {
            List<ObjectNode> batch = new ArrayList<>();
            for (String line : jsonLines.subList(from, Math.min(jsonLines.size(), from + 1000))) {
                batch.add(Json.parseObject(line));
            }
            long stored = db.bulkDocs(batch).stream().filter(r -> r instanceof DocResult.Ok).count();
            if (stored != batch.size()) {
                throw new IllegalStateException("stored " + stored + " of " + batch.size() + " docs");
            }
        }
    }

    @Override
    public boolean getDoc(String id) {
        return found(db, id);
    }

    @Override
    public boolean getDocOverHttp(String id) {
        return found(overHttp, id);
    }

    private static boolean found(Database from, String id) {
        try {
            return from.get(id) != null;
        } catch (ArborException.NotFound missing) {
            return false;
        }
    }

    /**
     * Ten documents, rewritten in turn, all matching the query; a write's delta is the update whose result holds the
     * write's counter. The query's subscriber is a storage of its own, as a remote reader's would be.
     */
    @Override
    public long[] liveQueryDelays(int warmup, int writes) throws InterruptedException {
        LiveSpec spec = new LiveSpec.Find(FindRequest.of(Json.parse("{\"kind\": \"live\"}")).limit(10));
        Map<String, String> revs = new HashMap<>();
        long[] delays = new long[writes];
        try (Storage own = Arbor.storage(location("ws", ""));
             LiveQuery query = own.database(dbName).liveQueries().orElseThrow().subscribe(spec)) {
            for (int i = -warmup; i < writes; i++) {
                String id = "live-" + Math.floorMod(i, 10);
                ObjectNode doc = Json.MAPPER.createObjectNode().put("_id", id).put("kind", "live").put("i", i);
                if (revs.containsKey(id)) {
                    doc.put("_rev", revs.get(id));
                }
                // From before the write is sent: its commit falls between this and its answer, and the delta's push
                // often overtakes the answer, so timing from the answer would leave out most of the delay.
                long written = System.nanoTime();
                revs.put(id, db.put(doc).rev());
                int counter = i;
                while (query.result().rows().stream().noneMatch(row -> row.doc() != null && row.doc().path("i").asInt() == counter)) {
                    Optional<LiveEvent> event = query.next(Duration.ofSeconds(10));
                    if (event.isEmpty() || !(event.get() instanceof LiveUpdate)) {
                        throw new IllegalStateException("no live-query delta within 10 s of a write: " + event);
                    }
                }
                if (i >= 0) {
                    delays[i] = System.nanoTime() - written;
                }
            }
        }
        return delays;
    }

    @Override
    public void close() {
        if (overHttp != null) {
            overHttp.close();
        }
        storage.close();
    }
}
