package dev.arbor.server.protocol;

import dev.arbor.api.pubsub.Message;
import dev.arbor.api.pubsub.PubSub;
import dev.arbor.api.pubsub.Subscriber;
import dev.arbor.client.protocol.ProtocolStorage;
import dev.arbor.core.error.ArborException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Pub/sub over the protocol is the server's: a message from any connection or from the server reaches every subscriber. */
class PubSubOverProtocolTest {
    @RegisterExtension
    static final SecuredLoopbackServer server = new SecuredLoopbackServer();

    private static final Duration WAIT = Duration.ofSeconds(10);

    record Greeting(String text, int n) {}

    @Test
    void aMessagePublishedInProcessReachesASubscriberOverTheNetwork() throws Exception {
        try (ProtocolStorage remote = server.connectAsAdmin();
             Subscriber subscriber = remote.pubSub().orElseThrow().createSubscriber()) {
            subscriber.subscribeTo("news");

            server.storage().pubSub().orElseThrow().publish("news", new Greeting("hello", 1));

            Message message = subscriber.receive(WAIT).orElseThrow();
            assertEquals("news", message.topic());
            assertEquals(new Greeting("hello", 1), message.payload(Greeting.class));
        }
    }

    @Test
    void aMessagePublishedOverTheNetworkReachesAnInProcessSubscriber() throws Exception {
        try (ProtocolStorage remote = server.connectAsAdmin();
             Subscriber local = server.storage().pubSub().orElseThrow().createSubscriber()) {
            local.subscribeTo("orders");

            assertEquals(1, remote.pubSub().orElseThrow().publish("orders", Map.of("id", 7)));

            assertEquals(Map.of("id", 7), local.receive(WAIT).orElseThrow().payload(Map.class));
        }
    }

    @Test
    void subscribersOnTwoConnectionsEachReceiveWhatAThirdPublishes() throws Exception {
        try (ProtocolStorage first = server.connectAsAdmin();
             ProtocolStorage second = server.connectAsAdmin();
             ProtocolStorage publisher = server.connectAsAdmin();
             Subscriber one = first.pubSub().orElseThrow().createSubscriber();
             Subscriber two = second.pubSub().orElseThrow().createSubscriber()) {
            one.subscribeTo("t");
            two.subscribeTo("t");

            assertEquals(2, publisher.pubSub().orElseThrow().publish("t", "both"));

            assertEquals("both", one.receive(WAIT).orElseThrow().payload(String.class));
            assertEquals("both", two.receive(WAIT).orElseThrow().payload(String.class));
        }
    }

    @Test
    void anUnsubscribedTopicDeliversNothingMore() throws Exception {
        try (ProtocolStorage remote = server.connectAsAdmin();
             Subscriber subscriber = remote.pubSub().orElseThrow().createSubscriber()) {
            PubSub local = server.storage().pubSub().orElseThrow();
            subscriber.subscribeTo("a");
            subscriber.subscribeTo("b");
            subscriber.unsubscribeFrom("a");

            assertEquals(0, local.publish("a", "dropped"));
            local.publish("b", "kept");

            Message first = subscriber.receive(WAIT).orElseThrow();
            assertEquals("b", first.topic());
            assertEquals(Optional.empty(), subscriber.tryReceive());
        }
    }

    @Test
    void aDatabasesPubSubIsCheckedTopicByTopicAndTheStoragesIsForServerAdmins() throws Exception {
        server.storage().createDatabase("private-topics");
        server.accounts().putUser("guest", "guestpw", java.util.List.of(), java.util.List.of());
        try (ProtocolStorage guest = server.connect("guest", "guestpw")) {
            assertThrows(ArborException.Forbidden.class, () -> guest.pubSub().orElseThrow().publish("t", 1));
            PubSub dbPubSub = guest.database("private-topics").pubSub().orElseThrow();
            assertThrows(ArborException.Forbidden.class, () -> dbPubSub.publish("t", 1));
        }
    }
}
