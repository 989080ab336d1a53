package dev.arbor.engine.pubsub;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.api.pubsub.Message;
import dev.arbor.api.pubsub.PubSub;
import dev.arbor.api.pubsub.Subscriber;
import dev.arbor.api.pubsub.Topic;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;

import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * The in-process {@link PubSub}: a map from topic to its subscribers. Publishing serialises the
 * payload once, then offers the one immutable {@link Message} to each subscriber's bounded queue
 * ({@link QueueSubscriber#offer} never waits). Subscriber sets are copy-on-write: publishing, the hot
 * path, iterates without locking; subscribing is rare and copies.
 */
public final class EnginePubSub implements PubSub {
    private final Map<String, Set<QueueSubscriber>> subscribers = new ConcurrentHashMap<>();

    @Override
    public Subscriber createSubscriber(int capacity) {
        return new QueueSubscriber(this, capacity);
    }

    @Override
    public int publish(String topic, Object payload) {
        refuseReserved(topic);
        return deliver(topic, serialise(payload));
    }

    @Override
    public int publishToAll(Collection<String> topics, Object payload) {
        topics.forEach(EnginePubSub::refuseReserved);
        byte[] json = serialise(payload);
        int deliveries = 0;
        for (String topic : topics) {
            deliveries += deliver(topic, json);
        }
        return deliveries;
    }

    /**
     * Publishes on a reserved topic (Arbor's own, such as {@link Topic#CHANGES}); serialises nothing
     * when nobody listens, so a commit pays only a map lookup.
     */
    public <T> void publishSystem(Topic<T> topic, T payload) {
        if (subscribers.containsKey(topic.name())) {
            deliver(topic.name(), serialise(payload));
        }
    }

    private int deliver(String topic, byte[] json) {
        Set<QueueSubscriber> receivers = subscribers.get(topic);
        if (receivers == null) {
            return 0;
        }
        Message message = new Message(topic, json);
        int delivered = 0;
        for (QueueSubscriber receiver : receivers) {
            if (receiver.offer(message)) {
                delivered++;
            }
        }
        return delivered;
    }

    void add(String topic, QueueSubscriber subscriber) {
        subscribers.compute(topic, (t, set) -> {
            Set<QueueSubscriber> result = set == null ? new CopyOnWriteArraySet<>() : set;
            result.add(subscriber);
            return result;
        });
    }

    void remove(String topic, QueueSubscriber subscriber) {
        subscribers.computeIfPresent(topic, (t, set) -> {
            set.remove(subscriber);
            return set.isEmpty() ? null : set;
        });
    }

    private static void refuseReserved(String topic) {
        if (topic == null || topic.isEmpty()) {
            throw new ArborException.BadRequest("bad_request", "a topic needs a non-empty name");
        }
        if (Topic.isReserved(topic)) {
            throw new ArborException.BadRequest("bad_request", "topics starting with _ are reserved for Arbor: " + topic);
        }
    }

    /**
     * The payload's JSON. A tree (what a publish over the network brings, already parsed from its frame) is written
     * node by node ({@link Json#bytes(JsonNode)}): {@code writeValueAsBytes} would build a serializer provider and
     * resolve serializers by type for every message, which profiling showed costing more than the writing itself.
     */
    private static byte[] serialise(Object payload) {
        try {
            if (payload instanceof JsonNode tree) {
                return Json.bytes(tree);
            }
            return Json.MAPPER.writeValueAsBytes(payload);
        } catch (UncheckedIOException e) {
            throw new ArborException.BadRequest("bad_request", "cannot serialise the message: " + e.getCause().getMessage());
        } catch (JsonProcessingException e) {
            throw new ArborException.BadRequest("bad_request", "cannot serialise the message: " + e.getOriginalMessage());
        }
    }
}
