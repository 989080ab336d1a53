package dev.arbor.collection;

import dev.arbor.api.key.Key;
import dev.arbor.api.view.typed.Emitter;
import dev.arbor.api.view.typed.MappedValue;
import dev.arbor.api.view.typed.ViewUpdatePolicy;

import java.util.List;

/**
 * A view over one collection's records: BonsaiDb's {@code CollectionMapReduce} with its {@code ViewSchema}. Declare
 * it on the collection ({@code Collection.builder(...).view(BY_CATEGORY)}), so the schema registers it when a
 * database opens, and query it with {@code db.collection(C).view(BY_CATEGORY)}. The engine runs it as a typed view
 * ({@link dev.arbor.api.view.typed.TypedView}) named {@code <collection>.<name>} that maps only the collection's
 * documents, each read into a {@code T}.
 *
 * <p>An implementation is immutable and thread-safe (the engine maps on its indexing and writer threads).
 *
 * <pre>{@code
 * record PostsByCategory() implements CollectionView<BlogPost, String, Long> {
 *     public String name() { return "by-category"; }
 *     public Key<String> keyType() { return Keys.STRING; }
 *     public Class<Long> valueType() { return Long.class; }
 *     public void map(CollectionDocument<BlogPost, ?> post, Emitter<String, Long> emit) {
 *         emit.emit(post.contents().category(), 1L);
 *     }
 *     public Long reduce(List<MappedValue<String, Long>> mappings, boolean rereduce) {
 *         return mappings.stream().mapToLong(MappedValue::value).sum();
 *     }
 * }
 * }</pre>
 *
 * @param <T> the collection's record type
 * @param <K> the view's key type, encoded by {@link #keyType()}
 * @param <V> the view's value type, written and read by Jackson
 */
public interface CollectionView<T, K, V> {

    /** The view's name, unique within its collection: letters, digits, '_' or '-'. */
    String name();

    /** The version of {@link #map} and {@link #reduce}: change it when they change, and the view is re-indexed. */
    default long version() {
        return 0;
    }

    Key<K> keyType();

    Class<V> valueType();

    /**
     * Emits the rows of one record. The header's id is the record's primary key (of the collection's key type);
     * its revision is the one being indexed.
     */
    void map(CollectionDocument<T, ?> document, Emitter<K, V> emit);

    /**
     * Reduces values: the emitted ones ({@code rereduce == false}), or earlier reductions ({@code rereduce == true},
     * keys null). The default throws {@link UnsupportedOperationException}: the view is map-only, and reduce
     * queries of it fail with {@code query_parse_error}.
     */
    default V reduce(List<MappedValue<K, V>> mappings, boolean rereduce) {
        throw new UnsupportedOperationException("view " + name() + " has no reduce");
    }

    /**
     * {@link ViewUpdatePolicy#LAZY} (default: brought up to date by queries), {@link ViewUpdatePolicy#EAGER}
     * (updated in the commit of each write) or {@link ViewUpdatePolicy#UNIQUE} (eager, and a write, or a
     * transaction, that would give a key to a second record fails whole with a {@code conflict}).
     */
    default ViewUpdatePolicy updatePolicy() {
        return ViewUpdatePolicy.LAZY;
    }
}
