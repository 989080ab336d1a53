package dev.arbor.examples;

import dev.arbor.Arbor;
import dev.arbor.api.CommitEvent;
import dev.arbor.api.Database;
import dev.arbor.api.pubsub.Message;
import dev.arbor.api.pubsub.PubSub;
import dev.arbor.api.pubsub.Subscriber;
import dev.arbor.api.pubsub.Topic;
import dev.arbor.core.json.Json;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * BonsaiDb's pub/sub example in Java: a ponger answers pings until none remain; then a chat room
 * where two members hear each other; and the database's changes feed as a subscription.
 */
public final class PubSubChat implements Example {
    record ChatLine(String from, String text) {}

    static final Topic<ChatLine> LOBBY = Topic.of("lobby", ChatLine.class);

    @Override
    public void run(Path dataDir) throws Exception {
        try (Database db = Arbor.open(dataDir)) {
            PubSub pubsub = db.pubSub().orElseThrow();
            pingPong(pubsub);
            chat(pubsub);
            changes(db);
        }
    }

    private static void pingPong(PubSub pubsub) throws Exception {
        Subscriber pongs = pubsub.createSubscriber();
        pongs.subscribeTo("pong");
        Subscriber pings = pubsub.createSubscriber();
        pings.subscribeTo("ping");
        CountDownLatch ready = new CountDownLatch(1);
        Thread ponger = Thread.ofPlatform().start(() -> {
            try {
                int remaining = 5;
                System.out.println("ponger started, waiting to respond to " + remaining + " pings");
                ready.countDown();
                while (remaining > 0) {
                    Message ping = pings.receive().orElseThrow();
                    System.out.println("<- received " + ping.topic() + ", id " + ping.payload(Integer.class));
                    remaining--;
                    pubsub.publish("pong", remaining);
                }
                System.out.println("ponger finished");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Thread pinger = Thread.ofPlatform().daemon().start(() -> {
            try {
                ready.await();
                for (int ping = 1; ; ping++) {
                    System.out.println("-> sending ping " + ping);
                    pubsub.publish("ping", ping);
                    Thread.sleep(100);
                }
            } catch (InterruptedException e) {
                // done
            }
        });
        while (true) {
            Message pong = pongs.receive().orElseThrow();
            int remaining = pong.payload(Integer.class);
            System.out.println("<-- received " + pong.topic() + ", pings remaining: " + remaining);
            if (remaining == 0) {
                break;
            }
        }
        pinger.interrupt();
        ponger.join();
        pongs.close();
        pings.close();
        System.out.println("received all pongs");
    }

    private static void chat(PubSub pubsub) throws Exception {
        try (Subscriber alice = pubsub.createSubscriber(); Subscriber bob = pubsub.createSubscriber()) {
            alice.subscribeTo(LOBBY);
            bob.subscribeTo(LOBBY);
            for (ChatLine line : List.of(new ChatLine("alice", "hi bob"), new ChatLine("bob", "hi alice, how are you?"),
                    new ChatLine("alice", "fine, thanks"))) {
                pubsub.publish(LOBBY, line);
            }
            for (int i = 0; i < 3; i++) {
                ChatLine heard = bob.receive().orElseThrow().payload(LOBBY);
                alice.receive();
                System.out.println("[lobby] " + heard.from() + ": " + heard.text());
            }
        }
    }

    private static void changes(Database db) throws Exception {
        try (Subscriber feed = db.pubSub().orElseThrow().createSubscriber()) {
            feed.subscribeTo(Topic.CHANGES);
            db.put(Json.parseObject("{\"_id\":\"greeting\",\"text\":\"hello\"}"));
            db.put(Json.parseObject("{\"_id\":\"farewell\",\"text\":\"bye\"}"));
            for (int i = 0; i < 2; i++) {
                CommitEvent event = feed.receive().orElseThrow().payload(Topic.CHANGES);
                System.out.println("changes: database " + event.dbName() + " committed update_seq " + event.updateSeq());
            }
        }
    }
}
