package dev.arbor.core.mango;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.core.collate.Collation;

import java.math.BigInteger;
import java.util.Comparator;
import java.util.Iterator;

/**
 * CouchDB's {@code mango_selector:match/3} over {@link Selector} trees. Values compare in view collation
 * ({@link Collation}), except below a field named exactly {@code _id}, where CouchDB switches to raw Erlang
 * term order ({@link ErlangTerms#compare}, strings by bytes). Arrays are values like any other: {@code $eq}
 * and the range operators compare a whole array, only {@code $in}, {@code $nin}, {@code $all},
 * {@code $elemMatch}, {@code $allMatch} and {@code $size} look at elements.
 */
final class SelectorMatcher {
    private static final Comparator<JsonNode> COLLATED = Collation.INSTANCE;
    private static final Comparator<JsonNode> RAW = ErlangTerms::compare;

    private SelectorMatcher() {}

    static boolean matches(Selector selector, JsonNode doc) {
        return selector instanceof Selector.MatchAll || matches(selector, doc, COLLATED);
    }

    private static boolean matches(Selector selector, JsonNode value, Comparator<JsonNode> cmp) {
        return switch (selector) {
            case Selector.MatchAll all -> true;
            case Selector.And and -> {
                for (Selector clause : and.clauses()) {
                    if (!matches(clause, value, cmp)) yield false;
                }
                yield true;
            }
            case Selector.Or or -> {
                if (or.clauses().isEmpty()) yield true; // CouchDB: an empty $or is true, like an empty $and
                for (Selector clause : or.clauses()) {
                    if (matches(clause, value, cmp)) yield true;
                }
                yield false;
            }
            case Selector.Not not -> !matches(not.clause(), value, cmp);
            case Selector.Field field -> matchesField(field, value, cmp);
        };
    }

    private static boolean matchesField(Selector.Field field, JsonNode value, Comparator<JsonNode> cmp) {
        if (field.path().isSelf()) {
            return matches(field.condition(), value, cmp);
        }
        return switch (field.path().lookup(value)) {
            case FieldPath.Lookup.Found found ->
                    matches(field.condition(), found.value(), field.path().text().equals("_id") ? RAW : cmp);
            case FieldPath.Lookup.Missing missing ->
                    missing == FieldPath.Lookup.Missing.NOT_FOUND && field.condition().equals(new Condition.Exists(false));
        };
    }

    private static boolean matches(Condition condition, JsonNode value, Comparator<JsonNode> cmp) {
        return switch (condition) {
            case Condition.Compare compare -> compare.operator().holds(cmp.compare(value, compare.operand()));
            case Condition.In in -> anyEqual(value, in, cmp);
            case Condition.NotIn notIn -> noneEqual(value, notIn, cmp);
            case Condition.Exists exists -> exists.exists(); // reached only when the value is there
            case Condition.Type type -> type.type().equals(typeName(value));
            case Condition.Size size -> value.isArray() && BigInteger.valueOf(value.size()).equals(size.size());
            case Condition.Mod mod -> value.isIntegralNumber()
                    && value.bigIntegerValue().remainder(mod.divisor()).equals(mod.remainder());
            case Condition.Regex regex -> value.isTextual() && RegexCondition.find(regex.compiled(), value.textValue());
            case Condition.BeginsWith prefix -> value.isTextual() && value.textValue().startsWith(prefix.prefix());
            case Condition.All all -> matchesAll(all, value);
            case Condition.ElemMatch elemMatch -> {
                if (!value.isArray()) yield false;
                for (JsonNode element : value) {
                    if (matches(elemMatch.selector(), element, cmp)) yield true;
                }
                yield false;
            }
            case Condition.AllMatch allMatch -> {
                if (!value.isArray() || value.isEmpty()) yield false;
                for (JsonNode element : value) {
                    if (!matches(allMatch.selector(), element, cmp)) yield false;
                }
                yield true;
            }
            case Condition.KeyMapMatch keyMapMatch -> {
                if (!value.isObject()) yield false;
                for (Iterator<String> names = value.fieldNames(); names.hasNext(); ) {
                    JsonNode name = dev.arbor.core.json.Json.MAPPER.getNodeFactory().textNode(names.next());
                    if (matches(keyMapMatch.selector(), name, cmp)) yield true;
                }
                yield false;
            }
            case Condition.Not not -> !matches(not.condition(), value, cmp);
        };
    }

    /** {@code $in} on an array asks whether any element equals any argument; the array itself is never compared. */
    private static boolean anyEqual(JsonNode value, Condition.In in, Comparator<JsonNode> cmp) {
        for (JsonNode arg : in.values()) {
            if (value.isArray()) {
                for (JsonNode element : value) {
                    if (cmp.compare(element, arg) == 0) return true;
                }
            } else if (cmp.compare(value, arg) == 0) {
                return true;
            }
        }
        return false;
    }

    private static boolean noneEqual(JsonNode value, Condition.NotIn notIn, Comparator<JsonNode> cmp) {
        for (JsonNode arg : notIn.values()) {
            if (value.isArray()) {
                for (JsonNode element : value) {
                    if (cmp.compare(element, arg) == 0) return false;
                }
            } else if (cmp.compare(value, arg) == 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * CouchDB's {@code $all}: never for {@code []}; for a single array argument, true when the value equals it
     * ({@code ==}); otherwise the value must be an array holding each argument ({@code lists:member}, which
     * is exact: {@code 1} does not find {@code 1.0}, and collation plays no part).
     */
    private static boolean matchesAll(Condition.All all, JsonNode value) {
        if (all.values().isEmpty()) {
            return false;
        }
        if (all.values().size() == 1 && all.values().getFirst().isArray()
                && ErlangTerms.equal(all.values().getFirst(), value)) {
            return true;
        }
        if (!value.isArray()) {
            return false;
        }
        for (JsonNode arg : all.values()) {
            boolean member = false;
            for (JsonNode element : value) {
                if (ErlangTerms.exactlyEqual(element, arg)) {
                    member = true;
                    break;
                }
            }
            if (!member) return false;
        }
        return true;
    }

    /** {@code mango_json:type/1}. */
    static String typeName(JsonNode value) {
        return switch (value.getNodeType()) {
            case NULL -> "null";
            case BOOLEAN -> "boolean";
            case NUMBER -> "number";
            case STRING -> "string";
            case OBJECT -> "object";
            case ARRAY -> "array";
            default -> "unknown";
        };
    }
}
