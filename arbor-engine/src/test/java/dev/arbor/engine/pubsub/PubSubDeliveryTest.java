package dev.arbor.engine.pubsub;

import dev.arbor.Arbor;
import dev.arbor.api.CommitEvent;
import dev.arbor.api.Storage;
import dev.arbor.api.pubsub.Message;
import dev.arbor.api.pubsub.Subscriber;
import dev.arbor.api.pubsub.Topic;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import dev.arbor.testkit.Eventually;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Delivery rules: who receives what, the overflow policy, reserved topics, closing. */
class PubSubDeliveryTest {
    private final EnginePubSub pubsub = new EnginePubSub();

    private static List<Integer> drain(Subscriber s) {
        List<Integer> got = new ArrayList<>();
        for (Optional<Message> m; (m = s.tryReceive()).isPresent(); ) {
            got.add(m.get().payload(Integer.class));
        }
        return got;
    }

    @Test
    void aFullQueueDropsItsOldestMessagesAndCountsThem() {
        Subscriber slow = pubsub.createSubscriber(3);
        slow.subscribeTo("t");
        for (int i = 1; i <= 10; i++) {
            assertEquals(1, pubsub.publish("t", i), "the publisher never waits, the message is always delivered");
        }
        assertEquals(List.of(8, 9, 10), drain(slow), "the newest capacity messages are kept");
        assertEquals(7, slow.droppedCount());
        assertEquals(3, slow.capacity());
    }

    @Test
    @Timeout(120) // a publisher held up by the stuck subscriber would hang here
    void aSlowSubscriberNeverHoldsUpOthersOrThePublisher() throws Exception {
        Subscriber stuck = pubsub.createSubscriber(1);
        Subscriber fast = pubsub.createSubscriber(100_000);
        stuck.subscribeTo("t");
        fast.subscribeTo("t");
        // Nobody ever receives from stuck: every publish returning, delivered to both, is what "never held up" means.
        for (int i = 0; i < 50_000; i++) {
            assertEquals(2, pubsub.publish("t", i));
        }
        assertEquals(49_999, stuck.droppedCount());
        assertEquals(0, fast.droppedCount());
        assertEquals(49_999, stuck.receive().orElseThrow().payload(Integer.class));
    }

    @Test
    void publishToAllSendsOneMessagePerTopicSubscribed() {
        Subscriber both = pubsub.createSubscriber();
        Subscriber one = pubsub.createSubscriber();
        both.subscribeTo("a");
        both.subscribeTo("b");
        one.subscribeTo("b");
        assertEquals(3, pubsub.publishToAll(List.of("a", "b", "nobody"), Map.of("n", 1)));
        assertEquals(List.of("a", "b"), List.of(both.tryReceive().orElseThrow().topic(), both.tryReceive().orElseThrow().topic()));
        Message m = one.tryReceive().orElseThrow();
        assertEquals("b", m.topic());
        assertEquals(Json.parseObject("{\"n\":1}"), m.payload(com.fasterxml.jackson.databind.node.ObjectNode.class));
        assertTrue(one.tryReceive().isEmpty());
    }

    @Test
    void subscribingTwiceDeliversOnceAndOnlyLaterMessagesArrive() {
        pubsub.publish("t", 0);
        Subscriber s = pubsub.createSubscriber();
        s.subscribeTo("t");
        s.subscribeTo("t");
        pubsub.publish("t", 1);
        assertEquals(List.of(1), drain(s), "nothing is replayed, nothing doubled");
    }

    @Test
    void reservedTopicsCannotBePublishedToByUsers() {
        var refused = assertThrows(ArborException.BadRequest.class, () -> pubsub.publish("_changes", 1));
        assertTrue(refused.getMessage().contains("reserved"), refused.getMessage());
        assertThrows(ArborException.BadRequest.class, () -> pubsub.publishToAll(List.of("ok", "_x"), 1));
        assertThrows(ArborException.BadRequest.class, () -> pubsub.publish("", 1));
    }

    @Test
    @Timeout(120)
    void closingWakesAWaitingReceiverAndStopsDelivery() throws Exception {
        Subscriber s = pubsub.createSubscriber();
        s.subscribeTo("t");
        List<Optional<Message>> received = new ArrayList<>();
        Thread waiter = Thread.ofPlatform().start(() -> {
            try {
                received.add(s.receive());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        // Close only once the receiver is really waiting: closing first would test receive on a closed subscriber.
        Eventually.until("the receiver waits for a message", () -> waiter.getState() == Thread.State.WAITING);
        s.close();
        waiter.join();
        assertEquals(List.of(Optional.empty()), received);
        assertEquals(0, pubsub.publish("t", 1), "a closed subscriber is unsubscribed");
        assertThrows(ArborException.BadRequest.class, () -> s.subscribeTo("t"));
    }

    @Test
    @Timeout(20)
    void theStoragesChangesTopicCarriesEveryDatabasesCommits() throws Exception {
        try (Storage storage = Arbor.inMemoryStorage(); Subscriber all = storage.pubSub().orElseThrow().createSubscriber()) {
            all.subscribeTo(Topic.CHANGES);
            storage.createDatabase("one").put(Json.parseObject("{\"_id\":\"x\"}"));
            storage.createDatabase("two").put(Json.parseObject("{\"_id\":\"y\"}"));
            assertEquals(new CommitEvent("one", 1), all.receive().orElseThrow().payload(Topic.CHANGES));
            assertEquals(new CommitEvent("two", 1), all.receive().orElseThrow().payload(Topic.CHANGES));
        }
    }

    @Test
    void aTreePayloadArrivesAsTheSameJsonAsTheValueItStandsFor() {
        Subscriber s = pubsub.createSubscriber(10);
        s.subscribeTo("t");
        Map<String, Object> value = new java.util.LinkedHashMap<>();
        value.put("name", "ünïcode ✓");
        value.put("n", 12345678901L);
        value.put("x", 1.5);
        value.put("list", List.of(1, "two", Map.of()));
        value.put("none", null);
        pubsub.publish("t", value);
        pubsub.publish("t", Json.MAPPER.valueToTree(value));
        String fromValue = s.tryReceive().orElseThrow().payloadJson();
        assertEquals(fromValue, s.tryReceive().orElseThrow().payloadJson(),
                "a tree (what a publish over the network carries) is written as its value would be");
    }

    @Test
    void eachCallerOfPayloadBytesGetsACopyOfItsOwn() {
        Subscriber a = pubsub.createSubscriber(10);
        a.subscribeTo("t");
        pubsub.publish("t", Map.of("k", "v"));
        Message message = a.tryReceive().orElseThrow();
        byte[] first = message.payloadBytes();
        java.util.Arrays.fill(first, (byte) 'x');
        assertEquals("{\"k\":\"v\"}", new String(message.payloadBytes(), java.nio.charset.StandardCharsets.UTF_8),
                "the shared message is unchanged by what one receiver does with its bytes");
        assertEquals("{\"k\":\"v\"}", message.payloadJson());
    }
}
