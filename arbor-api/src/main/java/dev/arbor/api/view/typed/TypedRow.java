package dev.arbor.api.view.typed;

/** One row of a typed view: an emitted key and value and the document that emitted them. */
public record TypedRow<K, V>(K key, V value, String docId) {}
