package dev.arbor.server.protocol;

import dev.arbor.protocol.Frame;
import dev.arbor.protocol.Frames;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/** A bare WebSocket client of the protocol, to send what the Java client never would and read each frame back. */
final class RawProtocolClient implements WebSocket.Listener {
    private final java.util.concurrent.BlockingQueue<Frame> frames = new java.util.concurrent.LinkedBlockingQueue<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private WebSocket socket;
    /** While set, frames are not asked for: the server's frames wait in the network, as for a client that stalls. */
    private volatile boolean stalled;

    static RawProtocolClient connect(URI uri) throws Exception {
        RawProtocolClient raw = new RawProtocolClient();
        raw.socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(uri, raw).get(10, TimeUnit.SECONDS);
        return raw;
    }

    /** Connected as {@code user} (Basic auth on the upgrade) and greeted: ready for requests. */
    static RawProtocolClient greeted(int port, String user, String password) throws Exception {
        RawProtocolClient raw = new RawProtocolClient();
        String basic = java.util.Base64.getEncoder().encodeToString((user + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        raw.socket = HttpClient.newHttpClient().newWebSocketBuilder().header("Authorization", "Basic " + basic)
                .buildAsync(URI.create("ws://127.0.0.1:" + port + dev.arbor.protocol.Protocol.PATH), raw).get(10, TimeUnit.SECONDS);
        raw.send(new Frame.Hello(dev.arbor.protocol.Protocol.VERSION));
        if (!(raw.next() instanceof Frame.Welcome)) {
            throw new AssertionError("no welcome");
        }
        return raw;
    }

    /** Stops reading frames (the next one already asked for may still come). */
    void stopReading() {
        stalled = true;
    }

    Frame next() throws InterruptedException {
        Frame frame = frames.poll(10, TimeUnit.SECONDS);
        if (frame == null) {
            throw new AssertionError("no frame within 10 s");
        }
        return frame;
    }

    void send(Frame f) throws Exception {
        sendBytes(Frames.encode(f));
    }

    /** Sends {@code bytes} as one binary message, whatever they are: for frames no encoder would make. */
    void sendBytes(byte[] bytes) throws Exception {
        socket.sendBinary(ByteBuffer.wrap(bytes), true).get(10, TimeUnit.SECONDS);
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        byte[] chunk = new byte[data.remaining()];
        data.get(chunk);
        buffer.writeBytes(chunk);
        if (last) {
            frames.add(Frames.decode(buffer.toByteArray()));
            buffer.reset();
        }
        if (!stalled) {
            webSocket.request(1);
        }
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(statusCode);
        return null;
    }
}
