package dev.arbor.js;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.core.json.Json;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * A view's JavaScript reduce function, called as CouchDB's views.js calls it:
 * {@code reduce(keys, values, rereduce)} with {@code keys} the {@code [key, docid]} pairs, or
 * {@code null} on rereduce. A JavaScript error is logged and reduces to {@code null}, as in CouchDB.
 * With {@link JsOptions#reduceLimit()} a reduction that does not shrink fast enough becomes CouchDB's
 * {@code {"reduce_overflow_error": ...}}, and a rereduce over such a value passes it on. Thread-safe.
 */
public final class JsReduceFunction implements ReduceFunction {
    /** views.js compares reductions over this many characters with the command line they came in. */
    private static final int REDUCE_LIMIT_MIN_LENGTH = 200;
    private static final String OVERFLOW = "reduce_overflow_error";

    private final SandboxPool pool;
    private final int view;
    private final String source;
    private final JsOptions options;

    JsReduceFunction(SandboxPool pool, int view, String source, JsOptions options) {
        this.pool = pool;
        this.view = view;
        this.source = source;
        this.options = options;
    }

    @Override
    public JsonNode reduce(List<MapRow> rows) {
        String keys = json(generator -> {
            generator.writeStartArray();
            for (MapRow row : rows) {
                generator.writeStartArray();
                generator.writeTree(row.key());
                generator.writeString(row.docId());
                generator.writeEndArray();
            }
            generator.writeEndArray();
        });
        String values = json(generator -> {
            generator.writeStartArray();
            for (MapRow row : rows) {
                generator.writeTree(row.value());
            }
            generator.writeEndArray();
        });
        JsonNode result = pool.with(sandbox -> sandbox.reduce(view, keys, values, false));
        return limit(result, () -> "[\"reduce\",[" + quoted(source) + "]," + pairs(rows) + "]");
    }

    @Override
    public JsonNode rereduce(List<JsonNode> reductions) {
        for (JsonNode reduction : reductions) {
            if (reduction.isObject() && reduction.size() == 1 && reduction.has(OVERFLOW)) {
                return reduction;
            }
        }
        String values = json(generator -> {
            generator.writeStartArray();
            for (JsonNode reduction : reductions) {
                generator.writeTree(reduction);
            }
            generator.writeEndArray();
        });
        JsonNode result = pool.with(sandbox -> sandbox.reduce(view, null, values, true));
        return limit(result, () -> "[\"rereduce\",[" + quoted(source) + "]," + values + "]");
    }

    /** The source as stored in the design document. */
    public String source() {
        return source;
    }

    /** views.js's reduce_limit: output JSON (as the array of reductions) over 200 and over half the input line. */
    private JsonNode limit(JsonNode result, java.util.function.Supplier<String> inputLine) {
        if (!options.reduceLimit()) {
            return result;
        }
        String line = "[" + new String(Json.bytes(result), java.nio.charset.StandardCharsets.UTF_8) + "]";
        if (line.length() <= REDUCE_LIMIT_MIN_LENGTH || line.length() * 2L <= inputLine.get().length()) {
            return result;
        }
        ObjectNode overflow = Json.object();
        overflow.put(OVERFLOW, "Reduce output must shrink more rapidly: Current output: '"
                + line.substring(0, 100) + "'... (first 100 of " + line.length() + " bytes)");
        return overflow;
    }

    private static String pairs(List<MapRow> rows) {
        return json(generator -> {
            generator.writeStartArray();
            for (MapRow row : rows) {
                generator.writeStartArray();
                generator.writeStartArray();
                generator.writeTree(row.key());
                generator.writeString(row.docId());
                generator.writeEndArray();
                generator.writeTree(row.value());
                generator.writeEndArray();
            }
            generator.writeEndArray();
        });
    }

    private static String quoted(String text) {
        return json(generator -> generator.writeString(text));
    }

    private interface Writing {
        void write(JsonGenerator generator) throws IOException;
    }

    private static String json(Writing writing) {
        StringWriter out = new StringWriter();
        try (JsonGenerator generator = Json.MAPPER.getFactory().createGenerator(out)) {
            generator.setCodec(Json.MAPPER);
            writing.write(generator);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
