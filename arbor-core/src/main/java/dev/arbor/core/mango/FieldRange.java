package dev.arbor.core.mango;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Comparator;

/**
 * The values one field may take under a selector, as an interval: what a scan of an index on that field
 * has to cover. A {@code null} bound is open-ended (from the smallest or to the largest value).
 *
 * @param field          the field name as written in the selector
 * @param order          the order the bounds are in, which is the order the selector compares this field in
 * @param lower          the lower bound, or {@code null} for none
 * @param lowerInclusive whether a value equal to {@code lower} is in range
 * @param upper          the upper bound, or {@code null} for none
 * @param upperInclusive whether a value equal to {@code upper} is in range
 */
public record FieldRange(String field, KeyOrder order, JsonNode lower, boolean lowerInclusive,
                         JsonNode upper, boolean upperInclusive) {

    /**
     * How a field's values are ordered. Every field compares in view collation except {@code _id}, which
     * CouchDB compares as raw Erlang terms (strings by UTF-8 bytes), the order of {@code _all_docs}.
     */
    public enum KeyOrder {
        COLLATION, RAW;

        public static KeyOrder of(String field) {
            return field.equals("_id") ? RAW : COLLATION;
        }

        /** The comparator of this order. */
        public Comparator<JsonNode> comparator() {
            return this == RAW ? ErlangTerms::compare : dev.arbor.core.collate.Collation.INSTANCE;
        }
    }

    /** Every value: the field need only exist. */
    public static FieldRange unbounded(String field) {
        return new FieldRange(field, KeyOrder.of(field), null, true, null, true);
    }

    /** Whether neither end is bounded. */
    public boolean isUnbounded() {
        return lower == null && upper == null;
    }

    /** Whether the range is a single value (an equality), e.g. from {@code $eq}. */
    public boolean isPoint() {
        return lower != null && upper != null && lowerInclusive && upperInclusive
                && order.comparator().compare(lower, upper) == 0;
    }

    /** Whether no value lies in the range, e.g. {@code $gt: 5} with {@code $lt: 3}: the selector matches nothing. */
    public boolean isEmpty() {
        if (lower == null || upper == null) {
            return false;
        }
        int c = order.comparator().compare(lower, upper);
        return c > 0 || (c == 0 && !(lowerInclusive && upperInclusive));
    }

    /** Whether {@code value} lies in the range. */
    public boolean contains(JsonNode value) {
        Comparator<JsonNode> comparator = order.comparator();
        if (lower != null) {
            int c = comparator.compare(value, lower);
            if (c < 0 || (c == 0 && !lowerInclusive)) {
                return false;
            }
        }
        if (upper != null) {
            int c = comparator.compare(value, upper);
            return c < 0 || (c == 0 && upperInclusive);
        }
        return true;
    }

    /** This range narrowed by one comparison; {@code $ne} does not narrow a range and is refused. */
    public FieldRange narrow(Condition.Operator operator, JsonNode operand) {
        return switch (operator) {
            case EQ -> withLower(operand, true).withUpper(operand, true);
            case GT -> withLower(operand, false);
            case GTE -> withLower(operand, true);
            case LT -> withUpper(operand, false);
            case LTE -> withUpper(operand, true);
            case NE -> throw new IllegalArgumentException("$ne is not a range");
        };
    }

    private FieldRange withLower(JsonNode bound, boolean inclusive) {
        if (lower != null) {
            int c = order.comparator().compare(bound, lower);
            if (c < 0 || (c == 0 && (inclusive || !lowerInclusive))) {
                return this; // the current lower bound is at least as tight
            }
        }
        return new FieldRange(field, order, bound, inclusive, upper, upperInclusive);
    }

    private FieldRange withUpper(JsonNode bound, boolean inclusive) {
        if (upper != null) {
            int c = order.comparator().compare(bound, upper);
            if (c > 0 || (c == 0 && (inclusive || !upperInclusive))) {
                return this;
            }
        }
        return new FieldRange(field, order, lower, lowerInclusive, bound, inclusive);
    }
}
