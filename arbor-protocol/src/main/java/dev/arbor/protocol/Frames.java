package dev.arbor.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;

import java.io.IOException;

/**
 * Frames to and from CBOR: each frame one CBOR map whose {@code "t"} names its kind. CBOR keeps documents' numbers,
 * binary payloads and key-value bytes without base64, and the map shape lets a later version add fields that an older
 * reader ignores. Stateless and thread-safe.
 */
public final class Frames {
    private Frames() {}

    /** Reads into trees with the core mapper's node factory, so documents' decimals stay exactly as written. */
    static final ObjectMapper CBOR = new ObjectMapper(new CBORFactory())
            .setNodeFactory(Json.MAPPER.getNodeFactory());

    public static byte[] encode(Frame frame) {
        ObjectNode out = CBOR.createObjectNode();
        switch (frame) {
            case Frame.Hello hello -> {
                out.put("t", "hello").put("version", hello.version());
                if (hello.user() != null) {
                    out.put("user", hello.user()).put("password", hello.password());
                }
            }
            case Frame.Welcome welcome -> out.put("t", "welcome").put("version", welcome.version()).put("user", welcome.user());
            case Frame.Request request -> {
                out.put("t", "request").put("id", request.id()).put("op", request.op());
                out.set("args", request.args());
            }
            case Frame.Response response -> {
                out.put("t", "response").put("id", response.id());
                out.set("result", response.result() == null ? NullNode.instance : response.result());
            }
            case Frame.Failure failure -> out.put("t", "failure").put("id", failure.id()).put("status", failure.status())
                    .put("error", failure.error()).put("reason", failure.reason());
            case Frame.Push push -> out.put("t", "push").put("subscriber", push.subscriber()).put("topic", push.topic())
                    .put("payload", push.payload());
            case Frame.Chunk chunk -> {
                out.put("t", "chunk").put("id", chunk.id());
                out.set("data", chunk.data() == null ? NullNode.instance : chunk.data());
            }
            case Frame.Credit credit -> out.put("t", "credit").put("id", credit.id()).put("chunks", credit.chunks());
            case Frame.Cancel cancel -> out.put("t", "cancel").put("id", cancel.id());
        }
        try {
            return CBOR.writeValueAsBytes(out);
        } catch (IOException e) {
            throw new ArborException.Internal("cannot encode a " + frame.getClass().getSimpleName() + " frame: " + e.getMessage(), e);
        }
    }

    /** The frame in {@code bytes}; {@code bad_request} naming what is wrong when they are not one. */
    public static Frame decode(byte[] bytes) {
        JsonNode in;
        try {
            in = CBOR.readTree(bytes);
        } catch (IOException e) {
            throw new ArborException.BadRequest("bad_request", "a frame is not CBOR: " + e.getMessage());
        }
        if (in == null || !in.isObject()) {
            throw new ArborException.BadRequest("bad_request", "a frame must be a CBOR map");
        }
        String kind = in.path("t").asText("");
        return switch (kind) {
            case "hello" -> new Frame.Hello(in.path("version").asInt(-1), text(in.get("user")), text(in.get("password")));
            case "welcome" -> new Frame.Welcome(in.path("version").asInt(-1), text(in.get("user")));
            case "request" -> {
                JsonNode args = in.get("args");
                yield new Frame.Request(id(in), requireText(in, "op"),
                        args == null || args.isNull() ? JsonNodeFactory.instance.objectNode() : args);
            }
            case "response" -> new Frame.Response(id(in), in.path("result"));
            case "failure" -> new Frame.Failure(in.path("id").asLong(0), in.path("status").asInt(500),
                    text(in.get("error")), text(in.get("reason")));
            case "push" -> {
                try {
                    yield new Frame.Push(in.path("subscriber").asLong(), requireText(in, "topic"), in.path("payload").binaryValue());
                } catch (IOException e) {
                    throw new ArborException.BadRequest("bad_request", "a push frame's payload must be bytes");
                }
            }
            case "chunk" -> new Frame.Chunk(id(in), in.path("data"));
            case "credit" -> new Frame.Credit(id(in), in.path("chunks").asInt(0));
            case "cancel" -> new Frame.Cancel(id(in));
            default -> throw new ArborException.BadRequest("bad_request", "unknown frame kind \"" + kind + "\"");
        };
    }

    private static long id(JsonNode in) {
        JsonNode id = in.get("id");
        if (id == null || !id.canConvertToLong()) {
            throw new ArborException.BadRequest("bad_request", "a request frame needs an integer id");
        }
        return id.asLong();
    }

    private static String requireText(JsonNode in, String field) {
        JsonNode value = in.get(field);
        if (value == null || !value.isTextual()) {
            throw new ArborException.BadRequest("bad_request", "a frame's \"" + field + "\" must be a string");
        }
        return value.textValue();
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }
}
