package dev.arbor.api.view.typed;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A row with the current winning revision of its document ({@code _id} and {@code _rev} included). */
public record DocumentRow<K, V>(K key, V value, String docId, ObjectNode document) {}
