package dev.arbor.collection;

import dev.arbor.api.key.Key;
import dev.arbor.api.view.typed.Emitter;
import dev.arbor.api.view.typed.MappedDocument;
import dev.arbor.api.view.typed.MappedValue;
import dev.arbor.api.view.typed.TypedView;
import dev.arbor.api.view.typed.ViewUpdatePolicy;
import dev.arbor.core.error.ArborException;

import java.util.List;

/**
 * A {@link CollectionView} as the engine runs it: a {@link TypedView} named {@code <collection>.<view>} that skips
 * documents of other collections (by id prefix) and reads each of its own into a record before mapping it.
 * Immutable; one per view, made when the collection is built.
 */
record CollectionTypedView<T, K, V>(Collection<T, ?> collection, CollectionView<T, K, V> view) implements TypedView<K, V> {

    @Override
    public String name() {
        return collection.qualifiedName() + "." + view.name();
    }

    @Override
    public long version() {
        return view.version();
    }

    @Override
    public Key<K> keyType() {
        return view.keyType();
    }

    @Override
    public Class<V> valueType() {
        return view.valueType();
    }

    @Override
    public void map(MappedDocument doc, Emitter<K, V> emit) {
        if (!collection.owns(doc.id())) {
            return;
        }
        CollectionDocument<T, ?> record;
        try {
            record = collection.document(doc.id(), doc.rev(), doc.body());
        } catch (ArborException.BadRequest notARecord) {
            // A document under the collection's prefix that is not one of its records (written over HTTP, say)
            // emits nothing, as CouchDB skips a document its map function throws on.
            return;
        }
        view.map(record, emit);
    }

    @Override
    public V reduce(List<MappedValue<K, V>> mappings, boolean rereduce) {
        return view.reduce(mappings, rereduce);
    }

    @Override
    public ViewUpdatePolicy updatePolicy() {
        return view.updatePolicy();
    }
}
