/**
 * A database's atomic key-value store ({@link dev.arbor.api.keyvalue.KeyValueStore}, BonsaiDb's
 * {@code KeyValue}): counters, locks and caches beside the documents, neither replicated nor in the changes
 * feed. The embedded engine implements it in {@code dev.arbor.engine.keyvalue}; see {@code docs/key-value-and-pubsub.md}.
 */
package dev.arbor.api.keyvalue;
