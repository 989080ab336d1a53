package dev.arbor.core.mango;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.arbor.core.json.Json;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A {@code sort} spec (CouchDB's {@code mango_sort}): {@code ["a", {"b": "asc"}, {"c.d": "desc"}]}. CouchDB
 * supports only one direction for all fields, and so does this.
 *
 * @param fields the sort fields, most significant first; empty for no sort
 */
public record Sort(List<SortField> fields) {
    public static final Sort NONE = new Sort(List.of());

    public Sort {
        fields = List.copyOf(fields);
    }

    public enum Direction {
        ASC, DESC;

        public String token() {
            return this == ASC ? "asc" : "desc";
        }
    }

    /** One sort field and its direction. */
    public record SortField(FieldPath path, Direction direction) {
        public String name() {
            return path.text();
        }
    }

    /**
     * Parses the {@code sort} member of a query; {@code null} or a missing node means {@link #NONE}. Errors
     * are CouchDB's: not an array, 400 {@code invalid_sort_json}; an element neither a non-empty string nor a
     * one-member object whose value is {@code "asc"} or {@code "desc"}, 400 {@code invalid_sort_field};
     * directions that differ, 400 {@code unsupported_mixed_sort}.
     */
    public static Sort parse(JsonNode json) {
        if (json == null || json.isMissingNode()) {
            return NONE;
        }
        if (!json.isArray()) {
            throw MangoErrors.invalidSortJson(json);
        }
        List<SortField> fields = new ArrayList<>();
        for (JsonNode element : json) {
            fields.add(sortField(element));
        }
        if (fields.stream().map(SortField::direction).distinct().count() > 1) {
            throw MangoErrors.mixedSort();
        }
        return new Sort(fields);
    }

    private static SortField sortField(JsonNode element) {
        if (element.isTextual() && !element.textValue().isEmpty()) {
            return new SortField(FieldPath.parse(element.textValue()), Direction.ASC);
        }
        if (element.isObject() && element.size() == 1) {
            Map.Entry<String, JsonNode> member = element.properties().iterator().next();
            JsonNode direction = member.getValue();
            if (direction.isTextual() && (direction.textValue().equals("asc") || direction.textValue().equals("desc"))) {
                Direction parsed = direction.textValue().equals("asc") ? Direction.ASC : Direction.DESC;
                return new SortField(FieldPath.parse(member.getKey()), parsed);
            }
        }
        throw MangoErrors.invalidSortField(element);
    }

    public boolean isEmpty() {
        return fields.isEmpty();
    }

    /** The common direction; {@link Direction#ASC} for no sort. */
    public Direction direction() {
        return fields.isEmpty() ? Direction.ASC : fields.getFirst().direction();
    }

    /** The sort field names, most significant first. */
    public List<String> names() {
        return fields.stream().map(SortField::name).toList();
    }

    /** The spec as CouchDB echoes it: {@code [{"a": "asc"}, ...]}. */
    public JsonNode toJson() {
        ArrayNode array = Json.MAPPER.createArrayNode();
        fields.forEach(field -> array.addObject().put(field.name(), field.direction().token()));
        return array;
    }

    /**
     * Orders documents by the sort fields in the fields' {@link FieldRange.KeyOrder}, for sorting in memory
     * what no index orders (CouchDB refuses such queries; Arbor sorts, as PouchDB does). A document missing a
     * sort field, or with a bad path to it, sorts before every value ascending. Ties are left to the caller.
     */
    public Comparator<JsonNode> comparator() {
        Comparator<JsonNode> comparator = (a, b) -> 0;
        for (SortField field : fields) {
            Comparator<JsonNode> values = FieldRange.KeyOrder.of(field.name()).comparator();
            Comparator<JsonNode> byField = (a, b) -> compareMissingFirst(field.path().lookup(a), field.path().lookup(b), values);
            comparator = comparator.thenComparing(field.direction() == Direction.ASC ? byField : byField.reversed());
        }
        return comparator;
    }

    private static int compareMissingFirst(FieldPath.Lookup a, FieldPath.Lookup b, Comparator<JsonNode> values) {
        if (a instanceof FieldPath.Lookup.Found foundA) {
            return b instanceof FieldPath.Lookup.Found foundB ? values.compare(foundA.value(), foundB.value()) : 1;
        }
        return b instanceof FieldPath.Lookup.Found ? -1 : 0;
    }
}
