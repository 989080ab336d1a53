package dev.arbor.core.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.core.error.ArborException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The one Jackson configuration Arbor uses. {@link ObjectMapper} is thread-safe once configured,
 * so this single instance is shared by every thread.
 */
public final class Json {
    /** Deeper JSON than this is refused with {@code bad_request} rather than risking a stack overflow. */
    public static final int MAX_NESTING_DEPTH = 500;

    public static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            // A character outside the BMP as 4 bytes of UTF-8, not as two escapes: CouchDB's replicator reads
            // _changes with a parser (json_stream_parse) that cannot decode an escaped surrogate pair.
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
            .build())
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            // '{"a":1} trailing' is malformed, as CouchDB says; Jackson would stop after the first value.
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // A repeated member is accepted and the last one wins, as CouchDB's parser (jiffy, dedupe_keys) does:
            // CouchDB's own replicator can send a _revs_diff naming one id twice.
            .setNodeFactory(new DecimalKeepingNodeFactory());

    /** Reads JSON that Arbor wrote itself (stored bodies), which was validated on the way in. */
    public static final com.fasterxml.jackson.databind.ObjectReader STORED = MAPPER.reader();

    /** {@link #STORED} reading one value of a body from a parser positioned on it, leaving the rest to the caller. */
    private static final com.fasterxml.jackson.databind.ObjectReader STORED_MEMBER =
            STORED.without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Json() {}

    /**
     * Exact decimals, and a decimal whose digits have no fraction ({@code 1.5e1}, {@code 5e0}, {@code -2e0}) keeps one
     * zero fraction digit: {@link java.math.BigDecimal#toString()} would write it as an integer ({@code 15}), turning a
     * float into an integer in the stored body, where CouchDB keeps the float ({@code 15.0}), and so changing the
     * revision id of the edit.
     */
    private static final class DecimalKeepingNodeFactory extends JsonNodeFactory {
        DecimalKeepingNodeFactory() {
            super(true);
        }

        @Override
        public com.fasterxml.jackson.databind.node.ObjectNode objectNode() {
            return new LastWinsObjectNode(this);
        }

        @Override
        public com.fasterxml.jackson.databind.node.ValueNode numberNode(java.math.BigDecimal value) {
            return super.numberNode(value != null && value.scale() == 0 ? value.setScale(1) : value);
        }
    }

    /**
     * An object whose {@link #replace} moves the member to the end: Jackson's tree reader adds members with it, so a
     * repeated member keeps its last value at its last place, as CouchDB's parser (jiffy with dedupe_keys) leaves it
     * ({@code {"x":1,"y":2,"x":3}} is {@code {"y":2,"x":3}}), and the body, and so the revision id, come out the same.
     */
    private static final class LastWinsObjectNode extends com.fasterxml.jackson.databind.node.ObjectNode {
        LastWinsObjectNode(JsonNodeFactory factory) {
            super(factory);
        }

        @Override
        public JsonNode replace(String name, JsonNode value) {
            JsonNode old = _children.remove(name);
            _children.put(name, value == null ? nullNode() : value);
            return old;
        }
    }

    /**
     * The value at {@code token} of a stored body's parser ({@link #STORED}), as a whole-body parse gives it: strings,
     * literals and integers built directly (as the mapper's node deserializer builds them, without a deserialization
     * context each), other numbers and containers as the mapper reads them. Lets a reader build only the members it
     * needs of a body.
     */
    public static JsonNode storedValue(com.fasterxml.jackson.core.JsonToken token, JsonParser parser)
            throws IOException {
        return switch (token) {
            case VALUE_STRING -> com.fasterxml.jackson.databind.node.TextNode.valueOf(parser.getText());
            case VALUE_NUMBER_INT -> switch (parser.getNumberType()) {
                case INT -> com.fasterxml.jackson.databind.node.IntNode.valueOf(parser.getIntValue());
                case LONG -> com.fasterxml.jackson.databind.node.LongNode.valueOf(parser.getLongValue());
                default -> com.fasterxml.jackson.databind.node.BigIntegerNode.valueOf(parser.getBigIntegerValue());
            };
            case VALUE_TRUE -> com.fasterxml.jackson.databind.node.BooleanNode.TRUE;
            case VALUE_FALSE -> com.fasterxml.jackson.databind.node.BooleanNode.FALSE;
            case VALUE_NULL -> com.fasterxml.jackson.databind.node.NullNode.instance;
            default -> STORED_MEMBER.readTree(parser);
        };
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /**
     * Parses JSON text, turning any malformed input into CouchDB's {@code bad_request}. Jackson reports a number
     * {@link java.math.BigDecimal} cannot hold (such as {@code 1e22222222222}) with an unchecked
     * {@link NumberFormatException}, not an {@link IOException}; it is malformed input all the same (found by fuzzing).
     */
    public static JsonNode parse(String text) {
        try {
            return orEmpty(MAPPER.readTree(text));
        } catch (IOException | NumberFormatException e) {
            throw invalid(e);
        }
    }

    public static JsonNode parse(byte[] bytes) {
        try {
            return orEmpty(MAPPER.readTree(bytes));
        } catch (IOException | NumberFormatException e) {
            throw invalid(e);
        }
    }

    /** Parses a JSON stream, as {@link #parse(String)} does. */
    public static JsonNode parse(java.io.InputStream in) {
        try {
            return orEmpty(MAPPER.readTree(in));
        } catch (IOException | NumberFormatException e) {
            throw invalid(e);
        }
    }

    private static JsonNode orEmpty(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            throw new ArborException.BadRequest("bad_request", INVALID + ": no JSON value (empty input)");
        }
        return node;
    }

    /** The start of CouchDB's reason for malformed JSON, which clients may match on; Arbor adds what is wrong. */
    public static final String INVALID = "invalid UTF-8 JSON";

    /**
     * CouchDB's 400 {@code bad_request} for malformed JSON, its reason saying what is wrong and where
     * ({@code invalid UTF-8 JSON: unexpected end-of-input ... at line 1, column 7}).
     */
    public static ArborException invalid(Exception e) {
        String detail;
        if (e instanceof com.fasterxml.jackson.core.JsonProcessingException jp) {
            var at = jp.getLocation();
            detail = firstLine(jp.getOriginalMessage())
                    + (at == null || at.getLineNr() < 1 ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr());
        } else if (e instanceof NumberFormatException) {
            detail = "a number out of range";
        } else {
            detail = firstLine(e.getMessage());
        }
        return new ArborException.BadRequest("bad_request", INVALID + ": " + detail, e);
    }

    /** Parses text that must be a JSON object (a document body). */
    public static ObjectNode parseObject(String text) {
        JsonNode node = parse(text);
        if (!(node instanceof ObjectNode object)) {
            throw new ArborException.BadRequest("bad_request", "Document must be a JSON object");
        }
        return object;
    }

    /**
     * The JSON bytes of a tree. Written node by node with a generator: {@code writeValueAsBytes} would
     * resolve serializers by type on every call, which costs more than the writing on a hot path.
     */
    public static byte[] bytes(JsonNode node) {
        return bytes(node, null);
    }

    /** Like {@link #bytes(JsonNode)}, but an object's top-level members for which {@code skip} is true are left out. */
    public static byte[] bytes(JsonNode node, java.util.function.Predicate<String> skip) {
        TreeEncoder encoder = TreeEncoder.acquire();
        try {
            return encoder.encode(node, skip);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            encoder.release();
        }
    }

    /** Writes a tree. Recursion depth is bounded by {@link #MAX_NESTING_DEPTH}, which parsing enforces. */
    public static void write(JsonNode node, com.fasterxml.jackson.core.JsonGenerator gen) throws IOException {
        switch (node.getNodeType()) {
            case OBJECT -> {
                gen.writeStartObject();
                for (var it = node.fields(); it.hasNext(); ) {
                    var field = it.next();
                    gen.writeFieldName(field.getKey());
                    write(field.getValue(), gen);
                }
                gen.writeEndObject();
            }
            case ARRAY -> {
                gen.writeStartArray();
                for (JsonNode element : node) {
                    write(element, gen);
                }
                gen.writeEndArray();
            }
            case STRING -> gen.writeString(node.textValue());
            case NUMBER -> {
                switch (node.numberType()) {
                    case INT -> gen.writeNumber(node.intValue());
                    case LONG -> gen.writeNumber(node.longValue());
                    case BIG_INTEGER -> gen.writeNumber(node.bigIntegerValue());
                    case FLOAT -> gen.writeNumber(node.floatValue());
                    case DOUBLE -> gen.writeNumber(node.doubleValue());
                    case BIG_DECIMAL -> gen.writeNumber(node.decimalValue());
                }
            }
            case BOOLEAN -> gen.writeBoolean(node.booleanValue());
            case NULL -> gen.writeNull();
            case BINARY -> gen.writeBinary(node.binaryValue());
            default -> gen.writeTree(node);
        }
    }

    public static String text(JsonNode node) {
        return new String(bytes(node), StandardCharsets.UTF_8);
    }

    /** Jackson's way of naming a position inside its message: its input (always redacted here) and line/column. */
    private static final java.util.regex.Pattern JACKSON_LOCATION =
            java.util.regex.Pattern.compile("\\[Source: [^;\\]]*; line: (\\d+), column: (\\d+)]");

    /** The message's first line, with Jackson's location notes in plain words (they name no input the client sent). */
    private static String firstLine(String message) {
        if (message == null) return "";
        int nl = message.indexOf('\n');
        String line = nl < 0 ? message : message.substring(0, nl);
        return JACKSON_LOCATION.matcher(line).replaceAll("line $1, column $2");
    }
}
