package dev.arbor.client.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.Seq;
import dev.arbor.api.Subscription;
import dev.arbor.core.error.ArborException;
import dev.arbor.protocol.Op;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * The changes subscriptions open on one connection, each with all it needs to be made again: its operation, its
 * arguments and the latest seq it has delivered, which a new request names as {@code since} so nothing between is
 * missed. {@link #active} lists them for whoever reconnects; {@link Active#resubscribe} makes one again on the
 * connection given.
 *
 * <p>Threads: each subscription has a virtual thread that reads its chunks and calls its handler, one at a time, and
 * keeps its latest seq (volatile, read by anyone); {@link Active#close} may come from any thread.
 */
public final class ProtocolSubscriptions {
    private static final System.Logger LOG = System.getLogger("dev.arbor.client.protocol");
    private final ProtocolConnection connection;
    private final Set<Active> active = ConcurrentHashMap.newKeySet();

    ProtocolSubscriptions(ProtocolConnection connection) {
        this.connection = connection;
    }

    /**
     * Opens {@code op} with {@code args} and returns once the server says its listener is in place (a write after the
     * return is heard). {@code handler} gets each pushed chunk after the ready one, with the subscription, on the
     * subscription's thread; it reports the seq a chunk brought it to with {@link Active#advanced}.
     */
    Active open(Op op, ObjectNode args, Seq since, BiConsumer<Active, JsonNode> handler) {
        Active subscription = new Active(op, args, since, handler);
        active.add(subscription);
        try {
            subscription.start(connection);
        } catch (RuntimeException e) {
            active.remove(subscription);
            throw e;
        }
        return subscription;
    }

    /** The subscriptions open now. */
    public List<Active> active() {
        return List.copyOf(active);
    }

    /** One open subscription. */
    public final class Active implements Subscription {
        private final Op op;
        private final ObjectNode args;
        private final BiConsumer<Active, JsonNode> handler;
        private volatile Seq latestSeq;
        /** The seq the server reported when the current request became ready. */
        private volatile Seq readySeq;
        private volatile ProtocolConnection.Inflow inflow;
        private volatile boolean closed;

        private Active(Op op, ObjectNode args, Seq since, BiConsumer<Active, JsonNode> handler) {
            this.op = op;
            this.args = args;
            this.latestSeq = since;
            this.handler = handler;
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

        /** The database's update seq when the server put the listener in place. */
        Seq readySeq() {
            return readySeq;
        }

        /** The handler reports the seq a chunk brought the subscription to. */
        void advanced(Seq seq) {
            latestSeq = seq;
        }

        /** Makes the subscription again on {@code on} (a new connection), from its latest seq. */
        public void resubscribe(ProtocolConnection on) {
            if (!closed) {
                start(on);
            }
        }

        private void start(ProtocolConnection on) {
            ProtocolConnection.Inflow opened = on.stream(op, args());
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
            readySeq = Seq.fromJson(ready.get("seq"));
            if (latestSeq == null) {
                latestSeq = readySeq;
            }
            inflow = opened;
            handler.accept(this, ready);
            Thread.ofVirtual().name("arbor-ws-subscription").start(() -> read(opened));
        }

        private void read(ProtocolConnection.Inflow from) {
            try {
                for (JsonNode chunk = from.next(true); chunk != null && !closed; chunk = from.next(true)) {
                    try {
                        handler.accept(this, chunk);
                    } catch (RuntimeException listenerFailed) {
                        // The listener's own failure: it must not end the subscription (its pushes would stall unread).
                        LOG.log(System.Logger.Level.WARNING, "a subscription's listener failed", listenerFailed);
                    }
                }
            } catch (ArborException connectionEnded) {
                // The subscription waits for a resubscription, or its close.
            }
        }

        @Override
        public void close() {
            closed = true;
            active.remove(this);
            ProtocolConnection.Inflow current = inflow;
            if (current != null) {
                current.close();
            }
        }
    }
}
