package dev.arbor.client.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.core.error.ArborException;
import dev.arbor.protocol.Op;

import java.net.URI;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A client's connection to a server that outlives the loss of its WebSocket: when one {@link ProtocolConnection} ends,
 * another is opened with backoff ({@link Reconnect}) and every registered {@link Resubscribable} is re-established on
 * it. The storage, its databases and facets call through this.
 *
 * <p>What a caller sees when the connection is lost:
 * <ul>
 *   <li>a call waiting for its answer fails at once. A read (or an operation whose repetition changes nothing,
 *       {@link #RETRIED}) is sent again, once, on the next connection, since its first sending had no effect to repeat;
 *       any other call fails with {@code Internal} "… its outcome is unknown: it may have been applied" — the write may
 *       have landed before the answer was lost, and repeating it blindly could apply it twice;</li>
 *   <li>a call made while no connection is up waits for the reconnection, up to the request timeout, then fails with
 *       "no connection to … within …";</li>
 *   <li>if the server refuses the reconnection itself (the credentials no longer log in: 401 or 403; a 400 for the protocol
 *       version), or reconnection is off, the
 *       loss is final: every later call and every subscription fails with the reason.</li>
 * </ul>
 *
 * <p>Threads: any thread calls. {@link #lock} guards the current connection and the flags below; callers waiting for a
 * reconnection wait on it. At most one virtual thread ({@code arbor-ws-reconnect}) reconnects at a time; it is started
 * by the ended connection's listener (which must not block) and runs until a connection is up with every subscription
 * asked to resubscribe, or the loss is final.
 */
public final class ReconnectingConnection implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.arbor.client.protocol");

    /**
     * The operations sent again after a loss: reads, and {@code pubsub.subscriber.create}, whose subscriber on the lost
     * connection died with it. Anything not named here (every write, and any operation added later until it is
     * judged) is never sent twice. A streamed read is sent again only if the loss came before its first chunk reached
     * the caller ({@link #stream}); a changes subscription is made again from its latest seq instead
     * ({@link ChangesSubscription}).
     */
    static final Set<Op> RETRIED = EnumSet.of(Op.STORAGE_LIST, Op.STORAGE_EXISTS, Op.DB_INFO, Op.DB_REVS_LIMIT,
            Op.DOC_GET, Op.DOC_OPEN_REVS, Op.DOC_ALL_DOCS, Op.DOC_ALL_DOCS_ROWS, Op.DOC_REVS_DIFF, Op.DOC_BULK_GET, Op.KV_GET,
            Op.PUBSUB_SUBSCRIBER_CREATE, Op.TYPED_VIEW_OPEN, Op.TYPED_VIEW_QUERY, Op.TYPED_VIEW_REDUCE,
            Op.TYPED_VIEW_REDUCE_GROUPED, Op.TYPED_VIEW_INFO,
            Op.LOCAL_GET, Op.LOCAL_DOCS, Op.DB_SECURITY, Op.DB_ENCRYPTION_KEY, Op.PARTITION_INFO,
            Op.MANGO_FIND, Op.MANGO_EXPLAIN, Op.MANGO_INDEXES, Op.VIEW_QUERY, Op.VIEW_INFO,
            Op.CHANGES_READ, Op.ATTACHMENT_GET);

    /** With credentials, for reconnecting; null for a {@link #fixed} one. */
    private final URI location;
    /** Without credentials, for messages. */
    private final URI server;
    private final Duration timeout;
    private final Reconnect policy;
    private final Set<Resubscribable> subscriptions = ConcurrentHashMap.newKeySet();
    /** Connections that ended because the server broke the protocol; counted by their end listeners. */
    private final java.util.concurrent.atomic.LongAdder protocolErrors = new java.util.concurrent.atomic.LongAdder();
    private final Object lock = new Object();
    /** Guarded by lock: the connection calls go through, null while it is being replaced. */
    private ProtocolConnection current;
    /** Guarded by lock: whether the reconnecting thread runs. */
    private boolean reconnecting;
    /** Guarded by lock: the final failure (closed by this client, or the loss could not be repaired). */
    private ArborException over;
    /** Guarded by lock: why the last connection ended, for the errors of callers who wait in vain. */
    private ArborException lastLoss;

    private ReconnectingConnection(URI location, Duration timeout, Reconnect policy, ProtocolConnection first) {
        this.location = location;
        this.server = first.server();
        this.timeout = timeout;
        this.policy = policy;
        this.current = first;
    }

    /**
     * Connects as {@link ProtocolConnection#open} does (a failure to connect the first time is thrown, not retried),
     * then reconnects after any loss as {@code policy} says.
     */
    public static ReconnectingConnection open(URI location, Duration timeout, Reconnect policy) {
        ProtocolConnection first = ProtocolConnection.open(location, timeout);
        ReconnectingConnection connection = new ReconnectingConnection(location, timeout, policy, first);
        first.whenEnded(why -> connection.lost(first, why));
        return connection;
    }

    /** Over {@code connection} alone: when it ends, every later call fails (nothing to reconnect with). */
    public static ReconnectingConnection fixed(ProtocolConnection connection) {
        ReconnectingConnection fixed = new ReconnectingConnection(null, Duration.ZERO, Reconnect.NEVER, connection);
        connection.whenEnded(why -> fixed.lost(connection, why));
        return fixed;
    }

    /** The server's root URL without credentials. */
    public URI server() {
        return server;
    }

    /**
     * Sends {@code op} and waits for its answer, through whichever connection is up; see the class comment for what a
     * loss does to it.
     */
    public JsonNode call(Op op, ObjectNode args) {
        ProtocolConnection through = connection();
        try {
            return through.call(op, args);
        } catch (ArborException.Internal e) {
            if (!through.isClosed()) {
                throw e; // the server's own failure, or no answer in time on a live connection
            }
            if (!RETRIED.contains(op)) {
                throw outcomeUnknown(through, op, e);
            }
            return connection().call(op, args);
        }
    }

    private static ArborException.Internal outcomeUnknown(ProtocolConnection through, Op op, ArborException.Internal e) {
        return new ArborException.Internal("the connection to " + through.server() + " was lost before the answer to "
                + op.wireName() + " came, so its outcome is unknown: it may have been applied (" + e.reason() + ")", e);
    }

    /**
     * Sends {@code op}, whose answer comes in chunks, and hands its {@link ProtocolConnection.Inflow} to {@code reader}
     * (which closes it, or hands it on to be closed). A {@link #RETRIED} read whose connection is lost before its first
     * chunk reached the reader is sent again, once, on the next connection; lost after that, the read fails with
     * {@code Internal} saying the answer is incomplete — it is never resumed silently from its middle, nor repeated
     * into a sink that has seen part of it.
     */
    <T> T stream(Op op, ObjectNode args, java.util.function.Function<ProtocolConnection.Inflow, T> reader) {
        ProtocolConnection through = connection();
        ProtocolConnection.Inflow inflow = null;
        try {
            inflow = through.stream(op, args);
            return reader.apply(inflow);
        } catch (ArborException.Internal e) {
            if (inflow != null) {
                inflow.close();
            }
            if (!through.isClosed() || (inflow != null && inflow.delivered() > 0)) {
                throw e;
            }
            if (!RETRIED.contains(op)) {
                throw outcomeUnknown(through, op, e);
            }
            ProtocolConnection.Inflow again = connection().stream(op, args);
            try {
                return reader.apply(again);
            } catch (RuntimeException failed) {
                again.close();
                throw failed;
            }
        } catch (RuntimeException e) {
            if (inflow != null) {
                inflow.close();
            }
            throw e;
        }
    }

    /**
     * Sends {@code op} with an upload ({@link ProtocolConnection#upload}). Never sent twice (the parts are read as they
     * go): a loss before the answer fails with {@code Internal} saying its outcome is unknown.
     */
    JsonNode upload(Op op, ObjectNode args, List<java.io.InputStream> parts) {
        ProtocolConnection through = connection();
        try {
            return through.upload(op, args, parts);
        } catch (ArborException.Internal e) {
            if (!through.isClosed()) {
                throw e;
            }
            throw outcomeUnknown(through, op, e);
        }
    }

    /**
     * The connection up now, waiting for a reconnection up to the timeout if none is. For subscriptions, whose ids
     * belong to one connection, and for {@link #call}.
     */
    ProtocolConnection connection() {
        long deadline = System.nanoTime() + timeoutNanos();
        synchronized (lock) {
            if (!policy.enabled() && over == null) {
                // Nothing will reconnect: the connection's own end (or the loss being given up on) is the answer.
                if (current != null) {
                    return current;
                }
                throw new ArborException.Internal(lastLoss == null ? "no connection to " + server : lastLoss.reason(), lastLoss);
            }
            while (over == null && (current == null || current.isClosed())) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new ArborException.Internal("no connection to " + server
                            + " within " + timeout + ": reconnecting since " + (lastLoss == null ? "a loss" : lastLoss.reason()),
                            lastLoss);
                }
                try {
                    lock.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ArborException.Internal("interrupted while waiting to reconnect to " + server(), e);
                }
            }
            if (over != null) {
                throw new ArborException.Internal(over.reason(), over);
            }
            return current;
        }
    }

    private long timeoutNanos() {
        return policy.enabled() ? timeout.toNanos() : 0;
    }

    /** Keeps {@code subscription} restored on every new connection, until {@link #unregister}. */
    void register(Resubscribable subscription) {
        subscriptions.add(subscription);
    }

    void unregister(Resubscribable subscription) {
        subscriptions.remove(subscription);
    }

    /** Whether this client closed it, or a loss could not be repaired: no call will succeed any more. */
    public boolean isClosed() {
        synchronized (lock) {
            return over != null;
        }
    }

    /**
     * How many of this client's connections ended because the server broke the protocol (answered a request twice,
     * say); such a connection is replaced as any lost one is, so this count is how a test sees that it happened.
     */
    public long protocolErrors() {
        return protocolErrors.sum();
    }

    /** Called once per connection, by its end listener: starts the reconnecting thread unless one runs. */
    private void lost(ProtocolConnection which, ArborException why) {
        if (which.brokeProtocol()) {
            protocolErrors.increment();
            LOG.log(System.Logger.Level.WARNING, "{0}", why.reason());
        }
        boolean start;
        boolean hopeless;
        synchronized (lock) {
            if (current == which) {
                current = null;
                lastLoss = why;
            }
            hopeless = over == null && current == null && !policy.enabled();
            start = over == null && current == null && !reconnecting && policy.enabled();
            reconnecting |= start;
            lock.notifyAll();
        }
        if (hopeless) {
            giveUp(why);
        } else if (start) {
            Thread.ofVirtual().name("arbor-ws-reconnect").start(this::reconnect);
        }
    }

    /** The reconnecting thread: opens connections with backoff until one is up and has every subscription restored. */
    private void reconnect() {
        for (int attempt = 0; ; attempt++) {
            try {
                Thread.sleep(policy.delay(attempt));
            } catch (InterruptedException e) {
                return;
            }
            synchronized (lock) {
                if (over != null) {
                    reconnecting = false;
                    return;
                }
            }
            ProtocolConnection fresh;
            try {
                fresh = ProtocolConnection.open(location, timeout);
            } catch (ArborException.Unauthorized | ArborException.Forbidden | ArborException.BadRequest refused) {
                // The server answered and said no (credentials, protocol version): trying again changes nothing.
                giveUp(refused);
                return;
            } catch (ArborException notNow) {
                // Unreachable, or the server is stopping (503): a later attempt may succeed.
                LOG.log(System.Logger.Level.DEBUG, "reconnecting to {0} failed: {1}", server(), notNow.reason());
                continue;
            }
            synchronized (lock) {
                if (over != null) {
                    reconnecting = false;
                    fresh.close();
                    return;
                }
                current = fresh;
                lock.notifyAll();
            }
            fresh.whenEnded(why -> lost(fresh, why));
            for (Resubscribable subscription : List.copyOf(subscriptions)) {
                try {
                    subscription.resubscribe(fresh);
                } catch (ArborException e) {
                    if (fresh.isClosed()) {
                        break; // lost again: the next connection restores them all
                    }
                    subscriptions.remove(subscription);
                    subscription.lost(new ArborException.Internal("a subscription could not be restored after"
                            + " reconnecting to " + fresh.server() + ": " + e.reason(), e));
                }
            }
            synchronized (lock) {
                if (current == fresh || over != null) {
                    reconnecting = false;
                    return;
                }
                // fresh ended while subscriptions were restored; its listener saw this thread running and left it to us
                attempt = -1;
            }
        }
    }

    /** The loss is final: later calls fail with {@code why}, and every subscription ends with it. */
    private void giveUp(ArborException why) {
        synchronized (lock) {
            if (over == null) {
                over = why;
            }
            reconnecting = false;
            lock.notifyAll();
        }
        for (Resubscribable subscription : List.copyOf(subscriptions)) {
            subscriptions.remove(subscription);
            subscription.lost(why);
        }
    }

    /** Closes the connection for good; waiting calls fail, subscriptions end (their receivers wake empty). */
    @Override
    public void close() {
        ProtocolConnection last;
        synchronized (lock) {
            if (over == null) {
                over = new ArborException.Internal("the connection to " + server() + " was closed by this client", null);
            }
            last = current;
            current = null;
            lock.notifyAll();
        }
        subscriptions.clear();
        if (last != null) {
            last.close();
        }
    }
}
