package dev.arbor.server.protocol;

import dev.arbor.core.json.Json;
import dev.arbor.protocol.Frame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** A request the server cannot carry out as sent is that request's 400, saying what is wrong; the connection goes on. */
class MalformedRequestsTest {
    @RegisterExtension
    static final SecuredLoopbackServer server = new SecuredLoopbackServer();

    @Test
    void badArgumentsAreBadRequestsNamingTheArgumentAndTheConnectionGoesOn() throws Exception {
        server.storage().createDatabase("malformed");
        RawProtocolClient raw = RawProtocolClient.greeted(server.port(), SecuredLoopbackServer.ADMIN, SecuredLoopbackServer.ADMIN_PASSWORD);

        raw.send(new Frame.Request(1, "doc.put", Json.object().put("db", "malformed").put("doc", "not an object")));
        assertEquals(new Frame.Failure(1, 400, "bad_request", "argument \"doc\" must be a JSON object"), raw.next());

        raw.send(new Frame.Request(2, "doc.get", Json.object().put("db", "malformed")));
        assertEquals(new Frame.Failure(2, 400, "bad_request", "argument \"id\" must be a string"), raw.next());

        var negativeTtl = Json.object().put("db", "malformed").put("key", "k");
        negativeTtl.putObject("value").put("kind", "text").put("v", "x");
        negativeTtl.putObject("options").putObject("expiration").put("kind", "after").put("nanos", -5);
        raw.send(new Frame.Request(3, "kv.set", negativeTtl));
        Frame.Failure refused = assertInstanceOf(Frame.Failure.class, raw.next());
        assertEquals(400, refused.status());
        assertEquals("a time to live cannot be negative: PT-0.000000005S", refused.reason());

        raw.send(new Frame.Request(4, "storage.exists", Json.object().put("name", "malformed")));
        assertEquals(new Frame.Response(4, Json.MAPPER.getNodeFactory().booleanNode(true)), raw.next());
    }

    @Test
    void aSecondHelloClosesThatConnectionWithAReasonAndAnotherClientGoesOn() throws Exception {
        RawProtocolClient bystander = RawProtocolClient.greeted(server.port(), SecuredLoopbackServer.ADMIN, SecuredLoopbackServer.ADMIN_PASSWORD);
        RawProtocolClient raw = RawProtocolClient.greeted(server.port(), SecuredLoopbackServer.ADMIN, SecuredLoopbackServer.ADMIN_PASSWORD);

        raw.send(new Frame.Hello(dev.arbor.protocol.Protocol.VERSION));
        Frame.Failure refused = assertInstanceOf(Frame.Failure.class, raw.next());
        assertEquals(0, refused.id());
        assertEquals("bad_request", refused.error());
        assertEquals(dev.arbor.protocol.Protocol.CLOSE_PROTOCOL_ERROR, raw.closed.get(10, java.util.concurrent.TimeUnit.SECONDS));

        bystander.send(new Frame.Request(1, "storage.list", Json.object()));
        assertInstanceOf(Frame.Response.class, bystander.next());
    }
}
