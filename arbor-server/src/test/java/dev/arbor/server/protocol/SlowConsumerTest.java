package dev.arbor.server.protocol;

import dev.arbor.api.pubsub.PubSub;
import dev.arbor.api.pubsub.Subscriber;
import dev.arbor.client.protocol.ProtocolStorage;
import dev.arbor.core.json.Json;
import dev.arbor.protocol.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client that stops reading its pushes is cut once {@code client_push_buffer} bytes of them wait unwritten, instead
 * of the server queuing them without bound; a client that reads on is unaffected.
 */
class SlowConsumerTest {
    private static final long PUSH_BUFFER = 256 * 1024;

    @RegisterExtension
    static final SecuredLoopbackServer server = SecuredLoopbackServer.withLimits(limits -> limits.withClientPushBufferBytes(PUSH_BUFFER));

    @Test
    void aClientThatStopsReadingIsCutAndAReadingOneReceivesEverything() throws Exception {
        RawProtocolClient slow = RawProtocolClient.greeted(server.port(), SecuredLoopbackServer.ADMIN, SecuredLoopbackServer.ADMIN_PASSWORD);
        slow.send(new Frame.Request(1, "pubsub.subscriber.create", Json.object().put("capacity", 100_000)));
        long id = assertInstanceOf(Frame.Response.class, slow.next()).result().asLong();
        slow.send(new Frame.Request(2, "pubsub.subscribe", Json.object().put("subscriber", id).put("topic", "flood")));
        assertInstanceOf(Frame.Response.class, slow.next());
        slow.stopReading();

        String payload = "x".repeat(10_000);
        try (ProtocolStorage fast = server.connectAsAdmin();
             Subscriber reader = fast.pubSub().orElseThrow().createSubscriber(100_000)) {
            reader.subscribeTo("flood");
            PubSub local = server.storage().pubSub().orElseThrow();

            // Far more than the TCP buffers and the push buffer together hold: the slow client must be cut on the way.
            int published = 0;
            int receivers = 2;
            long bytes = 0;
            while (receivers == 2 && bytes < 512L * 1024 * 1024) {
                receivers = local.publish("flood", payload);
                published++;
                bytes += payload.length();
                if (published % 10 == 0) {
                    catchUp(reader, published); // a reading client keeps up: under 100 KB of pushes ever wait for it
                }
            }
            assertEquals(1, receivers, "the slow client's subscriber was closed with its connection");
            assertTrue(bytes < 256L * 1024 * 1024, "cut after " + bytes + " bytes published, not never");

            while (received < published && reader.receive(Duration.ofSeconds(10)).isPresent()) {
                received++;
            }
            assertEquals(published, received, "the reading client received every message");
            assertEquals(0, reader.droppedCount());
        }
    }

    /** Messages the reading client took, during the flood and after. */
    private int received;

    private void catchUp(Subscriber reader, int published) throws InterruptedException {
        while (received < published && reader.receive(Duration.ofSeconds(10)).isPresent()) {
            received++;
        }
    }
}
