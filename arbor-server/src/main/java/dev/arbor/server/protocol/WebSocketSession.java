package dev.arbor.server.protocol;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

import java.nio.ByteBuffer;

/**
 * A {@link ProtocolConnection} carried by one Jetty WebSocket on the HTTP port: each binary message is one frame, and
 * {@link Session#demand} is the transport's demand (Jetty reads nothing more from the socket until asked).
 *
 * <p>Threads: Jetty calls the listener methods one at a time per session, on its (virtual) threads; Jetty queues frames
 * sent from many threads. Public only because Jetty calls the listener methods through method handles.
 */
public final class WebSocketSession implements Session.Listener {
    private static final System.Logger LOG = System.getLogger("dev.arbor.server.protocol");

    private final ProtocolConnection connection;

    WebSocketSession(ProtocolConnection connection) {
        this.connection = connection;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        connection.opened(new JettyTransport(session));
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        byte[] bytes = new byte[payload.remaining()];
        payload.get(bytes);
        callback.succeed();
        connection.frame(bytes);
    }

    @Override
    public void onWebSocketText(String message) {
        connection.notAFrame("the Arbor protocol speaks binary CBOR frames, not text");
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        connection.closed();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        LOG.log(System.Logger.Level.DEBUG, "protocol connection failed", cause);
    }

    private record JettyTransport(Session session) implements Transport {
        @Override
        public void send(byte[] frame) {
            if (session.isOpen()) {
                session.sendBinary(ByteBuffer.wrap(frame), Callback.NOOP);
            }
        }

        @Override
        public void send(byte[] frame, Runnable done) {
            if (session.isOpen()) {
                session.sendBinary(ByteBuffer.wrap(frame), Callback.from(done, failed -> done.run()));
            } else {
                done.run();
            }
        }

        @Override
        public void sendThenClose(byte[] frame, int code, String reason) {
            session.sendBinary(ByteBuffer.wrap(frame), Callback.from(
                    () -> session.close(code, reason, Callback.NOOP),
                    x -> session.disconnect()));
        }

        @Override
        public void demand() {
            session.demand();
        }

        @Override
        public void close(int code, String reason) {
            session.close(code, reason, Callback.NOOP);
        }

        @Override
        public void abort() {
            session.disconnect();
        }
    }
}
