package dev.arbor.core.mango;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.core.json.Json;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * CouchDB's {@code mango_selector:normalize/1}, step for step on JSON trees ({@code norm_ops},
 * {@code norm_fields}, {@code norm_negations}), then the result read into {@link Selector} records. Working
 * on JSON first keeps CouchDB's quirks where they matter to results: a bare operator under {@code $and}
 * applies to the whole document, negations inside {@code $elemMatch} stay as written, and so on.
 *
 * <p>Departures, each refusing at parse time what CouchDB accepts and then fails on (with a 500, or with a
 * 400 only once a document reaches the condition): {@code $text} (text indexes are not supported:
 * {@code not_supported}), {@code $default} ({@code invalid_operator}), {@code $nor} inside {@code $elemMatch},
 * {@code $allMatch} or {@code $keyMapMatch} ({@code invalid_operator}, which is what CouchDB's matcher
 * throws there), {@code $mod} by zero ({@code bad_arg}), empty segments in a field name
 * ({@code invalid_field_name}).
 */
final class SelectorNormalizer {
    private SelectorNormalizer() {}

    static Selector parse(JsonNode json) {
        if (json == null || !json.isObject()) {
            throw MangoErrors.invalidSelectorJson(json == null ? Json.MAPPER.nullNode() : json);
        }
        if (json.isEmpty()) {
            return new Selector.MatchAll();
        }
        JsonNode normalized = normNegations(normFields(normOps(json), ""));
        if (name(normalized).isEmpty()) {
            throw MangoErrors.missingFieldName();
        }
        return toSelector(normalized);
    }

    // ---- norm_ops: validate operator arguments, make implicit $and and $eq explicit ----------------------

    private static JsonNode normOps(JsonNode selector) {
        if (!selector.isObject() || selector.isEmpty()) {
            return single("$eq", selector); // a bare value, {} included, means equality
        }
        if (selector.size() > 1) {
            ArrayNode clauses = Json.MAPPER.createArrayNode();
            for (Map.Entry<String, JsonNode> member : selector.properties()) {
                clauses.add(normOps(single(member.getKey(), member.getValue())));
            }
            return single("$and", clauses);
        }
        String key = name(selector);
        JsonNode arg = selector.get(key);
        return switch (key) {
            case "$and", "$or", "$nor" -> {
                if (!arg.isArray()) throw MangoErrors.badArg(key, arg);
                yield single(key, mapArray(arg, SelectorNormalizer::normOps));
            }
            case "$not", "$elemMatch", "$allMatch", "$keyMapMatch" -> {
                if (!arg.isObject()) throw MangoErrors.badArg(key, arg);
                yield single(key, normOps(arg));
            }
            case "$in", "$nin", "$all" -> {
                if (!arg.isArray()) throw MangoErrors.badArg(key, arg);
                yield selector;
            }
            case "$exists" -> {
                if (!arg.isBoolean()) throw MangoErrors.badArg(key, arg);
                yield selector;
            }
            case "$type" -> {
                if (!arg.isTextual()) throw MangoErrors.badArg(key, arg);
                yield selector;
            }
            case "$mod" -> {
                if (!arg.isArray() || arg.size() != 2 || !arg.get(0).isIntegralNumber() || !arg.get(1).isIntegralNumber()
                        || arg.get(0).bigIntegerValue().signum() == 0) {
                    throw MangoErrors.badArg(key, arg);
                }
                yield selector;
            }
            case "$size" -> {
                if (!arg.isIntegralNumber() || arg.bigIntegerValue().signum() < 0) throw MangoErrors.badArg(key, arg);
                yield selector;
            }
            case "$regex", "$beginsWith" -> {
                // CouchDB has no bad_arg clause for a non-string here: it falls through to "invalid operator".
                if (!arg.isTextual()) throw MangoErrors.invalidOperator(key);
                if (key.equals("$regex")) RegexCondition.compile(arg.textValue());
                yield selector;
            }
            case "$lt", "$lte", "$eq", "$ne", "$gte", "$gt" -> selector;
            case "$text" -> throw MangoErrors.notSupported(key);
            case "$where", "$geoWithin", "$geoIntersects", "$near", "$nearSphere" -> throw MangoErrors.notSupported(key);
            default -> {
                if (key.startsWith("$")) throw MangoErrors.invalidOperator(key);
                yield single(key, normOps(arg));
            }
        };
    }

    // ---- norm_fields: push field names down to the conditions as dotted paths -----------------------------

    private static JsonNode normFields(JsonNode selector, String path) {
        String key = name(selector);
        JsonNode arg = selector.get(key);
        switch (key) {
            case "$and", "$or", "$nor":
                return single(key, mapArray(arg, clause -> normFields(clause, path)));
            case "$not":
                return single(key, normFields(arg, path));
            case "$elemMatch", "$allMatch", "$keyMapMatch":
                // A sub-selector on the elements: its field names start afresh, relative to the element.
                return single(path, single(key, normFields(arg, "")));
            default:
                if (key.startsWith("$")) {
                    return single(path, selector);
                }
                return normFields(arg, path.isEmpty() ? key : path + "." + key);
        }
    }

    // ---- norm_negations: push $not and $nor down to the conditions ---------------------------------------

    private static JsonNode normNegations(JsonNode selector) {
        String key = name(selector);
        JsonNode arg = selector.get(key);
        return switch (key) {
            case "$not" -> negate(arg);
            case "$nor" -> single("$and", mapArray(arg, SelectorNormalizer::negate));
            case "$and", "$or" -> single(key, mapArray(arg, SelectorNormalizer::normNegations));
            default -> selector; // fields, whose $elemMatch sub-selectors CouchDB leaves as they are
        };
    }

    private static JsonNode negate(JsonNode selector) {
        String key = name(selector);
        JsonNode arg = selector.get(key);
        return switch (key) {
            case "$not" -> normNegations(arg);
            case "$nor" -> single("$or", mapArray(arg, SelectorNormalizer::normNegations));
            case "$and" -> single("$or", mapArray(arg, SelectorNormalizer::negate));
            case "$or" -> single("$and", mapArray(arg, SelectorNormalizer::negate));
            case "$lt" -> single("$gte", arg);
            case "$lte" -> single("$gt", arg);
            case "$eq" -> single("$ne", arg);
            case "$ne" -> single("$eq", arg);
            case "$gte" -> single("$lt", arg);
            case "$gt" -> single("$lte", arg);
            case "$in" -> single("$nin", arg);
            case "$nin" -> single("$in", arg);
            case "$exists" -> single("$exists", Json.MAPPER.getNodeFactory().booleanNode(!arg.booleanValue()));
            default -> key.startsWith("$") ? single("$not", selector) : single(key, negate(arg));
        };
    }

    // ---- the normalized JSON as records ------------------------------------------------------------------

    private static Selector toSelector(JsonNode normalized) {
        String key = name(normalized);
        JsonNode arg = normalized.get(key);
        return switch (key) {
            case "$and" -> new Selector.And(selectors(arg));
            case "$or" -> new Selector.Or(selectors(arg));
            case "$not" -> new Selector.Not(toSelector(arg));
            case "$nor" -> throw MangoErrors.invalidOperator(key); // only left inside $elemMatch and kin
            default -> {
                if (key.startsWith("$")) throw MangoErrors.badField(normalized);
                FieldPath path = key.isEmpty() ? FieldPath.SELF : FieldPath.parse(key);
                yield new Selector.Field(path, toCondition(arg));
            }
        };
    }

    private static List<Selector> selectors(JsonNode array) {
        List<Selector> selectors = new ArrayList<>(array.size());
        array.forEach(clause -> selectors.add(toSelector(clause)));
        return selectors;
    }

    private static Condition toCondition(JsonNode condition) {
        String key = name(condition);
        JsonNode arg = condition.get(key);
        return switch (key) {
            case "$eq" -> new Condition.Compare(Condition.Operator.EQ, arg);
            case "$ne" -> new Condition.Compare(Condition.Operator.NE, arg);
            case "$gt" -> new Condition.Compare(Condition.Operator.GT, arg);
            case "$gte" -> new Condition.Compare(Condition.Operator.GTE, arg);
            case "$lt" -> new Condition.Compare(Condition.Operator.LT, arg);
            case "$lte" -> new Condition.Compare(Condition.Operator.LTE, arg);
            case "$in" -> new Condition.In(elements(arg));
            case "$nin" -> new Condition.NotIn(elements(arg));
            case "$all" -> new Condition.All(elements(arg));
            case "$exists" -> new Condition.Exists(arg.booleanValue());
            case "$type" -> new Condition.Type(arg.textValue());
            case "$size" -> new Condition.Size(arg.bigIntegerValue());
            case "$mod" -> new Condition.Mod(arg.get(0).bigIntegerValue(), arg.get(1).bigIntegerValue());
            case "$regex" -> Condition.Regex.of(arg.textValue());
            case "$beginsWith" -> new Condition.BeginsWith(arg.textValue());
            case "$elemMatch" -> new Condition.ElemMatch(toSelector(arg));
            case "$allMatch" -> new Condition.AllMatch(toSelector(arg));
            case "$keyMapMatch" -> new Condition.KeyMapMatch(toSelector(arg));
            case "$not" -> new Condition.Not(toCondition(arg));
            default -> throw MangoErrors.badField(condition);
        };
    }

    private static List<JsonNode> elements(JsonNode array) {
        List<JsonNode> elements = new ArrayList<>(array.size());
        array.forEach(elements::add);
        return elements;
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    /** The member name of a one-member object. */
    private static String name(JsonNode singleMember) {
        return singleMember.fieldNames().next();
    }

    private static ObjectNode single(String key, JsonNode value) {
        ObjectNode node = Json.object();
        node.set(key, value);
        return node;
    }

    private static ArrayNode mapArray(JsonNode array, java.util.function.UnaryOperator<JsonNode> f) {
        ArrayNode mapped = Json.MAPPER.createArrayNode();
        array.forEach(element -> mapped.add(f.apply(element)));
        return mapped;
    }
}
