package dev.arbor.api.pubsub;

import java.util.Collection;

/**
 * In-process publish/subscribe, as BonsaiDb's {@code PubSub}: publishers send messages (any
 * Jackson-serialisable value) to named topics; every subscriber subscribed to a topic when a message is
 * published receives it. Messages are not stored: nothing is replayed to later subscribers, and nothing
 * survives a restart.
 *
 * <p>A database's pub/sub also carries its changes feed: subscribe to {@link Topic#CHANGES} to receive a
 * {@link dev.arbor.api.CommitEvent} for each commit that changed documents.
 *
 * <p>Thread-safety: every method may be called from any thread; {@code publish} never blocks on a
 * subscriber (see {@link Subscriber} for the overflow policy).
 */
public interface PubSub {
    /** Queue capacity of {@link #createSubscriber()}. */
    int DEFAULT_CAPACITY = 1024;

    /** A new subscriber with a queue of {@link #DEFAULT_CAPACITY} messages, subscribed to nothing yet. */
    default Subscriber createSubscriber() {
        return createSubscriber(DEFAULT_CAPACITY);
    }

    /** A new subscriber whose queue holds at most {@code capacity} messages. */
    Subscriber createSubscriber(int capacity);

    /** Sends {@code payload} to every current subscriber of {@code topic}; returns how many received it. */
    int publish(String topic, Object payload);

    default <T> int publish(Topic<T> topic, T payload) {
        return publish(topic.name(), payload);
    }

    /**
     * Sends {@code payload} (serialised once) to each of {@code topics}: a subscriber of several of them
     * receives one message per topic. Returns the number of deliveries.
     */
    int publishToAll(Collection<String> topics, Object payload);
}
