package dev.arbor.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.key.Key;
import dev.arbor.api.view.typed.AccessPolicy;
import dev.arbor.api.view.typed.DocumentRow;
import dev.arbor.api.view.typed.GroupedReduction;
import dev.arbor.api.view.typed.TypedQuery;
import dev.arbor.api.view.typed.TypedRow;
import dev.arbor.core.error.ArborException;

import java.util.ArrayList;
import java.util.List;

/**
 * Typed views' queries and rows as trees. Keys travel in their {@link Key}'s JSON form, which both ends read with the
 * same key type (the client's view and the server's are the same schema's); values by their components, as records do.
 * Rows are {@code {key, value, id}}, with {@code doc} when the query asked for documents. Stateless.
 */
public final class TypedViewValues {
    private TypedViewValues() {}

    public static <K> ObjectNode query(TypedQuery<K> query, Key<K> keyType) {
        ObjectNode out = Values.object();
        if (query.key() != null) {
            out.set("key", keyType.toJson(query.key()));
        }
        if (query.keys() != null) {
            ArrayNode keys = out.putArray("keys");
            query.keys().forEach(key -> keys.add(keyType.toJson(key)));
        }
        if (query.start() != null) {
            out.set("start", keyType.toJson(query.start()));
        }
        if (query.end() != null) {
            out.set("end", keyType.toJson(query.end()));
        }
        return out.put("inclusiveEnd", query.inclusiveEnd()).put("descending", query.descendingOrder())
                .put("skip", query.skipRows()).put("limit", query.limitRows()).put("access", query.accessPolicy().name());
    }

    public static <K> TypedQuery<K> query(JsonNode tree, Key<K> keyType) {
        try {
            List<K> keys = null;
            if (tree.get("keys") instanceof ArrayNode array) {
                keys = new ArrayList<>(array.size());
                for (JsonNode key : array) {
                    keys.add(keyType.fromJson(key));
                }
            }
            return new TypedQuery<>(key(tree.get("key"), keyType), keys, key(tree.get("start"), keyType),
                    key(tree.get("end"), keyType), tree.path("inclusiveEnd").asBoolean(true),
                    tree.path("descending").asBoolean(false), tree.path("skip").asLong(0), tree.path("limit").asLong(-1),
                    AccessPolicy.valueOf(tree.path("access").asText(AccessPolicy.UPDATE_BEFORE.name())));
        } catch (IllegalArgumentException e) {
            throw new ArborException.BadRequest("bad_request", "malformed typed view query: " + e.getMessage());
        }
    }

    private static <K> K key(JsonNode json, Key<K> keyType) {
        return json == null || json.isNull() ? null : keyType.fromJson(json);
    }

    public static <K, V> JsonNode rows(List<TypedRow<K, V>> rows, Key<K> keyType) {
        ArrayNode out = Values.object().arrayNode();
        for (TypedRow<K, V> row : rows) {
            ObjectNode node = out.addObject().put("id", row.docId());
            node.set("key", keyType.toJson(row.key()));
            node.set("value", Values.tree(row.value()));
        }
        return out;
    }

    public static <K, V> JsonNode documentRows(List<DocumentRow<K, V>> rows, Key<K> keyType) {
        ArrayNode out = Values.object().arrayNode();
        for (DocumentRow<K, V> row : rows) {
            ObjectNode node = out.addObject().put("id", row.docId());
            node.set("key", keyType.toJson(row.key()));
            node.set("value", Values.tree(row.value()));
            node.set("doc", row.document());
        }
        return out;
    }

    public static <K, V> List<TypedRow<K, V>> rows(JsonNode array, Key<K> keyType, Class<V> valueType) {
        List<TypedRow<K, V>> rows = new ArrayList<>(array.size());
        array.forEach(row -> rows.add(new TypedRow<>(keyType.fromJson(row.get("key")), value(row.get("value"), valueType),
                row.path("id").asText())));
        return rows;
    }

    public static <K, V> List<DocumentRow<K, V>> documentRows(JsonNode array, Key<K> keyType, Class<V> valueType) {
        List<DocumentRow<K, V>> rows = new ArrayList<>(array.size());
        array.forEach(row -> rows.add(new DocumentRow<>(keyType.fromJson(row.get("key")), value(row.get("value"), valueType),
                row.path("id").asText(), (ObjectNode) row.get("doc"))));
        return rows;
    }

    public static <G, V> JsonNode groups(List<GroupedReduction<G, V>> groups, Key<G> keyType) {
        ArrayNode out = Values.object().arrayNode();
        for (GroupedReduction<G, V> group : groups) {
            ObjectNode node = out.addObject();
            node.set("key", group.key() == null ? NullNode.instance : keyType.toJson(group.key()));
            node.set("value", Values.tree(group.value()));
        }
        return out;
    }

    public static <G, V> List<GroupedReduction<G, V>> groups(JsonNode array, Key<G> keyType, Class<V> valueType) {
        List<GroupedReduction<G, V>> groups = new ArrayList<>(array.size());
        array.forEach(group -> groups.add(new GroupedReduction<>(key(group.get("key"), keyType),
                value(group.get("value"), valueType))));
        return groups;
    }

    public static <V> V value(JsonNode tree, Class<V> valueType) {
        return tree == null || tree.isNull() || tree.isMissingNode() ? null : Values.record(tree, valueType);
    }

    /** A group key as the server computed it, for the client to read with its own group key type. */
    public static final Key<JsonNode> AS_JSON = new Key<>() {
        @Override
        public JsonNode toJson(JsonNode key) {
            return key;
        }

        @Override
        public JsonNode fromJson(JsonNode json) {
            return json;
        }
    };
}
