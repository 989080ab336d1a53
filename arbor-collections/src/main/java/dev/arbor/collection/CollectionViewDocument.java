package dev.arbor.collection;

/**
 * One row of a collection view with the record that emitted it, as read just after the rows (BonsaiDb's
 * {@code MappedDocument} of {@code query_with_collection_docs}).
 *
 * @param <K> the view's key type
 * @param <V> the view's value type
 * @param <T> the collection's record type
 * @param <P> the collection's primary-key type
 */
public record CollectionViewDocument<K, V, T, P>(K key, V value, CollectionDocument<T, P> document) {

    /** The record: {@code document().contents()}. */
    public T contents() {
        return document.contents();
    }
}
