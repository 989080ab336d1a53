/**
 * The storage layer under every database: ordered byte maps, not the user-facing key-value store. A
 * {@link dev.arbor.engine.kv.KvStore} holds one database as column families ({@link dev.arbor.engine.kv.Space}s),
 * each an ordered map from byte keys to byte values, read through snapshots and cursors and written in atomic
 * batches; {@code RocksKvStore} keeps them in RocksDB, {@code MemoryKvStore} in memory, behind the same contract.
 *
 * <p>The key-value store users call ({@code db.keyValue()}, BonsaiDb's {@code KeyValue}) is something else: its
 * API is {@code dev.arbor.api.keyvalue} and the engine's implementation {@code dev.arbor.engine.keyvalue}, which
 * keeps its entries in one space of this layer.
 */
package dev.arbor.engine.kv;
