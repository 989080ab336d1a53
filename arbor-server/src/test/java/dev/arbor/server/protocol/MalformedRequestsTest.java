package dev.arbor.server.protocol;

import dev.arbor.core.json.Json;
import dev.arbor.protocol.Frame;
import dev.arbor.protocol.Frames;
import dev.arbor.protocol.Protocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.arbor.api.custom.Api;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A request the server cannot carry out as sent is that request's 400, saying what is wrong; the connection goes on. A
 * frame that breaks the protocol itself (not CBOR, an unknown kind, too large, an id still in flight, a second hello)
 * closes that connection with a reason, and every other client goes on.
 */
class MalformedRequestsTest {
    record Hold() {}

    /** An API whose calls wait until {@link #release} opens: a request that stays in flight as long as a test needs. */
    static final Api<Hold, Hold> HOLD = Api.of("hold", Hold.class, Hold.class).openToAll();
    static volatile CountDownLatch release = new CountDownLatch(1);
    static final long MAX_FRAME_BYTES = 64 * 1024;

    @RegisterExtension
    static final SecuredLoopbackServer server = new SecuredLoopbackServer(builder -> builder.api(HOLD, (hold, caller) -> {
        try {
            release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return hold;
    })).maxFrameBytes(MAX_FRAME_BYTES);

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

    @Test
    void anIdReusedWhileItsRequestIsInFlightClosesThatConnectionAndNeitherRequestIsAnsweredTwice() throws Exception {
        release = new CountDownLatch(1);
        RawProtocolClient bystander = greeted();
        RawProtocolClient raw = greeted();
        var hold = Json.object().put("name", "hold");
        hold.putObject("request");
        raw.send(new Frame.Request(5, "api.call", hold));
        raw.send(new Frame.Request(5, "storage.list", Json.object()));

        Frame.Failure refused = assertInstanceOf(Frame.Failure.class, raw.next());
        assertEquals(new Frame.Failure(0, 400, "bad_request",
                "request id 5 is already in flight on this connection: an id may be used again only after its answer"), refused);
        assertEquals(Protocol.CLOSE_PROTOCOL_ERROR, raw.closed.get(10, TimeUnit.SECONDS));
        release.countDown();

        bystander.send(new Frame.Request(5, "storage.list", Json.object()));
        assertInstanceOf(Frame.Response.class, bystander.next(), "ids are per connection: another client's 5 is its own");
    }

    @Test
    void anIdIsFreeAgainOnceItsAnswerCameAndACorrectClientReusingItIsNeverRefused() throws Exception {
        RawProtocolClient raw = greeted();
        for (int i = 0; i < 200; i++) {
            raw.send(new Frame.Request(1, "storage.exists", Json.object().put("name", "reused-" + i)));
            assertEquals(new Frame.Response(1, Json.MAPPER.getNodeFactory().booleanNode(false)), raw.next());
        }
    }

    @Test
    void aFrameThatIsNotCborClosesThatConnectionWithAReasonAndAnotherClientGoesOn() throws Exception {
        byte[] request = Frames.encode(new Frame.Request(1, "storage.list", Json.object()));
        assertClosedWithReason(java.util.Arrays.copyOf(request, request.length / 2), "a frame is not CBOR");
    }

    @Test
    void aFrameOfAnUnknownKindClosesThatConnectionWithAReasonAndAnotherClientGoesOn() throws Exception {
        // {"t": "gossip"}: a map of one pair, two text strings
        byte[] gossip = {(byte) 0xA1, 0x61, 't', 0x66, 'g', 'o', 's', 's', 'i', 'p'};
        assertClosedWithReason(gossip, "unknown frame kind \"gossip\"");
    }

    @Test
    void aFrameOnlyAServerSendsClosesThatConnectionWithAReasonAndAnotherClientGoesOn() throws Exception {
        assertClosedWithReason(Frames.encode(new Frame.Response(1, Json.object())),
                "a client sends only requests after its hello, not Response");
    }

    @Test
    void aFrameLargerThanTheServersLimitClosesThatConnectionAsTooLargeAndAnotherClientGoesOn() throws Exception {
        RawProtocolClient bystander = greeted();
        RawProtocolClient raw = greeted();
        var huge = Json.object().put("db", "malformed").put("key", "huge");
        huge.putObject("value").put("kind", "bytes").put("v", new byte[(int) MAX_FRAME_BYTES + 1]);
        try {
            raw.send(new Frame.Request(1, "kv.set", huge));
        } catch (java.util.concurrent.ExecutionException closedWhileSending) {
            // the server may close before it has read the whole frame
        }
        assertEquals(1009, raw.closed.get(10, TimeUnit.SECONDS), "closed as too big (1009), not read into memory");

        bystander.send(new Frame.Request(1, "storage.list", Json.object()));
        assertInstanceOf(Frame.Response.class, bystander.next());
    }

    private static void assertClosedWithReason(byte[] frame, String reason) throws Exception {
        RawProtocolClient bystander = greeted();
        RawProtocolClient raw = greeted();

        raw.sendBytes(frame);
        Frame.Failure refused = assertInstanceOf(Frame.Failure.class, raw.next());
        assertEquals(0, refused.id());
        assertEquals("bad_request", refused.error());
        assertTrue(refused.reason().startsWith(reason), refused.reason());
        assertEquals(Protocol.CLOSE_PROTOCOL_ERROR, raw.closed.get(10, TimeUnit.SECONDS));

        bystander.send(new Frame.Request(1, "storage.list", Json.object()));
        assertInstanceOf(Frame.Response.class, bystander.next());
    }

    private static RawProtocolClient greeted() throws Exception {
        return RawProtocolClient.greeted(server.port(), SecuredLoopbackServer.ADMIN, SecuredLoopbackServer.ADMIN_PASSWORD);
    }
}
