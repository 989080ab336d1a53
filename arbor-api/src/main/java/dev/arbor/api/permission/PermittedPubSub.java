package dev.arbor.api.permission;

import dev.arbor.api.pubsub.Message;
import dev.arbor.api.pubsub.PubSub;
import dev.arbor.api.pubsub.Subscriber;

import java.time.Duration;
import java.util.Collection;
import java.util.Optional;

/**
 * A database's pub/sub used as one caller: publishing needs {@code pubsub.publish} and subscribing
 * {@code pubsub.subscribe} on {@link ResourceName#topic} of each topic; a message to several topics is refused
 * whole when one of them is not granted, so none is half-sent.
 */
final class PermittedPubSub implements PubSub {
    private final PubSub pubSub;
    private final String database;
    private final Permissions permissions;

    PermittedPubSub(PubSub pubSub, String database, Permissions permissions) {
        this.pubSub = pubSub;
        this.database = database;
        this.permissions = permissions;
    }

    @Override
    public Subscriber createSubscriber(int capacity) {
        return new PermittedSubscriber(pubSub.createSubscriber(capacity));
    }

    @Override
    public int publish(String topic, Object payload) {
        permissions.check(ResourceName.topic(database, topic), Action.PUBSUB_PUBLISH);
        return pubSub.publish(topic, payload);
    }

    @Override
    public int publishToAll(Collection<String> topics, Object payload) {
        topics.forEach(topic -> permissions.check(ResourceName.topic(database, topic), Action.PUBSUB_PUBLISH));
        return pubSub.publishToAll(topics, payload);
    }

    /** Checks each subscription; receiving is the subscriber's own business once it is subscribed. */
    private final class PermittedSubscriber implements Subscriber {
        private final Subscriber subscriber;

        PermittedSubscriber(Subscriber subscriber) {
            this.subscriber = subscriber;
        }

        @Override
        public void subscribeTo(String topic) {
            permissions.check(ResourceName.topic(database, topic), Action.PUBSUB_SUBSCRIBE);
            subscriber.subscribeTo(topic);
        }

        @Override
        public void unsubscribeFrom(String topic) {
            subscriber.unsubscribeFrom(topic);
        }

        @Override
        public Optional<Message> receive() throws InterruptedException {
            return subscriber.receive();
        }

        @Override
        public Optional<Message> receive(Duration timeout) throws InterruptedException {
            return subscriber.receive(timeout);
        }

        @Override
        public Optional<Message> tryReceive() {
            return subscriber.tryReceive();
        }

        @Override
        public int capacity() {
            return subscriber.capacity();
        }

        @Override
        public long droppedCount() {
            return subscriber.droppedCount();
        }

        @Override
        public void close() {
            subscriber.close();
        }
    }
}
