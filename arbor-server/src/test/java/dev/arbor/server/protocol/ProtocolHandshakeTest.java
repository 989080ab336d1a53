package dev.arbor.server.protocol;

import dev.arbor.Arbor;
import dev.arbor.api.Database;
import dev.arbor.api.Storage;
import dev.arbor.core.json.Json;
import dev.arbor.protocol.Frame;
import dev.arbor.protocol.Protocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** How a connection starts: the client's hello names the version, and a server that does not speak it says so and closes. */
class ProtocolHandshakeTest {
    @RegisterExtension
    static final SecuredLoopbackServer server = new SecuredLoopbackServer();

    @Test
    void aHelloOfAnUnknownVersionIsAnsweredWithAClearErrorAndAClose() throws Exception {
        RawProtocolClient raw = RawProtocolClient.connect(URI.create("ws://127.0.0.1:" + server.port() + Protocol.PATH));
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
        RawProtocolClient raw = RawProtocolClient.connect(URI.create("ws://127.0.0.1:" + server.port() + Protocol.PATH));
        raw.send(new Frame.Request(1, "storage.list", Json.object()));

        Frame.Failure failure = assertInstanceOf(Frame.Failure.class, raw.next());
        assertEquals("the first frame must be a hello naming the protocol version", failure.reason());
        assertEquals(Protocol.CLOSE_PROTOCOL_ERROR, raw.closed.get(10, TimeUnit.SECONDS));
    }

    @Test
    void anUnknownOperationIsABadRequestAndTheConnectionGoesOn() throws Exception {
        RawProtocolClient raw = RawProtocolClient.connect(URI.create("ws://127.0.0.1:" + server.port() + Protocol.PATH));
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
}
