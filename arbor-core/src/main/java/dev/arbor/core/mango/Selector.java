package dev.arbor.core.mango;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.core.json.Json;

import java.util.Collection;
import java.util.List;

/**
 * A Mango selector in CouchDB's normalized form ({@code mango_selector:normalize}): implicit {@code $and}
 * and {@code $eq} made explicit, nested field names joined into dotted paths, and negations pushed down to
 * the conditions ({@code {"$not": {"a": {"$gt": 1}}}} becomes {@code {"a": {"$lte": 1}}}) as far as De
 * Morgan's laws allow. Immutable and thread-safe.
 *
 * <p>The shape is CouchDB's: {@link And}, {@link Or} and {@link Field} are what normalization leaves at the
 * top level. {@link Not} survives only inside {@code $elemMatch}, {@code $allMatch} and {@code $keyMapMatch}
 * selectors, which CouchDB does not normalize for negation; a {@code $not} on a condition that has no
 * opposite (such as {@code $regex}) is a {@link Condition.Not} under its field.
 */
public sealed interface Selector {
    /**
     * Validates and normalizes a selector as CouchDB does for {@code POST /{db}/_find}. Malformed selectors
     * fail with {@link dev.arbor.core.error.ArborException.BadRequest} carrying CouchDB's error token and
     * reason ({@code invalid_selector_json}, {@code invalid_operator}, {@code bad_arg}, {@code not_supported},
     * {@code invalid_selector}, ...).
     */
    static Selector parse(JsonNode json) {
        return SelectorNormalizer.parse(json);
    }

    /** Whether {@code doc} (a document body, {@code _id} and {@code _rev} included) satisfies this selector. */
    default boolean matches(JsonNode doc) {
        return SelectorMatcher.matches(this, doc);
    }

    /** The normalized selector as CouchDB would show it, e.g. in {@code _explain}. */
    JsonNode toJson();

    /**
     * The field names the top level constrains, looking through {@code $and}/{@code $or}/{@code $not}
     * (CouchDB's {@code mango_selector:fields}), in order and with repetitions.
     */
    default List<String> fields() {
        return SelectorAnalysis.fields(this);
    }

    /**
     * Whether every document this selector matches has all {@code fields} (CouchDB's
     * {@code has_required_fields}): a JSON index on those fields holds only such documents, so it can serve
     * the query only when this is true. {@code $exists: false} does not require its field; {@code $or}
     * requires a field only when every branch does.
     */
    default boolean requiresFields(Collection<String> fields) {
        return SelectorAnalysis.requiresFields(this, fields);
    }

    /** Whether the top level pins {@code field} to one value with {@code $eq} (CouchDB's {@code is_constant_field}). */
    default boolean isConstantField(String field) {
        return SelectorAnalysis.isConstantField(this, field);
    }

    /**
     * What a scan of a JSON index on {@code indexFields} (in that order) needs to answer this selector: the
     * range of each index field, and whether that scan returns exactly the matching documents.
     */
    default IndexCoverage coverage(List<String> indexFields) {
        return SelectorAnalysis.coverage(this, indexFields);
    }

    /** The empty selector {@code {}}: matches every document. */
    record MatchAll() implements Selector {
        @Override
        public JsonNode toJson() {
            return Json.object();
        }
    }

    /** All clauses hold; an empty {@code $and} holds (as in CouchDB). */
    record And(List<Selector> clauses) implements Selector {
        public And {
            clauses = List.copyOf(clauses);
        }

        @Override
        public JsonNode toJson() {
            return combinator("$and", clauses);
        }
    }

    /** At least one clause holds; an empty {@code $or} holds (CouchDB 3.x treats empty combinators as true). */
    record Or(List<Selector> clauses) implements Selector {
        public Or {
            clauses = List.copyOf(clauses);
        }

        @Override
        public JsonNode toJson() {
            return combinator("$or", clauses);
        }
    }

    /** The clause does not hold. Only left inside {@code $elemMatch}-like sub-selectors, see the type's doc. */
    record Not(Selector clause) implements Selector {
        @Override
        public JsonNode toJson() {
            ObjectNode node = Json.object();
            node.set("$not", clause.toJson());
            return node;
        }
    }

    /**
     * The value at {@code path} satisfies {@code condition}. A missing field satisfies only
     * {@code $exists: false}; every other condition, negated ones included, fails on it.
     */
    record Field(FieldPath path, Condition condition) implements Selector {
        @Override
        public JsonNode toJson() {
            ObjectNode node = Json.object();
            node.set(path.text(), condition.toJson());
            return node;
        }
    }

    private static JsonNode combinator(String operator, List<Selector> clauses) {
        ObjectNode node = Json.object();
        ArrayNode args = node.putArray(operator);
        clauses.forEach(clause -> args.add(clause.toJson()));
        return node;
    }
}
