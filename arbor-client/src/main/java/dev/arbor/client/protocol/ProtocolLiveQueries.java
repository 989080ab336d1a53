package dev.arbor.client.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.live.LiveEnd;
import dev.arbor.api.live.LiveEvent;
import dev.arbor.api.live.LiveQueries;
import dev.arbor.api.live.LiveQuery;
import dev.arbor.api.live.LiveResult;
import dev.arbor.api.live.LiveSpec;
import dev.arbor.api.live.LiveUpdate;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import dev.arbor.protocol.Frame;
import dev.arbor.protocol.LiveCodec;
import dev.arbor.protocol.Op;
import dev.arbor.protocol.Values;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A database's live queries over the connection: the server computes them over the database as this connection's
 * caller sees it and pushes their updates; the client keeps each subscriber's result and its resume token.
 */
final class ProtocolLiveQueries implements LiveQueries {
    /** Live query ids are the client's and negative (pub/sub subscribers' are the server's, positive); unique per JVM. */
    private static final AtomicLong IDS = new AtomicLong();

    private final ReconnectingConnection connection;
    private final String db;

    ProtocolLiveQueries(ReconnectingConnection connection, String db) {
        this.connection = connection;
        this.db = db;
    }

    @Override
    public LiveQuery subscribe(LiveSpec spec, int capacity) {
        RemoteLiveQuery query = new RemoteLiveQuery(spec, capacity, null);
        query.subscribeOn(connection.connection());
        connection.register(query);
        return query;
    }

    @Override
    public LiveQuery resume(LiveSpec spec, LiveResult from, int capacity) {
        RemoteLiveQuery query = new RemoteLiveQuery(spec, capacity, from);
        query.resubscribe(connection.connection());
        connection.register(query);
        return query;
    }

    /**
     * The client's half of a live query: a bounded queue the connection's reader fills with pushed events, and the
     * result as of the last event the consumer took. Guarded by {@code this}, but for the connection it listens on.
     * Past its capacity it ends itself as lagging (the server is told to stop), and the consumer resumes from its
     * result. A connection that ends is replaced by the reconnecting layer, which resubscribes the query from its
     * result ({@link Resubscribable}); only a loss that cannot be repaired ends it, resumable, with the reason.
     */
    final class RemoteLiveQuery implements LiveQuery, Resubscribable {
        private final LiveSpec spec;
        private final int capacity;
        private final ArrayDeque<LiveEvent> queue = new ArrayDeque<>();
        private LiveResult result;
        private LiveEnd end;
        private boolean closed;
        private volatile ProtocolConnection on;
        private volatile long id;

        RemoteLiveQuery(LiveSpec spec, int capacity, LiveResult from) {
            this.spec = spec;
            this.capacity = capacity;
            this.result = from;
        }

        private ObjectNode args(ProtocolConnection target, long newId) {
            ObjectNode args = Values.object().put("id", newId).put("db", db).put("capacity", capacity);
            args.set("spec", LiveCodec.spec(spec));
            return args;
        }

        void subscribeOn(ProtocolConnection target) {
            long newId = listen(target);
            try {
                LiveResult first = LiveCodec.result(target.call(Op.LIVE_SUBSCRIBE, args(target, newId)).path("result"));
                synchronized (this) {
                    result = first;
                }
            } catch (RuntimeException e) {
                target.stopPushes(newId);
                throw e;
            }
        }

        /**
         * Subscribes again on {@code target} (this query's connection, or a new one after a reconnect) from the result
         * the consumer holds: the server's first push brings it to the query's result now, and updates follow; updates
         * not yet taken from the old subscription are dropped, as the new first update covers them.
         */
        @Override
        public void resubscribe(ProtocolConnection target) {
            ProtocolConnection old = on;
            if (old != null) {
                old.stopPushes(id);
            }
            LiveResult from;
            synchronized (this) {
                if (closed) {
                    throw new ArborException.Internal("the live query was closed", null);
                }
                queue.clear();
                end = null;
                from = result;
            }
            long newId = listen(target);
            ObjectNode args = args(target, newId);
            args.set("token", LiveCodec.token(from.token()));
            try {
                target.call(Op.LIVE_RESUME, args);
            } catch (RuntimeException e) {
                target.stopPushes(newId);
                throw e;
            }
        }

        private long listen(ProtocolConnection target) {
            long newId = -IDS.incrementAndGet();
            id = newId;
            on = target;
            target.onPush(newId, this::arrived);
            return newId;
        }

        /** Runs on the connection's reader thread. */
        private void arrived(Frame.Push push) {
            LiveEvent event = LiveCodec.event(Json.parse(push.payload()));
            boolean lagging = false;
            synchronized (this) {
                if (end != null || closed) {
                    return;
                }
                if (event instanceof LiveEnd ended) {
                    end = ended;
                } else if (queue.size() >= capacity) {
                    end = new LiveEnd(LiveEnd.LAGGING, "the subscriber fell " + capacity + " updates behind; resume from its result");
                    lagging = true;
                } else {
                    queue.addLast(event);
                }
                notifyAll();
            }
            if (lagging) {
                stopServerSide(on, id);
            }
        }

        @Override
        public LiveSpec spec() {
            return spec;
        }

        @Override
        public synchronized LiveResult result() {
            return result;
        }

        @Override
        public synchronized Optional<LiveEvent> next(Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (queue.isEmpty() && end == null && !closed) {
                if (on.isClosed() && connection.isClosed()) {
                    // No reconnection will resubscribe it (the storage closed, or the server refused to take it back).
                    end = new LiveEnd(LiveEnd.CLOSED, "the connection to " + on.server() + " ended; resume from the result");
                    break;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return Optional.empty();
                }
                wait(Math.max(1, Math.min(left / 1_000_000, 200)));
            }
            LiveEvent event = queue.pollFirst();
            if (event instanceof LiveUpdate update) {
                result = result.apply(update);
                return Optional.of(update);
            }
            return Optional.of(end != null ? end : new LiveEnd(LiveEnd.CLOSED, "closed by its subscriber"));
        }

        @Override
        public void lost(ArborException why) {
            synchronized (this) {
                if (end == null && !closed) {
                    end = new LiveEnd(LiveEnd.CLOSED, "the live query could not be restored after a reconnection: " + why.getMessage());
                }
                notifyAll();
            }
        }

        @Override
        public void close() {
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
                notifyAll();
            }
            connection.unregister(this);
            stopServerSide(on, id);
        }

        /** Tells the server to stop (a connection that ended has stopped it already); never fails the caller. */
        private void stopServerSide(ProtocolConnection target, long which) {
            target.stopPushes(which);
            if (!target.isClosed()) {
                Thread.ofVirtual().name("arbor-live-close").start(() -> {
                    try {
                        target.call(Op.LIVE_CLOSE, Values.object().put("id", which));
                    } catch (ArborException alreadyGone) {
                        // ended on the server already (its end pushed), or the connection went
                    }
                });
            }
        }
    }
}
