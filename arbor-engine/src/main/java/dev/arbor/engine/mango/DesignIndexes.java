package dev.arbor.engine.mango;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Mango indexes inside design documents, in CouchDB's layout, so a design document replicated from CouchDB
 * defines the same indexes here and one written here means the same there:
 * <pre>{@code
 * {"_id": "_design/ddoc", "language": "query",
 *  "views": {"name": {"map": {"fields": {"age": "asc"}, "partial_filter_selector": {...}},
 *                     "reduce": "_count",
 *                     "options": {"def": {"fields": ["age"], "partial_filter_selector": {...}}}}}}
 * }</pre>
 */
final class DesignIndexes {
    static final String LANGUAGE = "query";
    static final String DESIGN_PREFIX = "_design/";

    private DesignIndexes() {}

    /** {@code use_index} and {@code DELETE /_index/{ddoc}} name the design doc with or without its prefix. */
    static String ddocId(String name) {
        return name.startsWith(DESIGN_PREFIX) ? name : DESIGN_PREFIX + name;
    }

    static boolean isQueryDesignDoc(JsonNode ddoc) {
        return LANGUAGE.equals(ddoc.path("language").asText(null));
    }

    /**
     * Whether a design document's indexes are partitioned: its {@code options.partitioned}, else the database's
     * default (partitioned in a partitioned database), as CouchDB's {@code mango_idx:get_idx_partitioned}.
     */
    static boolean partitioned(JsonNode ddoc, boolean dbPartitioned) {
        JsonNode option = ddoc.path("options").path("partitioned");
        return option.isBoolean() ? option.booleanValue() : dbPartitioned;
    }

    /** The Mango indexes a design document defines; malformed views are skipped, as CouchDB skips them. */
    static List<MangoIndex> indexes(String id, JsonNode ddoc, boolean dbPartitioned) {
        boolean partitioned = partitioned(ddoc, dbPartitioned);
        List<MangoIndex> indexes = new ArrayList<>();
        if (!isQueryDesignDoc(ddoc) || !ddoc.path("views").isObject()) {
            return indexes;
        }
        for (Map.Entry<String, JsonNode> view : ddoc.get("views").properties()) {
            try {
                JsonNode map = view.getValue().path("map");
                JsonNode fieldsNode = map.path("fields");
                if (!fieldsNode.isObject() || fieldsNode.isEmpty()) {
                    continue;
                }
                List<String> fields = new ArrayList<>();
                for (Iterator<String> names = fieldsNode.fieldNames(); names.hasNext(); ) {
                    fields.add(names.next());
                }
                JsonNode partial = map.get("partial_filter_selector");
                if (partial != null && (!partial.isObject() || partial.isEmpty())) {
                    partial = null;
                }
                indexes.add(MangoIndex.of(id, view.getKey(), fields, partial, partitioned));
            } catch (ArborException | IllegalArgumentException e) {
                // A view this engine cannot read is not an index it can use; CouchDB logs and skips it too.
            }
        }
        return indexes;
    }

    /**
     * The view CouchDB writes for a json index: the map's {@code partial_filter_selector} normalized
     * ({@code {"type":"x"}} becomes {@code {"type":{"$eq":"x"}}}), the definition's as the request gave it.
     */
    static ObjectNode view(List<String> fields, JsonNode partial) {
        ObjectNode view = Json.object();
        ObjectNode map = view.putObject("map");
        ObjectNode mapFields = map.putObject("fields");
        fields.forEach(f -> mapFields.put(f, "asc"));
        map.set("partial_filter_selector", normalized(partial));
        view.put("reduce", "_count");
        ObjectNode def = view.putObject("options").putObject("def");
        ArrayNode defFields = def.putArray("fields");
        fields.forEach(defFields::add);
        if (partial != null) {
            def.set("partial_filter_selector", partial);
        }
        return view;
    }

    /** Whether {@code ddoc} already has view {@code name} defining exactly this index. */
    static boolean hasSameIndex(JsonNode ddoc, String id, String name, List<String> fields, JsonNode partial) {
        for (MangoIndex index : indexes(id, ddoc, false)) {
            if (index.name().equals(name) && index.fields().equals(fields)
                    && normalized(index.partialFilterJson()).equals(normalized(partial))) {
                return true;
            }
        }
        return false;
    }

    /** A partial filter in CouchDB's normalized form; the empty object for none. */
    private static JsonNode normalized(JsonNode partial) {
        return partial == null || (partial.isObject() && partial.isEmpty()) ? Json.object()
                : dev.arbor.core.mango.Selector.parse(partial).toJson();
    }
}
