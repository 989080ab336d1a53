package dev.arbor.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FramesTest {

    @Test
    void everyKindOfFrameReadsBackAsWritten() {
        ObjectNode args = Json.parseObject("{\"db\":\"d\",\"doc\":{\"_id\":\"a\",\"price\":1.10,\"n\":[1,2]}}");
        for (Frame frame : List.of(new Frame.Hello(1), new Frame.Hello(1, "alice", "secret"), new Frame.Welcome(1, "alice"), new Frame.Welcome(1, null),
                new Frame.Request(42, "doc.put", args), new Frame.Response(42, args.get("doc")),
                new Frame.Failure(42, 409, "conflict", "Document update conflict."))) {
            assertEquals(frame, Frames.decode(Frames.encode(frame)));
        }
        Frame.Push push = assertInstanceOf(Frame.Push.class,
                Frames.decode(Frames.encode(new Frame.Push(3, "news", new byte[] {'"', 'x', '"'}))));
        assertEquals(3, push.subscriber());
        assertArrayEquals(new byte[] {'"', 'x', '"'}, push.payload());
    }

    @Test
    void aDocumentsDecimalsCrossExactly() {
        ObjectNode doc = Json.parseObject("{\"price\":1.10,\"big\":12345678901234567890.5}");
        Frame.Response back = (Frame.Response) Frames.decode(Frames.encode(new Frame.Response(1, doc)));
        assertEquals("{\"price\":1.10,\"big\":12345678901234567890.5}", Json.MAPPER.valueToTree(back.result()).toString());
    }

    @Test
    void aHellosPasswordIsNeverShownWhereFramesAreLoggedOrCompared() {
        Frame.Hello hello = new Frame.Hello(1, "alice", "secret");
        assertEquals("Hello[version=1, user=alice, password=…]", hello.toString());
        assertEquals("Hello[version=1, user=null]", new Frame.Hello(1).toString());
    }

    @Test
    void whatIsNotAFrameIsABadRequestSayingWhy() {
        assertEquals("a frame is not CBOR", assertThrows(ArborException.BadRequest.class,
                () -> Frames.decode(new byte[] {(byte) 0xff, 0x00})).reason().substring(0, 19));
        assertEquals("unknown frame kind \"gossip\"", assertThrows(ArborException.BadRequest.class,
                () -> Frames.decode(cbor("{\"t\":\"gossip\"}"))).reason());
        assertEquals("a request frame needs an integer id", assertThrows(ArborException.BadRequest.class,
                () -> Frames.decode(cbor("{\"t\":\"request\",\"op\":\"x\"}"))).reason());
    }

    @Test
    void failuresMapToTheSameExceptionKindsAsHttp() {
        ArborException.Conflict conflict = new ArborException.Conflict();
        assertInstanceOf(ArborException.Conflict.class, ProtocolErrors.exception(ProtocolErrors.failure(1, conflict)));
        ArborException back = ProtocolErrors.exception(ProtocolErrors.failure(1, new ArborException.Forbidden("no")));
        assertInstanceOf(ArborException.Forbidden.class, back);
        assertEquals("no", back.reason());
        assertInstanceOf(ArborException.BadRequest.class,
                ProtocolErrors.exception(new Frame.Failure(0, 400, Protocol.UNSUPPORTED_VERSION, "version 2 only")));
    }

    private static byte[] cbor(String json) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.cbor.CBORFactory())
                    .writeValueAsBytes(Json.parse(json));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
