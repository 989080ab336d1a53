package dev.arbor.server.protocol;

import dev.arbor.api.keyvalue.KeyValueStore;
import dev.arbor.api.pubsub.Message;
import dev.arbor.api.pubsub.PubSub;
import dev.arbor.api.pubsub.Subscriber;
import dev.arbor.client.protocol.ProtocolStorage;
import dev.arbor.client.protocol.Reconnect;
import dev.arbor.core.error.ArborException;
import dev.arbor.server.reliability.FaultyProxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client whose connection is cut (by a proxy between it and a real server) reconnects by itself: later calls succeed
 * through the new connection, reads lost in flight are sent again, and its subscribers, live queries and commit
 * listeners are subscribed again.
 */
class ReconnectionTest {
    @RegisterExtension
    static final SecuredLoopbackServer server = new SecuredLoopbackServer();

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Reconnect FAST = new Reconnect(true, Duration.ofMillis(20), Duration.ofMillis(200));

    @Test
    void callsAfterACutSucceedThroughTheReconnectedConnection() throws Exception {
        try (FaultyProxy proxy = new FaultyProxy(server.port(), 0, 0, 1);
             ProtocolStorage remote = server.connectAsAdminThrough(proxy.port(), WAIT, FAST)) {
            remote.createDatabase("after-cut", false);

            proxy.cutAll();

            assertTrue(remote.exists("after-cut"), "a read after the cut waits for the reconnection and succeeds");
            remote.database("after-cut").keyValue().orElseThrow().set("k", 1L);
            assertEquals(1L, server.storage().database("after-cut").keyValue().orElseThrow().get("k").orElseThrow().asLong());
        }
    }

    @Test
    void aSubscriberIsSubscribedAgainAfterACutAndReceivesWhatIsPublishedThen() throws Exception {
        try (FaultyProxy proxy = new FaultyProxy(server.port(), 0, 0, 2);
             ProtocolStorage remote = server.connectAsAdminThrough(proxy.port(), WAIT, FAST);
             Subscriber subscriber = remote.pubSub().orElseThrow().createSubscriber()) {
            subscriber.subscribeTo("weather");
            subscriber.subscribeTo("news");
            PubSub local = server.storage().pubSub().orElseThrow();

            proxy.cutAll();
            // Probes on the topic restored last, until one arrives: the server may still count the lost connection's
            // subscriber for a moment, and what is published before the restoration is lost (at most once).
            long deadline = System.nanoTime() + WAIT.toNanos();
            Optional<Message> probe = Optional.empty();
            while (probe.isEmpty() && System.nanoTime() < deadline) {
                local.publish("news", "probe");
                probe = subscriber.receive(Duration.ofMillis(100));
            }
            assertTrue(probe.isPresent(), "the subscriber receives again after the cut");
            while (subscriber.tryReceive().isPresent()) {
                // later probes
            }

            assertEquals(1, local.publish("weather", "after the cut"));
            Message message = subscriber.receive(WAIT).orElseThrow();
            while (message.topic().equals("news")) {
                message = subscriber.receive(WAIT).orElseThrow(); // a probe still in flight
            }
            assertEquals("weather", message.topic());
            assertEquals("after the cut", message.payload(String.class));
        }
    }

    @Test
    void aLiveQueryIsResumedAfterACutAndCatchesUpWithTheWritesMadeDuringTheGap() throws Exception {
        server.storage().createDatabase("live-cut");
        dev.arbor.api.Database local = server.storage().database("live-cut");
        local.put((com.fasterxml.jackson.databind.node.ObjectNode) dev.arbor.core.json.Json.parse("{\"_id\":\"a\",\"n\":1}"));
        try (FaultyProxy proxy = new FaultyProxy(server.port(), 0, 0, 4);
             ProtocolStorage remote = server.connectAsAdminThrough(proxy.port(), WAIT, FAST);
             dev.arbor.api.live.LiveQuery query = remote.database("live-cut").liveQueries().orElseThrow()
                     .subscribe(new dev.arbor.api.live.LiveSpec.Find(dev.arbor.api.find.FindRequest.of(
                             dev.arbor.core.json.Json.parse("{\"n\":{\"$gt\":0}}"))))) {
            assertEquals(java.util.List.of("a"), ids(query.result()));

            proxy.cutAll();
            local.put((com.fasterxml.jackson.databind.node.ObjectNode) dev.arbor.core.json.Json.parse("{\"_id\":\"b\",\"n\":2}"));
            local.put((com.fasterxml.jackson.databind.node.ObjectNode) dev.arbor.core.json.Json.parse("{\"_id\":\"c\",\"n\":0}"));

            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!ids(query.result()).equals(java.util.List.of("a", "b")) && System.nanoTime() < deadline) {
                Optional<dev.arbor.api.live.LiveEvent> event = query.next(Duration.ofMillis(200));
                assertTrue(event.isEmpty() || event.get() instanceof dev.arbor.api.live.LiveUpdate,
                        "the query goes on through the reconnection, not ended: " + event);
            }
            assertEquals(java.util.List.of("a", "b"), ids(query.result()), "the write made during the gap arrived once");
        }
    }

    @Test
    void aCommitListenerSurvivesACutAndHearsTheCommitsAfterItInSeqOrder() throws Exception {
        server.storage().createDatabase("commits-cut");
        dev.arbor.api.Database local = server.storage().database("commits-cut");
        java.util.concurrent.BlockingQueue<dev.arbor.api.CommitEvent> events = new java.util.concurrent.LinkedBlockingQueue<>();
        try (FaultyProxy proxy = new FaultyProxy(server.port(), 0, 0, 7);
             ProtocolStorage remote = server.connectAsAdminThrough(proxy.port(), WAIT, FAST);
             dev.arbor.api.Subscription subscription = remote.database("commits-cut").onCommit(events::add)) {
            local.put((com.fasterxml.jackson.databind.node.ObjectNode) dev.arbor.core.json.Json.parse("{\"_id\":\"before\"}"));
            dev.arbor.api.CommitEvent first = events.poll(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            assertTrue(first != null, "the commit before the cut is heard");

            proxy.cutAll();
            local.put((com.fasterxml.jackson.databind.node.ObjectNode) dev.arbor.core.json.Json.parse("{\"_id\":\"during\"}"));
            // Until the listener is back (reads through the reconnected storage wait for it), then commits after it.
            assertTrue(remote.exists("commits-cut"));
            for (int i = 0; i < 5; i++) {
                local.put((com.fasterxml.jackson.databind.node.ObjectNode) dev.arbor.core.json.Json.parse("{\"_id\":\"after-" + i + "\"}"));
            }
            long last = local.info().updateSeq().number();

            java.util.List<Long> heard = new java.util.ArrayList<>(java.util.List.of(first.updateSeq().number()));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (heard.getLast() < last && System.nanoTime() < deadline) {
                dev.arbor.api.CommitEvent event = events.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
                if (event != null) {
                    heard.add(event.updateSeq().number());
                }
            }
            assertEquals(last, heard.getLast(), "the listener hears the commits after the cut: " + heard);
            for (int i = 1; i < heard.size(); i++) {
                assertTrue(heard.get(i) > heard.get(i - 1), "each event's seq after the one before: " + heard);
            }
            assertEquals(Optional.empty(), ((dev.arbor.client.protocol.ChangesSubscription) subscription).failure());
        }
    }

    private static java.util.List<String> ids(dev.arbor.api.live.LiveResult result) {
        return result.rows().stream().map(dev.arbor.api.live.LiveRow::id).toList();
    }

    @Test
    void aServerRestartMidRequestGivesTheCallerAClearErrorAndTheCallsAfterItSucceed() throws Exception {
        try (ProtocolStorage remote = server.connectAsAdminThrough(server.port(), Duration.ofSeconds(3), FAST)) {
            remote.createDatabase("restarted", false);
            KeyValueStore kv = remote.database("restarted").keyValue().orElseThrow();
            kv.set("before", 1L);

            server.stop();
            long start = System.nanoTime();
            ArborException.Internal down = assertThrows(ArborException.Internal.class, () -> kv.set("during", 2L));
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos(), "the call did not hang");
            assertTrue(down.reason().startsWith("no connection to ws://127.0.0.1:"), down.reason());

            server.restart();

            kv.set("after", 3L);
            assertEquals(3L, server.storage().database("restarted").keyValue().orElseThrow().get("after").orElseThrow().asLong());
            assertEquals(1L, kv.get("before").orElseThrow().asLong());
        }
    }

    @Test
    void aSubscriberWhoseRestorationIsRefusedEndsWithTheReasonInsteadOfStayingSilent() throws Exception {
        server.accounts().putGroup(new dev.arbor.api.permission.PermissionGroup("listeners", java.util.List.of(
                dev.arbor.api.permission.Statement.grantAll(dev.arbor.api.permission.ResourceName.database("leaving-topics"), "pubsub"))));
        server.accounts().putUser("leaving", "pw1", java.util.List.of(), java.util.List.of("listeners"));
        server.storage().createDatabase("leaving-topics");
        try (FaultyProxy proxy = new FaultyProxy(server.port(), 0, 0, 3);
             ProtocolStorage remote = new ProtocolStorage(dev.arbor.client.protocol.ReconnectingConnection.open(
                     java.net.URI.create("ws://leaving:pw1@127.0.0.1:" + proxy.port()), WAIT, FAST));
             Subscriber subscriber = remote.database("leaving-topics").pubSub().orElseThrow().createSubscriber()) {
            subscriber.subscribeTo("t");

            server.accounts().putUser("leaving", "pw2", java.util.List.of(), java.util.List.of("listeners"));
            proxy.cutAll();

            ArborException lost = assertThrows(ArborException.class, () -> subscriber.receive(WAIT));
            assertTrue(lost.reason().contains("Name or password is incorrect"), lost.reason());
            assertThrows(ArborException.class, () -> remote.exists("leaving-topics"));
        }
    }

    @Test
    void aClosedStorageWakesItsReceiversEmpty() throws Exception {
        ProtocolStorage remote = server.connectAsAdmin();
        Subscriber subscriber = remote.pubSub().orElseThrow().createSubscriber();
        subscriber.subscribeTo("t");
        remote.close();
        assertEquals(Optional.empty(), subscriber.receive(WAIT));
    }
}
