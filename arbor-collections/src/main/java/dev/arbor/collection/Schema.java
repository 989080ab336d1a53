package dev.arbor.collection;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.Database;
import dev.arbor.api.hook.DatabaseHook;
import dev.arbor.api.schema.SchemaBinding;
import dev.arbor.api.view.typed.TypedView;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A named group of collections (BonsaiDb's {@code Schema}), with the hooks its databases run. Open a database
 * under it with {@code Arbor.open(dir, schema)}, or several with a {@link SchemaStorage}. A database remembers the
 * schema it was opened under ({@code _local/arbor-schema}) and refuses to be opened under another.
 *
 * <p>Immutable and thread-safe.
 */
public final class Schema implements SchemaBinding<CollectionDatabase> {
    static final String SCHEMA_DOC = "_local/arbor-schema";

    private final String name;
    private final Map<String, Collection<?, ?>> collections;
    private final List<DatabaseHook> hooks;

    private Schema(String name, Map<String, Collection<?, ?>> collections, List<DatabaseHook> hooks) {
        this.name = name;
        this.collections = Map.copyOf(collections);
        this.hooks = List.copyOf(hooks);
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    @Override
    public String name() {
        return name;
    }

    /** The collections, by qualified name. */
    public Map<String, Collection<?, ?>> collections() {
        return collections;
    }

    public boolean contains(Collection<?, ?> collection) {
        return collections.get(collection.qualifiedName()) == collection;
    }

    @Override
    public Map<String, String> collectionEncryptionKeys() {
        Map<String, String> keys = new java.util.TreeMap<>();
        collections.forEach((name, collection) -> collection.encryptionKey().ifPresent(key -> keys.put(name, key)));
        return keys;
    }

    @Override
    public List<DatabaseHook> hooks() {
        return hooks;
    }

    /**
     * The typed views of every collection's views, registered by the storage on each database as it opens
     * ({@code Arbor.open(dir, schema)}, {@code Arbor.storage(dir, options, schemas)}).
     */
    @Override
    public List<TypedView<?, ?>> views() {
        List<TypedView<?, ?>> views = new ArrayList<>();
        collections.values().forEach(collection -> views.addAll(collection.typedViews()));
        return List.copyOf(views);
    }

    /** Gives {@code database} this schema's typed face, recording the schema in it the first time. */
    @Override
    public CollectionDatabase bind(Database database) {
        ObjectNode recorded;
        try {
            recorded = database.getLocal(SCHEMA_DOC);
        } catch (ArborException.NotFound first) {
            recorded = null;
        }
        if (recorded == null) {
            try {
                database.putLocal(Json.object().put("_id", SCHEMA_DOC).put("schema", name));
            } catch (ArborException.Conflict raced) {
                // Recorded concurrently: check what was recorded.
                return bind(database);
            }
        } else if (!name.equals(recorded.path("schema").asText())) {
            throw new ArborException.BadRequest("schema_mismatch", "database " + database.name() + " holds schema "
                    + recorded.path("schema").asText() + ", not " + name);
        }
        return new CollectionDatabase(database, this);
    }

    @Override
    public String toString() {
        return "Schema[" + name + ": " + collections.keySet() + "]";
    }

    /** Builds a {@link Schema}; not thread-safe. */
    public static final class Builder {
        private final String name;
        private final Map<String, Collection<?, ?>> collections = new LinkedHashMap<>();
        private final List<DatabaseHook> hooks = new ArrayList<>();

        private Builder(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("a schema needs a name");
            }
            this.name = name;
        }

        public Builder collection(Collection<?, ?> collection) {
            if (collections.putIfAbsent(collection.qualifiedName(), collection) != null) {
                throw new IllegalArgumentException("two collections named " + collection.qualifiedName());
            }
            return this;
        }

        /** A hook on one collection's records (a collection of this schema). */
        public <T, K> Builder hook(Collection<T, K> collection, CollectionHook<T, K> hook) {
            return hook(new TypedHook<>(collection, hook));
        }

        /** A hook on every document write of the schema's databases. */
        public Builder hook(DatabaseHook hook) {
            hooks.add(hook);
            return this;
        }

        public Schema build() {
            return new Schema(name, collections, hooks);
        }
    }

    /** A {@link CollectionHook} seen as a {@link DatabaseHook}: it sees only its collection's documents. */
    private record TypedHook<T, K>(Collection<T, K> collection, CollectionHook<T, K> hook) implements DatabaseHook {
        @Override
        public ObjectNode beforeWrite(String database, ObjectNode doc) {
            String id = doc.path("_id").asText("");
            if (!collection.owns(id) || doc.path("_deleted").asBoolean(false)) {
                return doc;
            }
            T record = collection.fromDocument(doc);
            T written = hook.beforeWrite(collection.keyOf(id), record);
            if (written == record) {
                return doc;
            }
            ObjectNode replaced = collection.toBody(written);
            for (Iterator<Map.Entry<String, com.fasterxml.jackson.databind.JsonNode>> it = doc.fields(); it.hasNext(); ) {
                var field = it.next();
                if (field.getKey().startsWith("_")) {
                    replaced.set(field.getKey(), field.getValue());
                }
            }
            return replaced;
        }

        @Override
        public void afterWrite(String database, String id, String rev, boolean deleted) {
            if (collection.owns(id)) {
                hook.afterWrite(collection.keyOf(id), rev, deleted);
            }
        }
    }
}
