package dev.arbor.collection;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.key.Key;
import dev.arbor.api.key.Keys;
import dev.arbor.api.view.typed.TypedView;
import dev.arbor.core.json.Json;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The definition of a collection (BonsaiDb's {@code Collection} trait): its name, the Java type of its records, its
 * primary-key type and how {@code push} assigns keys. Immutable; define one per collection as a constant and put it
 * in a {@link Schema}.
 *
 * <p>Storage: a record with key {@code k} is the document {@code <name>:<key.toId(k)>}, where {@code name} is
 * {@code authority.name} when the collection has an authority. The body is the record as Jackson writes it. So a
 * collection is a partition of a partitioned database, and {@code _all_docs}, changes, replication and the HTTP API
 * see collections as plain documents.
 *
 * @param <T> the record type (a Java record or any type Jackson reads and writes)
 * @param <K> the primary-key type
 */
public final class Collection<T, K> {
    /** A name part: what a partition name allows, without dots (the authority separator) or colons. */
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_\\-]*");

    private final String authority;
    private final String name;
    private final Class<T> recordType;
    private final Key<K> key;
    private final IdAssignment<T, K> idAssignment;
    /** The declared views, each with the typed view the engine runs for it, in declaration order. */
    private final Map<CollectionView<T, ?, ?>, CollectionTypedView<T, ?, ?>> views;

    /** The key that seals the collection's documents in an encrypted storage; null for the database's. */
    private final String encryptionKey;

    private Collection(String authority, String name, Class<T> recordType, Key<K> key, IdAssignment<T, K> idAssignment,
                       List<CollectionView<T, ?, ?>> views, String encryptionKey) {
        this.encryptionKey = encryptionKey;
        this.authority = authority;
        this.name = name;
        this.recordType = recordType;
        this.key = key;
        this.idAssignment = idAssignment;
        Map<CollectionView<T, ?, ?>, CollectionTypedView<T, ?, ?>> adapted = new LinkedHashMap<>();
        views.forEach(view -> adapted.put(view, new CollectionTypedView<>(this, view)));
        this.views = Collections.unmodifiableMap(adapted);
    }

    /** A collection of {@code recordType} named {@code name} with {@code long} keys assigned by a counter. */
    public static <T> Collection<T, Long> of(String name, Class<T> recordType) {
        return builder(name, recordType).build();
    }

    /** Starts a definition with {@code long} keys from a counter; change the key type with {@link Builder#key}. */
    public static <T> Builder<T, Long> builder(String name, Class<T> recordType) {
        return new Builder<>(null, name, recordType, Keys.LONG, new IdAssignment.Sequence<>(n -> n), List.of(),
                null);
    }

    /** {@code authority.name}, or {@code name} without an authority: the prefix of the collection's document ids. */
    public String qualifiedName() {
        return authority == null ? name : authority + "." + name;
    }

    public String name() {
        return name;
    }

    /** The namespace of the name (BonsaiDb's authority, e.g. {@code khonsulabs}); null when none. */
    public String authority() {
        return authority;
    }

    public Class<T> recordType() {
        return recordType;
    }

    /** The encryption key that seals this collection's documents, when it has one of its own. */
    public java.util.Optional<String> encryptionKey() {
        return java.util.Optional.ofNullable(encryptionKey);
    }

    public Key<K> key() {
        return key;
    }

    public IdAssignment<T, K> idAssignment() {
        return idAssignment;
    }

    /** The views declared on the collection, in declaration order. */
    public List<CollectionView<T, ?, ?>> views() {
        return List.copyOf(views.keySet());
    }

    /** The typed views the engine runs for this collection's views (registered by the schema on open). */
    List<TypedView<?, ?>> typedViews() {
        return List.copyOf(views.values());
    }

    /** The typed view of {@code view}; {@code bad_request} for a view not declared on this collection. */
    @SuppressWarnings("unchecked")
    <K2, V2> CollectionTypedView<T, K2, V2> typedView(CollectionView<T, K2, V2> view) {
        CollectionTypedView<T, ?, ?> adapted = views.get(view);
        if (adapted == null) {
            throw new dev.arbor.core.error.ArborException.BadRequest("view_not_in_collection", "view " + view.name()
                    + " is not declared on " + this + ": add it with Collection.builder(...).view(...)");
        }
        return (CollectionTypedView<T, K2, V2>) adapted;
    }

    // ---- the mapping between records and documents (package-private: the handles use it) ------------------------

    /** The document id of key {@code id}. */
    String docId(K id) {
        return qualifiedName() + ":" + key.toId(Objects.requireNonNull(id, "id"));
    }

    /** Whether {@code docId} is one of this collection's documents. */
    boolean owns(String docId) {
        return docId.startsWith(qualifiedName() + ":");
    }

    K keyOf(String docId) {
        try {
            return key.fromId(docId.substring(qualifiedName().length() + 1));
        } catch (RuntimeException e) {
            throw new dev.arbor.core.error.ArborException.BadRequest("bad_key",
                    "document " + docId + " is in " + this + " but its id is not one of its keys");
        }
    }

    /** The first document id of the collection, and the first id after it (the next possible prefix). */
    String firstDocId() {
        return qualifiedName() + ":";
    }

    String afterLastDocId() {
        // ';' follows ':' in every byte order, so every "<name>:..." id sorts before "<name>;".
        return qualifiedName() + ";";
    }

    /** The record's document body (no {@code _id}/{@code _rev}). */
    ObjectNode toBody(T record) {
        Object value = Objects.requireNonNull(record, "record");
        if (!(Json.MAPPER.valueToTree(value) instanceof ObjectNode body)) {
            throw new IllegalArgumentException(recordType.getName() + " does not serialise to a JSON object");
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            if (names.next().startsWith("_")) {
                throw new IllegalArgumentException(recordType.getName()
                        + ": members starting with '_' are reserved for CouchDB's own (_id, _rev, ...)");
            }
        }
        return body;
    }

    /** The record of a document: its members without CouchDB's own {@code _...} ones. */
    T fromDocument(ObjectNode doc) {
        return fromBody(doc.path("_id").asText(), doc);
    }

    /** The record stored as document {@code docId} with members {@code doc} (CouchDB's own {@code _...} ignored). */
    T fromBody(String docId, ObjectNode doc) {
        ObjectNode body = Json.object();
        for (Iterator<Map.Entry<String, com.fasterxml.jackson.databind.JsonNode>> it = doc.fields(); it.hasNext(); ) {
            var field = it.next();
            if (!field.getKey().startsWith("_")) {
                body.set(field.getKey(), field.getValue());
            }
        }
        try {
            return Json.MAPPER.treeToValue(body, recordType);
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            throw new dev.arbor.core.error.ArborException.BadRequest("bad_record",
                    "document " + docId + " is not a " + recordType.getSimpleName() + ": " + e.getMessage());
        }
    }

    /** The record of document {@code docId} at revision {@code rev}, with its key read from the id. */
    CollectionDocument<T, K> document(String docId, String rev, ObjectNode body) {
        return new CollectionDocument<>(new CollectionDocument.Header<>(keyOf(docId), rev), fromBody(docId, body));
    }

    @Override
    public String toString() {
        return "Collection[" + qualifiedName() + " of " + recordType.getSimpleName() + "]";
    }

    /** Builds a {@link Collection}. Not thread-safe; each step returns a builder to continue with. */
    public static final class Builder<T, K> {
        private final String authority;
        private final String name;
        private final Class<T> recordType;
        private final Key<K> key;
        private final IdAssignment<T, K> idAssignment;
        private final List<CollectionView<T, ?, ?>> views;
        private final String encryptionKey;

        private Builder(String authority, String name, Class<T> recordType, Key<K> key, IdAssignment<T, K> idAssignment,
                        List<CollectionView<T, ?, ?>> views, String encryptionKey) {
            this.encryptionKey = encryptionKey;
            this.authority = authority;
            this.name = name;
            this.recordType = recordType;
            this.key = key;
            this.idAssignment = idAssignment;
            this.views = views;
        }

        /** Namespaces the name: the collection's ids start with {@code authority.name:}. */
        public Builder<T, K> authority(String value) {
            return new Builder<>(value, name, recordType, key, idAssignment, views, encryptionKey);
        }

        /**
         * The primary-key type. The assignment resets to the type's natural one: a counter for {@link Keys#LONG},
         * random UUIDs for {@link Keys#UUID_KEY}, none otherwise (set one with {@link #sequence},
         * {@link #generatedBy} or {@link #naturalId}).
         */
        @SuppressWarnings("unchecked")
        public <K2> Builder<T, K2> key(Key<K2> value) {
            IdAssignment<T, K2> assignment;
            if (value == (Key<?>) Keys.LONG) {
                assignment = new IdAssignment.Sequence<>(n -> (K2) Long.valueOf(n));
            } else if (value == (Key<?>) Keys.UUID_KEY) {
                assignment = new IdAssignment.Generated<>(() -> (K2) UUID.randomUUID());
            } else {
                assignment = new IdAssignment.Explicit<>();
            }
            return new Builder<>(authority, name, recordType, value, assignment, views, encryptionKey);
        }

        /** Keys from the collection's counter, mapped to the key type (e.g. {@code OrderNumber::new}). */
        public Builder<T, K> sequence(LongFunction<K> fromCounter) {
            return new Builder<>(authority, name, recordType, key, new IdAssignment.Sequence<>(fromCounter), views, encryptionKey);
        }

        public Builder<T, K> generatedBy(Supplier<K> generator) {
            return new Builder<>(authority, name, recordType, key, new IdAssignment.Generated<>(generator), views, encryptionKey);
        }

        /** The key is derived from the record (BonsaiDb's natural id). */
        public Builder<T, K> naturalId(Function<T, K> naturalId) {
            return new Builder<>(authority, name, recordType, key, new IdAssignment.Natural<>(naturalId), views, encryptionKey);
        }

        /**
         * Declares a view over the records (BonsaiDb's views of a collection): the schema registers it on each
         * database as it opens, before the first write, so eager and unique views see every write.
         */
        public Builder<T, K> view(CollectionView<T, ?, ?> view) {
            check("view name", view.name());
            if (views.stream().anyMatch(declared -> declared.name().equals(view.name()))) {
                throw new IllegalArgumentException("two views named " + view.name() + " on collection " + name);
            }
            List<CollectionView<T, ?, ?>> more = new ArrayList<>(views);
            more.add(view);
            return new Builder<>(authority, name, recordType, key, idAssignment, List.copyOf(more), encryptionKey);
        }

        /**
         * Seals the collection's documents with the encryption key {@code keyName} in an encrypted storage (BonsaiDb's
         * {@code Collection::encryption_key}), instead of their database's key. Rotated and granted on its own.
         */
        public Builder<T, K> encryptionKey(String keyName) {
            check("encryption key name", keyName);
            return new Builder<>(authority, name, recordType, key, idAssignment, views, keyName);
        }

        public Collection<T, K> build() {
            check("collection name", name);
            if (authority != null) {
                check("authority", authority);
            }
            return new Collection<>(authority, name, Objects.requireNonNull(recordType), key, idAssignment, views,
                    encryptionKey);
        }

        private static void check(String what, String value) {
            if (value == null || !NAME.matcher(value).matches()) {
                throw new IllegalArgumentException(what + " must be letters, digits, '_' or '-', not starting with"
                        + " '_' or '-': " + value);
            }
        }
    }
}
