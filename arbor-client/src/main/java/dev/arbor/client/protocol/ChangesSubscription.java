package dev.arbor.client.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.Seq;
import dev.arbor.api.Subscription;
import dev.arbor.core.error.ArborException;
import dev.arbor.protocol.Op;

import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;

/**
 * One changes subscription over the protocol ({@code changes.subscribe}: {@code onCommit}, or the changes feed with its
 * rows), with all it needs to be made again: its arguments and the latest seq it has delivered, which a new request
 * names as {@code since} so nothing between is missed. It is {@link Resubscribable}: registered with the storage's
 * {@link ReconnectingConnection} (the one registry of what a new connection must be asked for again), it is made again
 * on every new connection after a loss, and {@link #lost} ends it with the reason when that cannot be.
 *
 * <p>Order: the chunks of one request are handed on in order by one reader thread; a resubscription waits for the
 * reader of the lost request to finish handing on what had arrived before it opens the next request from the seq that
 * reader reached, so the handler never sees a seq out of order, twice, or from two threads at once.
 *
 * <p>Threads: each request has a virtual thread that reads its chunks and calls the handler, one at a time, and keeps
 * the latest seq (volatile, read by anyone). {@link #binding} orders its opening, resubscriptions (the reconnecting
 * thread) and {@link #close} (any thread); it is never held by a reader thread.
 */
public final class ChangesSubscription implements Subscription, Resubscribable {
    private static final System.Logger LOG = System.getLogger("dev.arbor.client.protocol");

    private final ReconnectingConnection connection;
    private final Op op;
    private final ObjectNode args;
    private final String what;
    private final BiConsumer<ChangesSubscription, JsonNode> handler;
    private final ReentrantLock binding = new ReentrantLock();
    private volatile Seq latestSeq;
    /**
     * Written under binding: the connection the current request is on (null before the first), its answer (volatile:
     * closed from any thread) and the thread reading it.
     */
    private ProtocolConnection on;
    private volatile ProtocolConnection.Inflow inflow;
    private Thread reader;
    private volatile boolean closed;
    /** Why it ended without being closed (a loss that could not be repaired, the server's failure); null otherwise. */
    private volatile ArborException failure;

    private ChangesSubscription(ReconnectingConnection connection, Op op, ObjectNode args, Seq since, String what,
                                BiConsumer<ChangesSubscription, JsonNode> handler) {
        this.connection = connection;
        this.op = op;
        this.args = args;
        this.latestSeq = since;
        this.what = what;
        this.handler = handler;
    }

    /**
     * Opens {@code op} with {@code args} and returns once the server says its listener is in place (a write after the
     * return is heard). {@code handler} gets each chunk, the ready one first, with the subscription, on the
     * subscription's thread; it reports the seq a chunk brought it to with {@link #advanced}.
     */
    static ChangesSubscription open(ReconnectingConnection connection, Op op, ObjectNode args, Seq since, String what,
                                    BiConsumer<ChangesSubscription, JsonNode> handler) {
        ChangesSubscription subscription = new ChangesSubscription(connection, op, args, since, what, handler);
        // Registered before it exists on the server: a reconnection from here on makes it there once it does.
        connection.register(subscription);
        try {
            subscription.first();
        } catch (RuntimeException e) {
            connection.unregister(subscription);
            throw e;
        }
        return subscription;
    }

    /** Makes the request on the connection up now (once more if that one is lost meanwhile). */
    private void first() {
        binding.lock();
        try {
            for (int attempt = 0; on == null; attempt++) {
                ProtocolConnection through = connection.connection();
                try {
                    start(through);
                } catch (ArborException.Internal e) {
                    if (!through.isClosed() || attempt > 0) {
                        throw e;
                    }
                }
            }
        } finally {
            binding.unlock();
        }
    }

    public Op op() {
        return op;
    }

    /** The request's arguments as they would be sent now: the latest seq delivered as {@code since}. */
    public ObjectNode args() {
        ObjectNode now = args.deepCopy();
        Seq since = latestSeq;
        if (since != null) {
            now.set("since", since.toJson());
        }
        return now;
    }

    /** The latest seq delivered (or first heard), null before any. */
    public Seq latestSeq() {
        return latestSeq;
    }

    /** Why it ended without being closed by its consumer: a loss that could not be repaired, or the server's failure. */
    public Optional<ArborException> failure() {
        return Optional.ofNullable(failure);
    }

    /** Whether it is still listening (or will again once a lost connection is replaced). */
    public boolean isOpen() {
        return !closed;
    }

    /** The handler reports the seq a chunk brought the subscription to. */
    void advanced(Seq seq) {
        latestSeq = seq;
    }

    /**
     * Makes the subscription again on {@code fresh} (a new connection), from its latest seq, once the reader of the
     * lost request has handed on all that came before the loss. Called by the reconnecting layer.
     */
    @Override
    public void resubscribe(ProtocolConnection fresh) {
        binding.lock();
        try {
            if (closed || on == null || on == fresh) {
                return; // closed, not made yet (its first request will use fresh), or made on fresh already
            }
            Thread old = reader;
            if (old != null && old != Thread.currentThread()) {
                try {
                    old.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ArborException.Internal("interrupted while resubscribing " + what, e);
                }
            }
            if (!closed) {
                start(fresh);
            }
        } finally {
            binding.unlock();
        }
    }

    /** The subscription cannot be made again: it ends, and says why (to {@link #failure} and the log). */
    @Override
    public void lost(ArborException why) {
        end(why);
    }

    /** Guarded by binding. */
    private void start(ProtocolConnection through) {
        ProtocolConnection.Inflow opened = through.stream(op, args());
        JsonNode ready;
        try {
            ready = opened.next(false);
        } catch (RuntimeException e) {
            opened.close();
            throw e;
        }
        if (ready == null || !ready.path("ready").asBoolean(false)) {
            opened.close();
            throw new ArborException.Internal("the server did not open the subscription " + op.wireName(), null);
        }
        if (latestSeq == null) {
            latestSeq = Seq.fromJson(ready.get("seq"));
        }
        on = through;
        inflow = opened;
        if (closed) {
            opened.close(); // closed while it was being made: close read the previous answer
            return;
        }
        deliver(ready);
        reader = Thread.ofVirtual().name("arbor-protocol-changes").start(() -> read(through, opened));
    }

    private void deliver(JsonNode chunk) {
        try {
            handler.accept(this, chunk);
        } catch (RuntimeException listenerFailed) {
            // The listener's own failure: it must not end the subscription (its chunks would stall unread).
            LOG.log(System.Logger.Level.WARNING, "a listener of " + what + " failed", listenerFailed);
        }
    }

    private void read(ProtocolConnection through, ProtocolConnection.Inflow from) {
        try {
            for (JsonNode chunk = from.next(true); chunk != null && !closed; chunk = from.next(true)) {
                deliver(chunk);
            }
        } catch (ArborException e) {
            if (!through.isClosed()) {
                // The server ended this request itself (the database deleted, access withdrawn): nothing to remake.
                connection.unregister(this);
                end(e);
            }
            // else the connection was lost: the reconnecting layer resubscribes it, or calls lost
        }
    }

    private void end(ArborException why) {
        if (closed) {
            return;
        }
        failure = why;
        closed = true;
        LOG.log(System.Logger.Level.WARNING, what + " ended: " + why.reason());
        ProtocolConnection.Inflow current = inflow;
        if (current != null) {
            current.close();
        }
    }

    /** Stops it on the server (a cancel) and here; any thread, the handler's own included. */
    @Override
    public void close() {
        closed = true;
        connection.unregister(this);
        ProtocolConnection.Inflow current = inflow;
        if (current != null) {
            current.close();
        }
    }
}
