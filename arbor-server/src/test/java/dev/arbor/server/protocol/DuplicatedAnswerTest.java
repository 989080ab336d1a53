package dev.arbor.server.protocol;

import dev.arbor.client.protocol.ProtocolStorage;
import dev.arbor.client.protocol.Reconnect;
import dev.arbor.client.protocol.ReconnectingConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A second answer to one request is a protocol error the client acts on, not a frame it quietly drops: a relay that
 * reads the server's WebSocket frames repeats one answer, and the client ends that connection, counts it, and goes on
 * through a new one.
 */
class DuplicatedAnswerTest {
    @RegisterExtension
    static final SecuredLoopbackServer server = new SecuredLoopbackServer();

    @Test
    void aSecondAnswerToOneRequestEndsThatConnectionAsAProtocolErrorAndTheClientGoesOnThroughANewOne() throws Exception {
        server.storage().createDatabase("answered-twice");
        try (FrameRelay relay = new FrameRelay(server.port())) {
            ReconnectingConnection connection = ReconnectingConnection.open(URI.create("ws://" + SecuredLoopbackServer.ADMIN
                    + ":" + SecuredLoopbackServer.ADMIN_PASSWORD + "@127.0.0.1:" + relay.port()),
                    Duration.ofSeconds(10), new Reconnect(true, Duration.ofMillis(10), Duration.ofMillis(100)));
            try (ProtocolStorage remote = new ProtocolStorage(connection)) {
                assertTrue(remote.exists("answered-twice"));
                assertEquals(0, connection.protocolErrors(), "one answer each: nothing to complain of");

                relay.repeatNextFrame();
                assertTrue(remote.exists("answered-twice"), "the first answer is the answer");
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (connection.protocolErrors() == 0 && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                assertEquals(1, connection.protocolErrors(), "the repeated answer ended its connection as a protocol error");

                assertFalse(remote.exists("never-created"), "calls go on through the next connection");
                assertEquals(2, relay.connections(), "a new connection replaced the one that broke the protocol");
            }
        }
    }
}
