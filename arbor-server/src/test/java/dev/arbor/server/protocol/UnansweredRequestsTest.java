package dev.arbor.server.protocol;

import dev.arbor.api.Database;
import dev.arbor.client.protocol.ProtocolConnection;
import dev.arbor.client.protocol.ProtocolStorage;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A request never hangs: a connection that drops while requests wait fails them at once with a clear error, and a
 * request with no answer fails when the client's timeout passes. A TCP relay on 127.0.0.1 stands between client and
 * server, so a test can stop the server's answers and cut the connection as a network would.
 */
class UnansweredRequestsTest {
    @RegisterExtension
    static final SecuredLoopbackServer server = new SecuredLoopbackServer();

    @Test
    void requestsInFlightWhenTheConnectionDropsFailAtOnceWithAClearError() throws Exception {
        server.storage().createDatabase("dropped");
        try (Relay relay = new Relay(server.port())) {
            URI uri = URI.create("ws://" + SecuredLoopbackServer.ADMIN + ":" + SecuredLoopbackServer.ADMIN_PASSWORD
                    + "@127.0.0.1:" + relay.port());
            // A long timeout: if the drop were not noticed, the test would wait for it and fail on the elapsed time.
            try (ProtocolStorage remote = new ProtocolStorage(ProtocolConnection.open(uri, Duration.ofMinutes(5)))) {
                Database db = remote.database("dropped");
                relay.holdAnswers();
                CompletableFuture<Object> inFlight = CompletableFuture.supplyAsync(() -> db.get("anything"));
                Thread.sleep(200);
                long cut = System.nanoTime();
                relay.cut();

                ExecutionException failed = assertThrows(ExecutionException.class, () -> inFlight.get(30, TimeUnit.SECONDS));
                ArborException.Internal why = assertInstanceOf(ArborException.Internal.class, failed.getCause());
                assertTrue(why.reason().contains("the connection to ws://127.0.0.1:" + relay.port()), why.reason());
                assertTrue(System.nanoTime() - cut < Duration.ofSeconds(20).toNanos(), "failed promptly");

                ArborException.Internal later = assertThrows(ArborException.Internal.class, () -> db.put(Json.parseObject("{\"_id\":\"x\"}")));
                assertTrue(later.reason().contains("the connection to"), later.reason());
            }
        }
    }

    @Test
    void aRequestWithNoAnswerWithinTheTimeoutFailsNamingTheTimeout() throws Exception {
        server.storage().createDatabase("silent");
        try (Relay relay = new Relay(server.port())) {
            URI uri = URI.create("ws://" + SecuredLoopbackServer.ADMIN + ":" + SecuredLoopbackServer.ADMIN_PASSWORD
                    + "@127.0.0.1:" + relay.port());
            try (ProtocolStorage remote = new ProtocolStorage(ProtocolConnection.open(uri, Duration.ofSeconds(3)))) {
                Database db = remote.database("silent");
                relay.holdAnswers();

                ArborException.Internal late = assertThrows(ArborException.Internal.class, () -> db.get("anything"));
                assertTrue(late.reason().startsWith("no answer to doc.get from ws://127.0.0.1:" + relay.port()), late.reason());
                assertTrue(late.reason().endsWith("within PT3S"), late.reason());
            }
        }
    }

    @Test
    void aConnectionWhoseStreamEndsMidFrameIsFoundDeadBeforeTheCallsTimeoutAndItsSubscriberIsRestored() throws Exception {
        server.storage().createDatabase("cut-mid-frame");
        try (FrameRelay relay = new FrameRelay(server.port());
             ProtocolStorage remote = new ProtocolStorage(dev.arbor.client.protocol.ReconnectingConnection.open(
                     URI.create("ws://" + SecuredLoopbackServer.ADMIN + ":" + SecuredLoopbackServer.ADMIN_PASSWORD
                             + "@127.0.0.1:" + relay.port()), Duration.ofSeconds(20),
                     new dev.arbor.client.protocol.Reconnect(true, Duration.ofMillis(10), Duration.ofMillis(100))));
             dev.arbor.api.pubsub.Subscriber subscriber = remote.database("cut-mid-frame").pubSub().orElseThrow().createSubscriber()) {
            subscriber.subscribeTo("t");
            var kv = remote.database("cut-mid-frame").keyValue().orElseThrow();

            relay.cutNextFrameMidway();
            long start = System.nanoTime();
            ArborException.Internal lost = assertThrows(ArborException.Internal.class, () -> kv.set("k", 1L));
            long waited = System.nanoTime() - start;
            assertTrue(lost.reason().contains("its outcome is unknown"), lost.reason());
            // Measured: about 10 s, four pings (the first writes after the cut still succeed); without them, the 20 s.
            assertTrue(waited < Duration.ofSeconds(17).toNanos(), "found dead by the heartbeat's pings (every 2.5 s)"
                    + " before the 20 s timeout, not at it: " + waited / 1_000_000 + " ms");

            var local = server.storage().database("cut-mid-frame").pubSub().orElseThrow();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            java.util.Optional<dev.arbor.api.pubsub.Message> received = java.util.Optional.empty();
            while (received.isEmpty() && System.nanoTime() < deadline) {
                local.publish("t", "after the cut");
                received = subscriber.receive(Duration.ofMillis(100));
            }
            assertTrue(received.isPresent(), "the subscriber was restored on a new connection, not left on the dead one");
            assertTrue(relay.connections() >= 2);
        }
    }

    /** Forwards one connection both ways; can stop forwarding the server's bytes, then close both sockets. */
    private static final class Relay implements AutoCloseable {
        private final ServerSocket listener;
        private volatile boolean holding;
        private volatile Socket client;
        private volatile Socket upstream;

        Relay(int serverPort) throws IOException {
            listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            Thread.ofVirtual().start(() -> {
                try {
                    client = listener.accept();
                    upstream = new Socket(InetAddress.getLoopbackAddress(), serverPort);
                    Thread.ofVirtual().start(() -> pump(client, upstream, false));
                    pump(upstream, client, true);
                } catch (IOException closed) {
                    // the test is over
                }
            });
        }

        int port() {
            return listener.getLocalPort();
        }

        void holdAnswers() {
            holding = true;
        }

        void cut() throws IOException {
            client.close();
            upstream.close();
        }

        private void pump(Socket from, Socket to, boolean answers) {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                byte[] buffer = new byte[8192];
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    if (!(answers && holding)) {
                        out.write(buffer, 0, n);
                        out.flush();
                    }
                }
            } catch (IOException closed) {
                // cut
            }
        }

        @Override
        public void close() throws IOException {
            listener.close();
            if (client != null) client.close();
            if (upstream != null) upstream.close();
        }
    }
}
