package dev.arbor.api.pubsub;

import java.time.Duration;
import java.util.Optional;

/**
 * One subscriber of a {@link PubSub}: the topics it listens to and its queue of received messages.
 *
 * <p><b>Overflow policy:</b> the queue holds at most {@link #capacity()} messages. A publisher never
 * waits for a subscriber: when a message arrives at a full queue, the <em>oldest</em> queued message is
 * dropped to make room, and {@link #droppedCount()} counts every message dropped so. A subscriber that
 * must not miss anything reads faster, asks for a larger capacity, or checks the count.
 *
 * <p>Thread-safety: any thread may subscribe, unsubscribe, receive and close; messages of one topic
 * from one publishing thread arrive in publication order.
 */
public interface Subscriber extends AutoCloseable {

    void subscribeTo(String topic);

    default void subscribeTo(Topic<?> topic) {
        subscribeTo(topic.name());
    }

    void unsubscribeFrom(String topic);

    default void unsubscribeFrom(Topic<?> topic) {
        unsubscribeFrom(topic.name());
    }

    /**
     * The next message, waiting for one as long as it takes; empty once the subscriber is closed (a
     * close from another thread wakes a waiting receiver).
     */
    Optional<Message> receive() throws InterruptedException;

    /** The next message, waiting at most {@code timeout}; empty if none came or the subscriber is closed. */
    Optional<Message> receive(Duration timeout) throws InterruptedException;

    /** The next message if one is queued, without waiting. */
    Optional<Message> tryReceive();

    /** Most messages queued at once before the oldest is dropped. */
    int capacity();

    /** Messages dropped from this subscriber's full queue so far. */
    long droppedCount();

    /** Stops receiving: unsubscribes from every topic and wakes any waiting receiver. */
    @Override
    void close();
}
