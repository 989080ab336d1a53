package dev.arbor.api.view.typed;

import dev.arbor.api.key.Key;

import java.util.List;

/**
 * A view written in Java: BonsaiDb's {@code View} and {@code ViewSchema} in one interface. An implementation is
 * immutable and thread-safe (the engine maps documents on its indexing and writer threads).
 *
 * <pre>{@code
 * record PostsByCategory() implements TypedView<String, Long> {
 *     public String name() { return "posts-by-category"; }
 *     public Key<String> keyType() { return Keys.STRING; }
 *     public Class<Long> valueType() { return Long.class; }
 *     public void map(MappedDocument doc, Emitter<String, Long> emit) {
 *         if (doc.body().has("category")) emit.emit(doc.body().get("category").asText(), 1L);
 *     }
 *     public Long reduce(List<MappedValue<String, Long>> mappings, boolean rereduce) {
 *         return mappings.stream().mapToLong(MappedValue::value).sum();
 *     }
 * }
 * }</pre>
 *
 * @param <K> the key type, encoded by {@link #keyType()}
 * @param <V> the value type, written and read by Jackson
 */
public interface TypedView<K, V> {

    /** The view's name, unique within a database. */
    String name();

    /** The version of {@link #map} and {@link #reduce}: change it when they change, and the view is re-indexed. */
    default long version() {
        return 0;
    }

    Key<K> keyType();

    Class<V> valueType();

    /** Emits the document's rows. Design documents are not mapped. */
    void map(MappedDocument doc, Emitter<K, V> emit);

    /**
     * Reduces values: the emitted ones ({@code rereduce == false}), or earlier reductions ({@code rereduce == true},
     * keys null). Results must not depend on how values are split into calls. The default throws
     * {@link UnsupportedOperationException}: the view is map-only, and reduce queries of it fail with
     * {@code query_parse_error} (the engine calls this once with no values when the view is registered, to tell).
     */
    default V reduce(List<MappedValue<K, V>> mappings, boolean rereduce) {
        throw new UnsupportedOperationException("view " + name() + " has no reduce");
    }

    default ViewUpdatePolicy updatePolicy() {
        return ViewUpdatePolicy.LAZY;
    }
}
