package dev.arbor.client.protocol;

import dev.arbor.core.error.ArborException;
import dev.arbor.protocol.Protocol;
import dev.arbor.wire.CouchErrors;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Frames as binary messages of one JDK WebSocket to the server's {@link Protocol#PATH} ({@code ws://}, {@code wss://}).
 * User info in the URL logs in with Basic auth on the upgrade request, which the server authenticates as any HTTP one.
 *
 * <p>Threads: the JDK's WebSocket thread runs the {@link Reader}, one message at a time; sends are chained one after
 * another, since the JDK allows one outstanding send per WebSocket.
 */
final class WebSocketTransport implements Transport {
    private final HttpClient http;
    private final WebSocket socket;
    private final Object sendLock = new Object();
    /** Guarded by sendLock: the last send, which the next one waits for. */
    private CompletableFuture<?> lastSend = CompletableFuture.completedFuture(null);

    private WebSocketTransport(HttpClient http, WebSocket socket) {
        this.http = http;
        this.socket = socket;
    }

    /** Upgrades to the protocol's endpoint of {@code server}; {@code location} may carry credentials. */
    static WebSocketTransport open(URI location, URI server, Duration timeout, Listener listener) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build();
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(timeout);
        if (location.getRawUserInfo() != null) {
            String credentials = URLDecoder.decode(location.getRawUserInfo().replace("+", "%2B"), StandardCharsets.UTF_8);
            builder.header("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        try {
            WebSocket socket = builder.buildAsync(server.resolve(Protocol.PATH), new Reader(server, listener))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new WebSocketTransport(http, socket);
        } catch (ExecutionException e) {
            http.shutdownNow();
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                int status = refused.getResponse().statusCode();
                Object body = refused.getResponse().body();
                throw body instanceof byte[] bytes && bytes.length > 0 ? CouchErrors.from(status, bytes)
                        : CouchErrors.from(status, null, "the server refused the Arbor protocol at " + server.resolve(Protocol.PATH));
            }
            throw new ArborException.Internal("cannot connect to " + server + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            http.shutdownNow();
            throw new ArborException.Internal("no connection to " + server + " within " + timeout, e);
        } catch (InterruptedException e) {
            http.shutdownNow();
            Thread.currentThread().interrupt();
            throw new ArborException.Internal("interrupted while connecting to " + server, e);
        }
    }

    @Override
    public CompletableFuture<?> send(byte[] frame) {
        ByteBuffer bytes = ByteBuffer.wrap(frame);
        synchronized (sendLock) {
            CompletableFuture<?> sent = lastSend.handle((ok, failed) -> null).thenCompose(ignored -> socket.sendBinary(bytes, true));
            lastSend = sent;
            return sent;
        }
    }

    /**
     * WebSocket pings: the JDK's WebSocket does not tell its listener of a stream cut off mid-frame, or of a peer gone
     * without a reset, so a connection finds such a loss only by sending (a failed ping) or by hearing nothing back.
     */
    @Override
    public boolean pings() {
        return true;
    }

    @Override
    public CompletableFuture<?> ping() {
        synchronized (sendLock) {
            CompletableFuture<?> sent = lastSend.handle((ok, failed) -> null)
                    .thenCompose(ignored -> socket.sendPing(ByteBuffer.allocate(0)));
            lastSend = sent;
            return sent;
        }
    }

    @Override
    public void close(int code, String reason) {
        try {
            socket.sendClose(code, reason).get(1, TimeUnit.SECONDS);
        } catch (Exception alreadyGone) {
            // the server's side closes with it or has already
        } finally {
            socket.abort();
            http.shutdownNow();
        }
    }

    /** The JDK's listener: gathers each binary message's fragments and hands the whole frame on. */
    private static final class Reader implements WebSocket.Listener {
        private final URI server;
        private final Listener listener;
        private final ByteArrayOutputStream message = new ByteArrayOutputStream();

        Reader(URI server, Listener listener) {
            this.server = server;
            this.listener = listener;
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] chunk = new byte[data.remaining()];
            data.get(chunk);
            message.writeBytes(chunk);
            if (last) {
                byte[] whole = message.toByteArray();
                message.reset();
                listener.frame(whole);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
            listener.heard();
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
            listener.heard();
            webSocket.request(1);
            return null; // the JDK answers the ping itself
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            listener.ended(new ArborException.Internal("the connection to " + server
                    + " closed (" + statusCode + (reason == null || reason.isEmpty() ? "" : " " + reason) + ")", null));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            listener.ended(new ArborException.Internal("the connection to " + server + " failed: " + error, error));
        }
    }
}
