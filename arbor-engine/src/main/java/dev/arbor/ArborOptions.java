package dev.arbor;

import dev.arbor.engine.db.WriteLimits;
import dev.arbor.engine.keyvalue.KeyValueOptions;

/**
 * How an embedded Arbor storage behaves.
 *
 * @param durability    {@link Durability#DURABLE}: a write returns after its commit is synced to disk
 *                      (survives power loss and {@code kill -9}); {@link Durability#RELAXED}: it returns
 *                      after the commit reaches the OS (survives {@code kill -9} of the JVM, may lose the
 *                      last writes on power loss), as PouchDB's leveldb adapter behaves
 * @param blockCacheBytes RocksDB block cache shared by every database of the storage
 * @param keyValue      how the databases' key-value stores persist (immediate by default) and expire keys
 * @param limits        the largest document and attachment a write may carry (CouchDB's {@code max_document_size}
 *                      and {@code max_attachment_size}; 413 {@code document_too_large} / {@code attachment_too_large})
 */
public record ArborOptions(Durability durability, long blockCacheBytes, KeyValueOptions keyValue, WriteLimits limits) {

    public enum Durability { DURABLE, RELAXED }

    public static final ArborOptions DEFAULT = new ArborOptions(Durability.DURABLE, defaultCacheBytes(), KeyValueOptions.DEFAULT,
            WriteLimits.DEFAULT);

    /** Options with CouchDB's default size limits. */
    public ArborOptions(Durability durability, long blockCacheBytes, KeyValueOptions keyValue) {
        this(durability, blockCacheBytes, keyValue, WriteLimits.DEFAULT);
    }

    public ArborOptions durability(Durability value) { return new ArborOptions(value, blockCacheBytes, keyValue, limits); }

    public ArborOptions blockCacheBytes(long value) { return new ArborOptions(durability, value, keyValue, limits); }

    public ArborOptions keyValue(KeyValueOptions value) { return new ArborOptions(durability, blockCacheBytes, value, limits); }

    public ArborOptions limits(WriteLimits value) { return new ArborOptions(durability, blockCacheBytes, keyValue, value); }

    private static long defaultCacheBytes() {
        // An eighth of the heap, between 8 MiB and 1 GiB: reads of hot docs come from memory without
        // starving the application that embeds us.
        long heap = Runtime.getRuntime().maxMemory();
        return Math.max(8L << 20, Math.min(1L << 30, heap / 8));
    }
}
