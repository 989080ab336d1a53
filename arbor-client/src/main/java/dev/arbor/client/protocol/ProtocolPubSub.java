package dev.arbor.client.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.pubsub.Message;
import dev.arbor.api.pubsub.PubSub;
import dev.arbor.api.pubsub.Subscriber;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import dev.arbor.protocol.Frame;
import dev.arbor.protocol.Op;
import dev.arbor.protocol.Values;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A server's pub/sub over the connection: the storage's ({@code db} null) or one database's. Publishing is one request;
 * a subscriber is a subscriber on the server, whose messages the server pushes to this connection as they arrive, made
 * again with its topics on each new connection after a loss.
 */
final class ProtocolPubSub implements PubSub {
    private final ReconnectingConnection connection;
    private final String db;

    ProtocolPubSub(ReconnectingConnection connection, String db) {
        this.connection = connection;
        this.db = db;
    }

    private ObjectNode args() {
        ObjectNode args = Values.object();
        if (db != null) {
            args.put("db", db);
        }
        return args;
    }

    @Override
    public Subscriber createSubscriber(int capacity) {
        RemoteSubscriber subscriber = new RemoteSubscriber(capacity);
        // Registered before it exists on the server: a reconnection from here on restores it once it does.
        connection.register(subscriber);
        try {
            subscriber.create();
        } catch (RuntimeException e) {
            connection.unregister(subscriber);
            throw e;
        }
        return subscriber;
    }

    @Override
    public int publish(String topic, Object payload) {
        ObjectNode args = args().put("topic", topic);
        args.set("payload", Json.MAPPER.valueToTree(payload));
        return connection.call(Op.PUBSUB_PUBLISH, args).asInt();
    }

    @Override
    public int publishToAll(Collection<String> topics, Object payload) {
        ObjectNode args = args();
        args.set("topics", Values.strings(List.copyOf(topics)));
        args.set("payload", Json.MAPPER.valueToTree(payload));
        return connection.call(Op.PUBSUB_PUBLISH_TO_ALL, args).asInt();
    }

    /**
     * The client's half of a subscriber: a queue the connection's reader fills with pushed messages, with the same
     * drop-oldest policy as a local subscriber (the reader never waits for a slow receiver), and the topics it listens
     * to, which a new connection is asked for again after a loss ({@link Resubscribable}). Messages published while no
     * connection is up are not delivered: pub/sub is at most once, as locally.
     *
     * <p>Threads: {@code this} guards the queue, {@code closed} and {@code lostWith} (the reader thread fills the queue
     * under it; receivers wait on it). {@link #binding} guards {@link #bound}, {@link #id} and {@link #topics} across the
     * calls that change them on the server, so a resubscription and a subscribe do not interleave; it is never held by
     * the reader thread, which answers those calls.
     */
    private final class RemoteSubscriber implements Subscriber, Resubscribable {
        private final int capacity;
        private final ArrayDeque<Message> queue = new ArrayDeque<>();
        private long dropped;
        private boolean closed;
        private ArborException lostWith;
        private final ReentrantLock binding = new ReentrantLock();
        /** The connection the server-side subscriber {@link #id} lives on; null until created. */
        private ProtocolConnection bound;
        private long id;
        private final Set<String> topics = new LinkedHashSet<>();

        RemoteSubscriber(int capacity) {
            this.capacity = capacity;
        }

        /** Creates the server's subscriber on the connection up now (once more if that one is lost meanwhile). */
        void create() {
            binding.lock();
            try {
                for (int attempt = 0; bound == null; attempt++) {
                    ProtocolConnection through = connection.connection();
                    try {
                        bindTo(through, through.call(Op.PUBSUB_SUBSCRIBER_CREATE, args().put("capacity", capacity)).asLong());
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

        private void bindTo(ProtocolConnection through, long serverId) {
            through.onPush(serverId, this::arrived);
            bound = through;
            id = serverId;
        }

        @Override
        public void resubscribe(ProtocolConnection fresh) {
            binding.lock();
            try {
                synchronized (this) {
                    if (closed) {
                        return;
                    }
                }
                if (bound == null || bound == fresh) {
                    return; // not created yet (its creation will use fresh), or created on fresh already
                }
                long serverId = fresh.call(Op.PUBSUB_SUBSCRIBER_CREATE, args().put("capacity", capacity)).asLong();
                // Pushes are routed before the first topic is asked for, so none published meanwhile is dropped here.
                fresh.onPush(serverId, this::arrived);
                for (String topic : topics) {
                    fresh.call(Op.PUBSUB_SUBSCRIBE, args().put("subscriber", serverId).put("topic", topic));
                }
                bindTo(fresh, serverId);
            } finally {
                binding.unlock();
            }
        }

        @Override
        public synchronized void lost(ArborException why) {
            lostWith = why;
            closed = true;
            notifyAll();
        }

        /** Runs on the connection's reader thread. */
        synchronized void arrived(Frame.Push push) {
            if (closed) {
                return;
            }
            if (queue.size() >= capacity) {
                queue.pollFirst();
                dropped++;
            }
            queue.addLast(new Message(push.topic(), push.payload()));
            notifyAll();
        }

        @Override
        public void subscribeTo(String topic) {
            change(Op.PUBSUB_SUBSCRIBE, topic, topics::add);
        }

        @Override
        public void unsubscribeFrom(String topic) {
            change(Op.PUBSUB_UNSUBSCRIBE, topic, topics::remove);
        }

        /**
         * Records the change first, then tells the server. If the connection is lost meanwhile, the recorded topics
         * are what the resubscription restores, so the change is not lost with it.
         */
        private void change(Op op, String topic, java.util.function.Consumer<String> record) {
            binding.lock();
            try {
                throwIfLost();
                record.accept(topic);
                ProtocolConnection through = bound;
                try {
                    through.call(op, args().put("subscriber", id).put("topic", topic));
                } catch (ArborException.Internal e) {
                    if (!through.isClosed()) {
                        throw e;
                    }
                    // lost with the connection: the resubscription applies the recorded topics
                }
            } finally {
                binding.unlock();
            }
        }

        private synchronized void throwIfLost() {
            if (lostWith != null) {
                throw new ArborException.Internal(lostWith.reason(), lostWith);
            }
        }

        /** Whether a receiver should stop waiting; throws if the subscription was lost and nothing is left to read. */
        private boolean over() {
            if (queue.isEmpty() && lostWith != null) {
                throw new ArborException.Internal(lostWith.reason(), lostWith);
            }
            return closed || connection.isClosed();
        }

        @Override
        public synchronized Optional<Message> receive() throws InterruptedException {
            while (queue.isEmpty() && !over()) {
                wait(1000);
            }
            return Optional.ofNullable(queue.pollFirst());
        }

        @Override
        public synchronized Optional<Message> receive(Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (queue.isEmpty() && !over()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                wait(Math.max(1, Math.min(left / 1_000_000, 1000)));
            }
            return Optional.ofNullable(queue.pollFirst());
        }

        @Override
        public synchronized Optional<Message> tryReceive() {
            return Optional.ofNullable(queue.pollFirst());
        }

        @Override
        public int capacity() {
            return capacity;
        }

        @Override
        public synchronized long droppedCount() {
            return dropped;
        }

        @Override
        public void close() {
            synchronized (this) {
                if (closed && lostWith == null) {
                    return;
                }
                closed = true;
                notifyAll();
            }
            connection.unregister(this);
            binding.lock();
            try {
                ProtocolConnection through = bound;
                if (through != null && !through.isClosed()) {
                    through.stopPushes(id);
                    try {
                        through.call(Op.PUBSUB_SUBSCRIBER_CLOSE, args().put("subscriber", id));
                    } catch (ArborException.Internal e) {
                        if (!through.isClosed()) {
                            throw e;
                        }
                        // its connection is gone, and the server's subscriber with it
                    }
                }
            } finally {
                binding.unlock();
            }
        }
    }
}
