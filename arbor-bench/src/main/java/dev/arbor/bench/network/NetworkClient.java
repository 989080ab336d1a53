package dev.arbor.bench.network;

import java.util.List;

/**
 * What N1 asks of a networked store, in the terms both systems share: a key-value store, topics to publish to and
 * subscribe to, and documents read by id. One instance is one client of the server: its main connection carries the
 * key-value calls, the publishes and the document GETs, shared by every thread that calls (each implementation
 * multiplexes calls from many threads over it); each subscription is a connection of its own.
 *
 * <p>Threads: every method but {@link #close} may be called from any thread at once.
 */
public sealed interface NetworkClient extends AutoCloseable permits ArborNetworkClient, RedisNetworkClient {

    /** Starts a pass on fresh state: an empty database (Arbor) or keyspace (Redis) named for the pass. */
    void reset(String pass);

    void set(String key, byte[] value);

    /** Whether the key was found. */
    boolean get(String key);

    /** Publishes on the main connection; subscribers are on connections of their own. */
    void publish(String topic, String payload);

    /**
     * A subscriber to {@code topic} on a connection of its own, calling {@code onMessage} for each message it receives,
     * subscribed when this returns. {@code capacity} is how many messages it may hold unread (Arbor's subscribers drop
     * the oldest past it; Redis buffers on the server).
     */
    Subscription subscribe(String topic, int capacity, Runnable onMessage);

    /** Stores the docs (JSON lines with their {@code _id}), untimed, so that {@link #getDoc} finds them. */
    void loadDocs(List<String> jsonLines);

    /** Reads a document by id through the main connection; whether it was found. */
    boolean getDoc(String id);

    /**
     * Reads the same document over the server's HTTP API, the yardstick of the protocol's document GETs.
     *
     * @throws dev.arbor.bench.workload.NotApplicable for a system without one
     */
    boolean getDocOverHttp(String id);

    /**
     * Subscribes a live query (a Mango selector) on a connection of its own, then writes {@code warmup + writes}
     * matching documents one at a time through the main connection, each waited for at the subscriber: the delays from
     * each write's sending to its delta, in nanoseconds, the warm-up's left out.
     *
     * @throws dev.arbor.bench.workload.NotApplicable for a system without live queries
     */
    long[] liveQueryDelays(int warmup, int writes) throws InterruptedException;

    @Override
    void close();

    /** A subscriber's connection; closing it unsubscribes and closes the connection. */
    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
