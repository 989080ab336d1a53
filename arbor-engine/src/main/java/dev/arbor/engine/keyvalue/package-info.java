/**
 * The engine's implementation of the user-facing key-value store ({@link dev.arbor.api.keyvalue.KeyValueStore},
 * BonsaiDb's {@code KeyValue}): namespaced keys, atomic operations, expiration, immediate or lazy persistence.
 * Its entries live in the database's {@code KV} space of the storage layer, {@code dev.arbor.engine.kv}, which is
 * the ordered byte store under every database and not this feature.
 */
package dev.arbor.engine.keyvalue;
