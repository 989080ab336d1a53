package dev.arbor.js.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.core.json.Json;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * CouchDB's {@code _sum} ({@code couch_query_servers:builtin_sum_rows}), value by value in row order
 * from an accumulator that starts as the integer 0:
 * <ul>
 *   <li>numbers add; a number and an array add the number to the first element; arrays add element-wise,
 *       the longer one's tail kept;</li>
 *   <li>objects add member-wise, recursively, members sorted by name; an object replaces an accumulator
 *       that is (still) the integer 0;</li>
 *   <li>anything else makes the reduction CouchDB's error object
 *       {@code {"error": "builtin_reduce_error", "reason": ..., "caused_by": ...}} (a value, not an HTTP
 *       error: CouchDB answers 200 with it as the row's value), and such an object among the inputs of a
 *       rereduce is passed on as the result.</li>
 * </ul>
 */
public final class Sum {
    public static final String ERROR = "The _sum function requires that map values be numbers, "
            + "arrays of numbers, or objects. Objects cannot be mixed with other "
            + "data structures. Objects can be arbitrarily nested, provided that the values "
            + "for all fields are themselves numbers, arrays of numbers, or objects.";
    private static final JsonNodeFactory NODES = Json.MAPPER.getNodeFactory();

    private Sum() {}

    /** The sum of {@code values} in order, or the error object CouchDB produces instead. */
    public static JsonNode of(List<JsonNode> values) {
        JsonNode total = IntNode.valueOf(0);
        for (JsonNode value : values) {
            try {
                total = add(value, total);
            } catch (PassOn error) {
                return error.object;
            } catch (Invalid invalid) {
                ObjectNode error = NODES.objectNode();
                error.put("error", "builtin_reduce_error");
                error.put("reason", ERROR);
                error.set("caused_by", invalid.cause);
                return error;
            }
        }
        return total;
    }

    private static JsonNode add(JsonNode value, JsonNode total) {
        if (value.isNumber() && total.isNumber()) {
            return ErlangNumbers.add(total, value);
        }
        if (value.isArray() && total.isArray()) {
            return addArrays(elements(total), elements(value));
        }
        if (value.isNumber() && total.isArray()) {
            return addArrays(elements(total), List.of(value));
        }
        if (value.isArray() && total.isNumber()) {
            return addArrays(List.of(total), elements(value));
        }
        if (value.isObject()) {
            if ("builtin_reduce_error".equals(value.path("error").textValue())) {
                throw new PassOn(value);
            }
            if (total.isObject()) {
                return addObjects((ObjectNode) value, (ObjectNode) total);
            }
            if (ErlangNumbers.isIntegerZero(total)) {
                return value;
            }
        }
        throw new Invalid(value);
    }

    /** sum_arrays(Xs, Ys): pairwise while both have numbers; the first non-number pair fails with Xs' rest. */
    private static JsonNode addArrays(List<JsonNode> xs, List<JsonNode> ys) {
        ArrayNode result = NODES.arrayNode(Math.max(xs.size(), ys.size()));
        int common = Math.min(xs.size(), ys.size());
        for (int i = 0; i < common; i++) {
            if (!xs.get(i).isNumber() || !ys.get(i).isNumber()) {
                ArrayNode rest = NODES.arrayNode();
                xs.subList(i, xs.size()).forEach(rest::add);
                throw new Invalid(rest);
            }
            result.add(ErlangNumbers.add(xs.get(i), ys.get(i)));
        }
        (xs.size() > common ? xs : ys).subList(common, Math.max(xs.size(), ys.size())).forEach(result::add);
        return result;
    }

    /** sum_objects: a merge of the members sorted by name (Erlang binary order = UTF-8 byte order). */
    private static JsonNode addObjects(ObjectNode value, ObjectNode total) {
        List<Map.Entry<String, JsonNode>> left = sortedMembers(value);
        List<Map.Entry<String, JsonNode>> right = sortedMembers(total);
        ObjectNode result = NODES.objectNode();
        int i = 0;
        int j = 0;
        while (i < left.size() && j < right.size()) {
            int order = Utf8Order.compare(left.get(i).getKey(), right.get(j).getKey());
            if (order == 0) {
                result.set(left.get(i).getKey(), add(left.get(i).getValue(), right.get(j).getValue()));
                i++;
                j++;
            } else if (order < 0) {
                result.set(left.get(i).getKey(), left.get(i++).getValue());
            } else {
                result.set(right.get(j).getKey(), right.get(j++).getValue());
            }
        }
        for (; i < left.size(); i++) {
            result.set(left.get(i).getKey(), left.get(i).getValue());
        }
        for (; j < right.size(); j++) {
            result.set(right.get(j).getKey(), right.get(j).getValue());
        }
        return result;
    }

    private static List<Map.Entry<String, JsonNode>> sortedMembers(ObjectNode object) {
        List<Map.Entry<String, JsonNode>> members = new ArrayList<>(object.size());
        object.fields().forEachRemaining(members::add);
        members.sort((a, b) -> Utf8Order.compare(a.getKey(), b.getKey()));
        return members;
    }

    private static List<JsonNode> elements(JsonNode array) {
        List<JsonNode> elements = new ArrayList<>(array.size());
        for (Iterator<JsonNode> it = array.elements(); it.hasNext(); ) {
            elements.add(it.next());
        }
        return elements;
    }

    /** A value _sum cannot add (CouchDB's {@code invalid_value}), with what CouchDB reports as its cause. */
    private static final class Invalid extends RuntimeException {
        final JsonNode cause;

        Invalid(JsonNode cause) {
            super(null, null, false, false);
            this.cause = cause;
        }
    }

    /** An earlier builtin_reduce_error object found among the inputs: it becomes the result. */
    private static final class PassOn extends RuntimeException {
        final JsonNode object;

        PassOn(JsonNode object) {
            super(null, null, false, false);
            this.object = object;
        }
    }
}
