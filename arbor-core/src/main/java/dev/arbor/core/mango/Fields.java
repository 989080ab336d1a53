package dev.arbor.core.mango;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.core.json.Json;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@code fields} projection (CouchDB's {@code mango_fields}): the listed, possibly dotted, fields of each
 * result and nothing else; {@code _id} and {@code _rev} only when listed. An empty or absent list keeps
 * whole documents.
 *
 * @param paths the fields in the order given; empty for whole documents
 */
public record Fields(List<FieldPath> paths) {
    public static final Fields ALL = new Fields(List.of());

    public Fields {
        paths = List.copyOf(paths);
    }

    /**
     * Parses the {@code fields} member of a query; {@code null} or a missing node means {@link #ALL}. Not an
     * array: 400 {@code invalid_fields}; an element not a string: 400 {@code invalid_field}. CouchDB lets
     * object elements through and then fails with a 500 when it applies them; they are refused here.
     */
    public static Fields parse(JsonNode json) {
        if (json == null || json.isMissingNode()) {
            return ALL;
        }
        if (!json.isArray()) {
            throw MangoErrors.invalidFields(json);
        }
        List<FieldPath> paths = new ArrayList<>();
        for (JsonNode element : json) {
            if (!element.isTextual()) {
                throw MangoErrors.invalidField(element);
            }
            paths.add(FieldPath.parse(element.textValue()));
        }
        return new Fields(paths);
    }

    /** Whether whole documents are kept. */
    public boolean isAll() {
        return paths.isEmpty();
    }

    /** The field names as given. */
    public List<String> names() {
        return paths.stream().map(FieldPath::text).toList();
    }

    /**
     * The projection of {@code doc}, built as CouchDB's {@code mango_fields:extract} builds it: each field
     * found is set at its path in a new object, creating objects on the way, so {@code "a.0"} of
     * {@code {"a": [7]}} gives {@code {"a": {"0": 7}}}. Fields not found are left out; a field under one
     * already set to a non-object is ignored. Returns {@code doc} itself for {@link #ALL}.
     */
    public JsonNode project(JsonNode doc) {
        if (isAll()) {
            return doc;
        }
        ObjectNode projected = Json.object();
        for (FieldPath path : paths) {
            if (path.lookup(doc) instanceof FieldPath.Lookup.Found found) {
                set(projected, path.segments(), 0, found.value());
            }
        }
        return projected;
    }

    private static void set(ObjectNode target, List<String> segments, int index, JsonNode value) {
        String name = segments.get(index);
        if (index == segments.size() - 1) {
            target.set(name, value.deepCopy());
            return;
        }
        JsonNode existing = target.get(name);
        if (existing == null) {
            ObjectNode nested = Json.object();
            target.set(name, nested);
            set(nested, segments, index + 1, value);
        } else if (existing instanceof ObjectNode nested) {
            set(nested, segments, index + 1, value);
        }
        // An existing array or scalar already holds the value at this path (it was copied whole from the
        // same document), so there is nothing to add.
    }
}
