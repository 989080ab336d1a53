package dev.arbor.client.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.pubsub.Message;
import dev.arbor.api.pubsub.PubSub;
import dev.arbor.api.pubsub.Subscriber;
import dev.arbor.core.json.Json;
import dev.arbor.protocol.Frame;
import dev.arbor.protocol.Op;
import dev.arbor.protocol.Values;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * A server's pub/sub over the connection: the storage's ({@code db} null) or one database's. Publishing is one request;
 * a subscriber is a subscriber on the server, whose messages the server pushes to this connection as they arrive.
 */
final class ProtocolPubSub implements PubSub {
    private final ProtocolConnection connection;
    private final String db;

    ProtocolPubSub(ProtocolConnection connection, String db) {
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
        long id = connection.call(Op.PUBSUB_SUBSCRIBER_CREATE, args().put("capacity", capacity)).asLong();
        RemoteSubscriber subscriber = new RemoteSubscriber(id, capacity);
        connection.onPush(id, subscriber::arrived);
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
     * drop-oldest policy as a local subscriber (the reader never waits for a slow receiver). Guarded by {@code this}.
     */
    private final class RemoteSubscriber implements Subscriber {
        private final long id;
        private final int capacity;
        private final ArrayDeque<Message> queue = new ArrayDeque<>();
        private long dropped;
        private boolean closed;

        RemoteSubscriber(long id, int capacity) {
            this.id = id;
            this.capacity = capacity;
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
            connection.call(Op.PUBSUB_SUBSCRIBE, args().put("subscriber", id).put("topic", topic));
        }

        @Override
        public void unsubscribeFrom(String topic) {
            connection.call(Op.PUBSUB_UNSUBSCRIBE, args().put("subscriber", id).put("topic", topic));
        }

        @Override
        public synchronized Optional<Message> receive() throws InterruptedException {
            while (queue.isEmpty() && !closed && !connection.isClosed()) {
                wait(1000);
            }
            return Optional.ofNullable(queue.pollFirst());
        }

        @Override
        public synchronized Optional<Message> receive(Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (queue.isEmpty() && !closed && !connection.isClosed()) {
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
                if (closed) {
                    return;
                }
                closed = true;
                notifyAll();
            }
            connection.stopPushes(id);
            if (!connection.isClosed()) {
                connection.call(Op.PUBSUB_SUBSCRIBER_CLOSE, args().put("subscriber", id));
            }
        }
    }
}
