package dev.arbor.core.mango;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.core.json.Json;

import java.math.BigInteger;
import java.util.List;
import java.util.regex.Pattern;

/** A condition on one value: the right-hand side of a {@link Selector.Field}. Immutable. */
public sealed interface Condition {
    /** The condition as CouchDB writes it in a normalized selector, e.g. {@code {"$gt": 5}}. */
    JsonNode toJson();

    /** The six comparison operators, in CouchDB collation order (raw Erlang term order for {@code _id}). */
    enum Operator {
        EQ("$eq"), NE("$ne"), GT("$gt"), GTE("$gte"), LT("$lt"), LTE("$lte");

        private final String token;

        Operator(String token) {
            this.token = token;
        }

        /** The operator as written in JSON, e.g. {@code "$gte"}. */
        public String token() {
            return token;
        }

        /** The operator that holds exactly when this one does not, as CouchDB's normalizer negates it. */
        public Operator negated() {
            return switch (this) {
                case EQ -> NE;
                case NE -> EQ;
                case GT -> LTE;
                case GTE -> LT;
                case LT -> GTE;
                case LTE -> GT;
            };
        }

        boolean holds(int comparison) {
            return switch (this) {
                case EQ -> comparison == 0;
                case NE -> comparison != 0;
                case GT -> comparison > 0;
                case GTE -> comparison >= 0;
                case LT -> comparison < 0;
                case LTE -> comparison <= 0;
            };
        }
    }

    /** {@code $eq $ne $gt $gte $lt $lte}: the value compared with {@code operand}. Arrays are compared whole. */
    record Compare(Operator operator, JsonNode operand) implements Condition {
        @Override
        public JsonNode toJson() {
            return single(operator.token(), operand);
        }
    }

    /** {@code $in}: the value, or for an array any element of it, equals one of {@code values}. */
    record In(List<JsonNode> values) implements Condition {
        public In {
            values = List.copyOf(values);
        }

        @Override
        public JsonNode toJson() {
            return single("$in", array(values));
        }
    }

    /** {@code $nin}: the value, and for an array every element of it, equals none of {@code values}. */
    record NotIn(List<JsonNode> values) implements Condition {
        public NotIn {
            values = List.copyOf(values);
        }

        @Override
        public JsonNode toJson() {
            return single("$nin", array(values));
        }
    }

    /** {@code $exists}. */
    record Exists(boolean exists) implements Condition {
        @Override
        public JsonNode toJson() {
            return single("$exists", Json.MAPPER.getNodeFactory().booleanNode(exists));
        }
    }

    /** {@code $type}: one of {@code null boolean number string array object}; any other name matches nothing. */
    record Type(String type) implements Condition {
        @Override
        public JsonNode toJson() {
            return single("$type", Json.MAPPER.getNodeFactory().textNode(type));
        }
    }

    /** {@code $size}: an array of exactly {@code size} elements. */
    record Size(BigInteger size) implements Condition {
        @Override
        public JsonNode toJson() {
            return single("$size", integer(size));
        }
    }

    /**
     * {@code $mod}: an integer (not {@code 5.0}) whose truncated remainder by {@code divisor} is
     * {@code remainder}, Erlang's {@code rem}: {@code -7 rem 3 == -1}.
     */
    record Mod(BigInteger divisor, BigInteger remainder) implements Condition {
        @Override
        public JsonNode toJson() {
            ArrayNode args = Json.MAPPER.createArrayNode().add(integer(divisor)).add(integer(remainder));
            return single("$mod", args);
        }
    }

    /**
     * {@code $regex}: a string in which {@code pattern} finds a match anywhere (anchor it to match the whole).
     * See {@link RegexCondition} for how PCRE's byte-oriented matching is reproduced.
     */
    record Regex(String pattern, Pattern compiled) implements Condition {
        public static Regex of(String pattern) {
            return new Regex(pattern, RegexCondition.compile(pattern));
        }

        @Override
        public JsonNode toJson() {
            return single("$regex", Json.MAPPER.getNodeFactory().textNode(pattern));
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Regex regex && regex.pattern.equals(pattern);
        }

        @Override
        public int hashCode() {
            return pattern.hashCode();
        }
    }

    /** {@code $beginsWith}: a string starting with {@code prefix} (code unit for code unit, no collation). */
    record BeginsWith(String prefix) implements Condition {
        @Override
        public JsonNode toJson() {
            return single("$beginsWith", Json.MAPPER.getNodeFactory().textNode(prefix));
        }
    }

    /**
     * {@code $all}: an array containing every one of {@code values} (exact Erlang equality: {@code 1} is not
     * {@code 1.0}), or, for a single array argument, an array equal to it. {@code $all: []} matches nothing.
     */
    record All(List<JsonNode> values) implements Condition {
        public All {
            values = List.copyOf(values);
        }

        @Override
        public JsonNode toJson() {
            return single("$all", array(values));
        }
    }

    /** {@code $elemMatch}: a non-empty array with at least one element matching {@code selector}. */
    record ElemMatch(Selector selector) implements Condition {
        @Override
        public JsonNode toJson() {
            return single("$elemMatch", selector.toJson());
        }
    }

    /** {@code $allMatch}: a non-empty array whose every element matches {@code selector}. */
    record AllMatch(Selector selector) implements Condition {
        @Override
        public JsonNode toJson() {
            return single("$allMatch", selector.toJson());
        }
    }

    /** {@code $keyMapMatch}: a non-empty object with at least one member name matching {@code selector}. */
    record KeyMapMatch(Selector selector) implements Condition {
        @Override
        public JsonNode toJson() {
            return single("$keyMapMatch", selector.toJson());
        }
    }

    /** A negated condition that has no opposite operator, e.g. {@code {"$not": {"$regex": "^a"}}}. */
    record Not(Condition condition) implements Condition {
        @Override
        public JsonNode toJson() {
            return single("$not", condition.toJson());
        }
    }

    private static JsonNode single(String operator, JsonNode argument) {
        ObjectNode node = Json.object();
        node.set(operator, argument);
        return node;
    }

    /** The node Jackson itself reads for this integer's JSON text, so parsed and rebuilt selectors are equal. */
    private static JsonNode integer(BigInteger value) {
        var factory = Json.MAPPER.getNodeFactory();
        if (value.bitLength() < 32) return factory.numberNode(value.intValue());
        if (value.bitLength() < 64) return factory.numberNode(value.longValue());
        return factory.numberNode(value);
    }

    private static ArrayNode array(List<JsonNode> values) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        values.forEach(array::add);
        return array;
    }
}
