package dev.arbor.js.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;

import java.util.List;

/**
 * CouchDB's {@code _stats} ({@code couch_query_servers:builtin_stats}): for numbers
 * {@code {"sum", "count", "min", "max", "sumsqr"}}; for arrays of numbers an array of those, element by
 * element; values that already are such objects (earlier reductions, or pre-aggregated values a map
 * emits) are merged in. An empty input is all zeros.
 *
 * <p>Bad input fails the query, as in CouchDB, where it is a 500 with error {@code invalid_value}; here
 * an {@link ArborException.QueryFailed} with that error and CouchDB's reason.
 */
public final class Stats {
    private static final JsonNodeFactory NODES = Json.MAPPER.getNodeFactory();
    private static final List<String> FIELDS = List.of("sum", "count", "min", "max", "sumsqr");

    private Stats() {}

    public static JsonNode of(List<JsonNode> values) {
        if (values.isEmpty()) {
            return stats(IntNode.valueOf(0), IntNode.valueOf(0), IntNode.valueOf(0), IntNode.valueOf(0), IntNode.valueOf(0));
        }
        JsonNode total = initial(values.get(0));
        for (JsonNode value : values.subList(1, values.size())) {
            total = combine(value, total);
        }
        return total;
    }

    private static JsonNode initial(JsonNode first) {
        if (first.isArray()) {
            ArrayNode result = NODES.arrayNode(first.size());
            first.forEach(element -> result.add(initial(element)));
            return result;
        }
        if (first.isNumber()) {
            return single(first);
        }
        if (first.isObject()) {
            return unpack(first);
        }
        throw invalid("non-numeric _stats input: " + ErlangTermPrinter.formatWritten(first));
    }

    /** stat_values(Value, Acc): arrays pair up (they must be equally long), objects and numbers merge. */
    private static JsonNode combine(JsonNode value, JsonNode total) {
        if (value.isArray() && total.isArray()) {
            if (value.size() != total.size()) {
                throw invalid("The _stats function requires arrays of one length, not " + value.size() + " and " + total.size());
            }
            ArrayNode result = NODES.arrayNode(value.size());
            for (int i = 0; i < value.size(); i++) {
                result.add(combine(value.get(i), total.get(i)));
            }
            return result;
        }
        if (value.isObject() && total.isObject()) {
            return merge(unpack(value), total);
        }
        if (value.isNumber() && total.isObject()) {
            return merge(single(value), total);
        }
        throw invalid("non-numeric _stats input: " + ErlangTermPrinter.formatWritten(value));
    }

    private static ObjectNode merge(JsonNode a, JsonNode b) {
        return stats(
                ErlangNumbers.add(a.get("sum"), b.get("sum")),
                ErlangNumbers.add(a.get("count"), b.get("count")),
                ErlangNumbers.compare(a.get("min"), b.get("min")) <= 0 ? a.get("min") : b.get("min"),
                ErlangNumbers.compare(a.get("max"), b.get("max")) >= 0 ? a.get("max") : b.get("max"),
                ErlangNumbers.add(a.get("sumsqr"), b.get("sumsqr")));
    }

    private static ObjectNode single(JsonNode number) {
        return stats(number, IntNode.valueOf(1), number, number, ErlangNumbers.square(number));
    }

    /** A pre-aggregated value: every field must be there and be a number. */
    private static ObjectNode unpack(JsonNode object) {
        for (String field : FIELDS) {
            JsonNode value = object.get(field);
            if (value == null) {
                // CouchDB prints the object's member list ({[...]} without its braces).
                String members = ErlangTermPrinter.format(object);
                throw invalid("user _stats input missing required field " + field + " ("
                        + members.substring(1, members.length() - 1) + ")");
            }
            if (!value.isNumber()) {
                throw invalid("non-numeric _stats input received for " + field + ": " + ErlangTermPrinter.formatWritten(value));
            }
        }
        return stats(object.get("sum"), object.get("count"), object.get("min"), object.get("max"), object.get("sumsqr"));
    }

    private static ObjectNode stats(JsonNode sum, JsonNode count, JsonNode min, JsonNode max, JsonNode sumsqr) {
        ObjectNode result = NODES.objectNode();
        result.set("sum", sum);
        result.set("count", count);
        result.set("min", min);
        result.set("max", max);
        result.set("sumsqr", sumsqr);
        return result;
    }

    private static ArborException invalid(String reason) {
        return new ArborException.QueryFailed("invalid_value", reason);
    }
}
