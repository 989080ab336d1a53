package dev.arbor.server.protocol;

import dev.arbor.api.pubsub.Message;
import dev.arbor.api.pubsub.PubSub;
import dev.arbor.api.pubsub.Subscriber;
import dev.arbor.core.error.ArborException;
import dev.arbor.protocol.Frame;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A connection's subscribers. Each is a subscriber of the server's pub/sub with a virtual thread of its own that takes
 * its messages as they arrive and pushes them to the client; the subscriber's queue (and its drop-oldest policy)
 * absorbs a client that reads slower than topics are published. Closed with the connection.
 */
final class Subscribers implements AutoCloseable {
    private final Map<Long, Subscriber> open = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final Consumer<Frame.Push> push;

    Subscribers(Consumer<Frame.Push> push) {
        this.push = push;
    }

    long create(PubSub pubSub, int capacity) {
        Subscriber subscriber = pubSub.createSubscriber(capacity);
        long id = ids.incrementAndGet();
        open.put(id, subscriber);
        Thread.ofVirtual().name("arbor-ws-subscriber-" + id).start(() -> pump(id, subscriber));
        return id;
    }

    Subscriber get(long id) {
        Subscriber subscriber = open.get(id);
        if (subscriber == null) {
            throw new ArborException.NotFound("no subscriber " + id + " on this connection");
        }
        return subscriber;
    }

    void close(long id) {
        Subscriber subscriber = open.remove(id);
        if (subscriber != null) {
            subscriber.close();
        }
    }

    /** Runs on the subscriber's own thread until it is closed (receive answers empty then). */
    private void pump(long id, Subscriber subscriber) {
        try {
            for (Optional<Message> message = subscriber.receive(); message.isPresent(); message = subscriber.receive()) {
                push.accept(new Frame.Push(id, message.get().topic(), message.get().payloadBytes()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        open.keySet().forEach(this::close);
    }
}
