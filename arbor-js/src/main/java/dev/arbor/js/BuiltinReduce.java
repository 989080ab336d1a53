package dev.arbor.js;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import dev.arbor.js.builtin.ApproxCountDistinct;
import dev.arbor.js.builtin.Stats;
import dev.arbor.js.builtin.Sum;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * CouchDB's built-in reduce functions, run in Java. Names match by prefix, as in CouchDB
 * ({@code "_sum_of_prices"} is {@code _sum}).
 */
public final class BuiltinReduce implements ReduceFunction {
    /** CouchDB's limit for a _sum output before reduce_limit compares it with its input. */
    private static final int SUM_OVERFLOW_THRESHOLD = 4906;

    public enum Kind { SUM, COUNT, STATS, APPROX_COUNT_DISTINCT }

    private final Kind kind;
    private final JsOptions options;

    public BuiltinReduce(Kind kind, JsOptions options) {
        this.kind = kind;
        this.options = options;
    }

    /**
     * The built-in a reduce source names, empty if it is not one ({@code _} prefix); an unknown
     * {@code _name} is CouchDB's {@code invalid_design_doc}.
     */
    static Optional<BuiltinReduce> named(String source, JsOptions options) {
        if (!source.startsWith("_")) {
            return Optional.empty();
        }
        for (String prefix : List.of("_sum", "_count", "_stats", "_approx_count_distinct")) {
            if (source.startsWith(prefix)) {
                return Optional.of(new BuiltinReduce(Kind.valueOf(prefix.substring(1).toUpperCase(Locale.ROOT)), options));
            }
        }
        throw new ArborException.BadRequest("invalid_design_doc", "`" + source + "` is not a supported reduce function.");
    }

    public Kind kind() {
        return kind;
    }

    @Override
    public JsonNode reduce(List<MapRow> rows) {
        return switch (kind) {
            case COUNT -> IntNode.valueOf(rows.size());
            case SUM -> limitSum(Sum.of(values(rows)), rows);
            case STATS -> Stats.of(values(rows));
            case APPROX_COUNT_DISTINCT -> ApproxCountDistinct.sketch(rows.stream().map(MapRow::key).toList());
        };
    }

    @Override
    public JsonNode rereduce(List<JsonNode> reductions) {
        return switch (kind) {
            case COUNT -> Sum.of(reductions);
            case SUM -> limitSum(Sum.of(reductions), reductions);
            case STATS -> Stats.of(reductions);
            case APPROX_COUNT_DISTINCT -> ApproxCountDistinct.union(reductions);
        };
    }

    @Override
    public JsonNode finish(JsonNode reduction) {
        return kind == Kind.APPROX_COUNT_DISTINCT ? ApproxCountDistinct.estimate(reduction) : reduction;
    }

    /**
     * CouchDB's check_sum_overflow under reduce_limit: a sum over {@value #SUM_OVERFLOW_THRESHOLD} bytes
     * and more than half its input's size becomes an error object. CouchDB measures Erlang term sizes;
     * this measures JSON lengths, which are close but not equal.
     */
    private JsonNode limitSum(JsonNode sum, Object input) {
        if (!options.reduceLimit()) {
            return sum;
        }
        int outSize = Json.bytes(sum).length;
        if (outSize <= SUM_OVERFLOW_THRESHOLD) {
            return sum;
        }
        int inSize = Json.bytes(Json.MAPPER.valueToTree(input)).length;
        if (outSize * 2L <= inSize) {
            return sum;
        }
        String message = "Reduce output must shrink more rapidly: input size: " + inSize + " output size: " + outSize;
        options.log().accept(message);
        ObjectNode error = Json.object();
        error.put("error", "builtin_reduce_error");
        error.put("reason", message);
        return error;
    }

    private static List<JsonNode> values(List<MapRow> rows) {
        List<JsonNode> values = new ArrayList<>(rows.size());
        rows.forEach(row -> values.add(row.value()));
        return values;
    }

    @Override
    public String toString() {
        return "_" + kind.name().toLowerCase(Locale.ROOT);
    }
}
