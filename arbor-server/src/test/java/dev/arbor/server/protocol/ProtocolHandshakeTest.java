package dev.arbor.server.protocol;

import dev.arbor.Arbor;
import dev.arbor.api.Database;
import dev.arbor.api.Storage;
import dev.arbor.core.json.Json;
import dev.arbor.protocol.Frame;
import dev.arbor.protocol.Frames;
import dev.arbor.protocol.Protocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** How a connection starts: the client's hello names the version, and a server that does not speak it says so and closes. */
class ProtocolHandshakeTest {
    @RegisterExtension
    static final SecuredLoopbackServer server = new SecuredLoopbackServer();

    @Test
    void aHelloOfAnUnknownVersionIsAnsweredWithAClearErrorAndAClose() throws Exception {
        Raw raw = Raw.connect(URI.create("ws://127.0.0.1:" + server.port() + Protocol.PATH));
        raw.send(new Frame.Hello(Protocol.VERSION + 41));

        Frame.Failure failure = assertInstanceOf(Frame.Failure.class, raw.next());
        assertEquals(0, failure.id());
        assertEquals(400, failure.status());
        assertEquals(Protocol.UNSUPPORTED_VERSION, failure.error());
        assertEquals("this server speaks version 1 of the Arbor protocol, not version 42", failure.reason());
        assertEquals(Protocol.CLOSE_PROTOCOL_ERROR, raw.closed.get(10, TimeUnit.SECONDS));
    }

    @Test
    void aRequestBeforeTheHelloIsRefused() throws Exception {
        Raw raw = Raw.connect(URI.create("ws://127.0.0.1:" + server.port() + Protocol.PATH));
        raw.send(new Frame.Request(1, "storage.list", Json.object()));

        Frame.Failure failure = assertInstanceOf(Frame.Failure.class, raw.next());
        assertEquals("the first frame must be a hello naming the protocol version", failure.reason());
        assertEquals(Protocol.CLOSE_PROTOCOL_ERROR, raw.closed.get(10, TimeUnit.SECONDS));
    }

    @Test
    void anUnknownOperationIsABadRequestAndTheConnectionGoesOn() throws Exception {
        Raw raw = Raw.connect(URI.create("ws://127.0.0.1:" + server.port() + Protocol.PATH));
        raw.send(new Frame.Hello(Protocol.VERSION));
        assertEquals(new Frame.Welcome(Protocol.VERSION, null), raw.next());

        raw.send(new Frame.Request(7, "no.such.operation", Json.object()));
        assertEquals(new Frame.Failure(7, 400, "bad_request", "unknown operation \"no.such.operation\""), raw.next());

        raw.send(new Frame.Request(8, "storage.exists", Json.object().put("name", "nothing-here")));
        Frame.Response answer = assertInstanceOf(Frame.Response.class, raw.next());
        assertEquals(8, answer.id());
        assertEquals(false, answer.result().asBoolean());
    }

    @Test
    void arborStorageAndOpenReachTheServerThroughAWsUrl() {
        String root = "ws://" + SecuredLoopbackServer.ADMIN + ":" + SecuredLoopbackServer.ADMIN_PASSWORD + "@127.0.0.1:" + server.port();
        try (Storage storage = Arbor.storage(root)) {
            storage.createDatabase("through-the-provider");
        }
        try (Database db = Arbor.open(root + "/through-the-provider")) {
            db.put(Json.parseObject("{\"_id\":\"a\"}"));
        }
        assertEquals("a", server.storage().database("through-the-provider").get("a").get("_id").asText());
    }

    /** A bare WebSocket client, to send what the Java client never would. */
    private static final class Raw implements WebSocket.Listener {
        private final java.util.concurrent.BlockingQueue<Frame> frames = new java.util.concurrent.LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private WebSocket socket;

        static Raw connect(URI uri) throws Exception {
            Raw raw = new Raw();
            raw.socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(uri, raw).get(10, TimeUnit.SECONDS);
            return raw;
        }

        Frame next() throws InterruptedException {
            Frame frame = frames.poll(10, TimeUnit.SECONDS);
            if (frame == null) {
                throw new AssertionError("no frame within 10 s");
            }
            return frame;
        }

        void send(Frame f) throws Exception {
            socket.sendBinary(ByteBuffer.wrap(Frames.encode(f)), true).get(10, TimeUnit.SECONDS);
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
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }
    }
}
