package dev.arbor.server.protocol;

import dev.arbor.api.pubsub.Subscriber;
import dev.arbor.client.protocol.ProtocolStorage;
import dev.arbor.core.error.ArborException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A stopping server closes its protocol connections first, so clients learn it at once, and refuses the reconnections
 * that follow (503), so its stop does not wait for them; a call meanwhile fails when its wait for a connection ends.
 */
class ServerStopTest {
    @RegisterExtension
    static final SecuredLoopbackServer server = new SecuredLoopbackServer();

    @Test
    void stoppingTheServerEndsItsConnectionsAndTheirSubscribers() throws Exception {
        try (ProtocolStorage remote = server.connectAsAdminThrough(server.port(), Duration.ofSeconds(2),
                new dev.arbor.client.protocol.Reconnect(true, Duration.ofMillis(20), Duration.ofMillis(200)));
             Subscriber subscriber = remote.pubSub().orElseThrow().createSubscriber()) {
            subscriber.subscribeTo("t");
            long start = System.nanoTime();
            server.stop();
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos(), "the stop did not wait for the connection");

            assertEquals(Optional.empty(), subscriber.receive(Duration.ofSeconds(10)), "a waiting receiver wakes empty");
            ArborException.Internal after = assertThrows(ArborException.Internal.class, remote::listDatabases);
            assertTrue(after.reason().startsWith("no connection to ws://127.0.0.1:"), after.reason());
        }
    }
}
