package dev.arbor.collection;

/**
 * One row of a collection view (BonsaiDb's {@code ViewMappings} entry): an emitted key and value, and the primary key
 * of the record that emitted them.
 *
 * @param <K> the view's key type
 * @param <V> the view's value type
 * @param <P> the collection's primary-key type
 */
public record CollectionViewRow<K, V, P>(K key, V value, P id) {}
