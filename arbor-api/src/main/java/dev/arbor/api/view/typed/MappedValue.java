package dev.arbor.api.view.typed;

/**
 * One input of a reduce: an emitted key and value. On a rereduce the values are earlier reductions and the key is
 * null, as CouchDB passes {@code null} keys to a rereduce.
 */
public record MappedValue<K, V>(K key, V value) {}
