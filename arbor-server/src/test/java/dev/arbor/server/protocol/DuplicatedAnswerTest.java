package dev.arbor.server.protocol;

import dev.arbor.client.protocol.ProtocolStorage;
import dev.arbor.client.protocol.Reconnect;
import dev.arbor.client.protocol.ReconnectingConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
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
        try (FrameRepeatingRelay relay = new FrameRepeatingRelay(server.port())) {
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

    /**
     * Forwards connections to the server; from the server to the client it passes the upgrade's response as it is,
     * then WebSocket frame by frame (a server's frames are unmasked), and writes the next binary frame twice when told.
     */
    private static final class FrameRepeatingRelay implements AutoCloseable {
        private final ServerSocket listener;
        private final java.util.Set<Socket> open = java.util.concurrent.ConcurrentHashMap.newKeySet();
        private final java.util.concurrent.atomic.AtomicInteger connections = new java.util.concurrent.atomic.AtomicInteger();
        private volatile boolean repeatNext;

        FrameRepeatingRelay(int serverPort) throws IOException {
            listener = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
            Thread.ofVirtual().start(() -> {
                while (!listener.isClosed()) {
                    try {
                        Socket client = listener.accept();
                        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), serverPort);
                        open.add(client);
                        open.add(upstream);
                        connections.incrementAndGet();
                        Thread.ofVirtual().start(() -> copy(client, upstream));
                        Thread.ofVirtual().start(() -> frames(upstream, client));
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
        }

        int port() {
            return listener.getLocalPort();
        }

        int connections() {
            return connections.get();
        }

        void repeatNextFrame() {
            repeatNext = true;
        }

        private static void copy(Socket from, Socket to) {
            try {
                from.getInputStream().transferTo(to.getOutputStream());
            } catch (IOException gone) {
                // either side closed
            } finally {
                closeBoth(from, to);
            }
        }

        private void frames(Socket from, Socket to) {
            try {
                DataInputStream in = new DataInputStream(from.getInputStream());
                OutputStream out = to.getOutputStream();
                passUpgradeResponse(in, out);
                while (true) {
                    int first = in.readUnsignedByte();
                    int second = in.readUnsignedByte();
                    int shortLength = second & 0x7F;
                    byte[] extended = new byte[shortLength == 126 ? 2 : shortLength == 127 ? 8 : 0];
                    in.readFully(extended);
                    long length = shortLength;
                    if (extended.length > 0) {
                        length = 0;
                        for (byte b : extended) {
                            length = length << 8 | (b & 0xFF);
                        }
                    }
                    byte[] payload = new byte[Math.toIntExact(length)];
                    in.readFully(payload);
                    boolean binary = (first & 0x0F) == 2;
                    int times = binary && repeatNext ? 2 : 1;
                    if (times == 2) {
                        repeatNext = false;
                    }
                    for (int i = 0; i < times; i++) {
                        out.write(first);
                        out.write(second);
                        out.write(extended);
                        out.write(payload);
                    }
                    out.flush();
                }
            } catch (IOException gone) {
                // either side closed
            } finally {
                closeBoth(from, to);
            }
        }

        /** The HTTP response to the upgrade: its lines up to the blank one. */
        private static void passUpgradeResponse(InputStream in, OutputStream out) throws IOException {
            int matched = 0;
            byte[] end = {'\r', '\n', '\r', '\n'};
            while (matched < end.length) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("closed during the upgrade");
                }
                out.write(b);
                matched = b == end[matched] ? matched + 1 : b == '\r' ? 1 : 0;
            }
            out.flush();
        }

        private static void closeBoth(Socket a, Socket b) {
            try {
                a.close();
                b.close();
            } catch (IOException ignored) {
                // closed either way
            }
        }

        @Override
        public void close() throws IOException {
            listener.close();
            for (Socket socket : open) {
                socket.close();
            }
        }
    }
}
