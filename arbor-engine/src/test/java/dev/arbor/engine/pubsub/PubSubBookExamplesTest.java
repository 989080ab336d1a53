package dev.arbor.engine.pubsub;

import dev.arbor.Arbor;
import dev.arbor.api.Database;
import dev.arbor.api.pubsub.Message;
import dev.arbor.api.pubsub.PubSub;
import dev.arbor.api.pubsub.Subscriber;
import dev.arbor.api.pubsub.Topic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** BonsaiDb's pub/sub examples (examples/basic-local/examples/pubsub.rs: ping-pong) and a chat room, in Java. */
class PubSubBookExamplesTest {
    record ChatLine(String from, String text) {}

    static final Topic<ChatLine> LOBBY = Topic.of("lobby", ChatLine.class);

    @Test
    @Timeout(20)
    void pingPongUntilNoPongsRemain() throws Exception {
        try (Database db = Arbor.inMemory()) {
            PubSub pubsub = db.pubSub().orElseThrow();
            Subscriber pongs = pubsub.createSubscriber();
            pongs.subscribeTo("pong");

            int numberOfPongs = 5;
            Subscriber pings = pubsub.createSubscriber();
            pings.subscribeTo("ping");
            CountDownLatch pongerReady = new CountDownLatch(1);
            List<Integer> pingIds = new ArrayList<>();
            Thread ponger = Thread.ofPlatform().start(() -> {
                try {
                    pongerReady.countDown();
                    for (int remaining = numberOfPongs; remaining > 0; ) {
                        Message ping = pings.receive().orElseThrow();
                        pingIds.add(ping.payload(Integer.class));
                        remaining--;
                        pubsub.publish("pong", remaining);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Thread pinger = Thread.ofPlatform().daemon().start(() -> {
                try {
                    pongerReady.await();
                    for (int ping = 1; !Thread.currentThread().isInterrupted(); ping++) {
                        pubsub.publish("ping", ping);
                        Thread.sleep(20);
                    }
                } catch (InterruptedException e) {
                    // the test is over
                }
            });

            List<Integer> remainingCounts = new ArrayList<>();
            while (true) {
                Message message = pongs.receive().orElseThrow();
                assertEquals("pong", message.topic());
                int pingsRemaining = message.payload(Integer.class);
                remainingCounts.add(pingsRemaining);
                if (pingsRemaining == 0) {
                    break;
                }
            }
            pinger.interrupt();
            ponger.join();
            assertEquals(List.of(4, 3, 2, 1, 0), remainingCounts);
            assertEquals(List.of(1, 2, 3, 4, 5), pingIds, "pings arrive in the order sent");
        }
    }

    @Test
    @Timeout(20)
    void chatRoomMembersSeeEachOthersLinesButNotAfterLeaving() throws Exception {
        try (Database db = Arbor.inMemory()) {
            PubSub chat = db.pubSub().orElseThrow();
            try (Subscriber alice = chat.createSubscriber(); Subscriber bob = chat.createSubscriber()) {
                alice.subscribeTo(LOBBY);
                bob.subscribeTo(LOBBY);

                assertEquals(2, chat.publish(LOBBY, new ChatLine("alice", "hi bob")));
                assertEquals(new ChatLine("alice", "hi bob"), bob.receive().orElseThrow().payload(LOBBY));
                assertEquals(new ChatLine("alice", "hi bob"), alice.receive().orElseThrow().payload(LOBBY),
                        "a member hears her own line as everyone does");

                bob.unsubscribeFrom(LOBBY);
                assertEquals(1, chat.publish(LOBBY, new ChatLine("alice", "bob?")));
                // Publishing delivers before it returns, so nothing can still be on its way to bob.
                assertEquals(Optional.empty(), bob.tryReceive(), "bob left the lobby");
                assertEquals("bob?", alice.receive().orElseThrow().payload(LOBBY).text());
            }
        }
    }

    @Test
    @Timeout(20)
    void theChangesFeedArrivesAsMessagesOnTheChangesTopic() throws Exception {
        try (Database db = Arbor.inMemory(); Subscriber changes = db.pubSub().orElseThrow().createSubscriber()) {
            changes.subscribeTo(Topic.CHANGES);
            db.put(dev.arbor.core.json.Json.parseObject("{\"_id\":\"a\"}"));
            db.keyValue().orElseThrow().set("not-a-document", 1);
            db.put(dev.arbor.core.json.Json.parseObject("{\"_id\":\"b\"}"));
            var first = changes.receive().orElseThrow().payload(Topic.CHANGES);
            var second = changes.receive().orElseThrow().payload(Topic.CHANGES);
            assertEquals(new dev.arbor.api.CommitEvent(db.name(), 1), first);
            assertEquals(new dev.arbor.api.CommitEvent(db.name(), 2), second);
            assertTrue(changes.tryReceive().isEmpty(), "key-value writes are not document changes");
        }
    }
}
