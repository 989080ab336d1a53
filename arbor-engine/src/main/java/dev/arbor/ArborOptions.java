package dev.arbor;

import dev.arbor.options.WriteLimits;
import dev.arbor.options.KeyValueOptions;
import dev.arbor.options.EncryptionOptions;
import dev.arbor.api.hook.DatabaseHook;
import dev.arbor.api.view.typed.TypedView;
import dev.arbor.js.JsOptions;

import java.util.List;

/**
 * How an embedded Arbor storage behaves.
 *
 * @param durability    {@link Durability#DURABLE}: a write returns after its commit is synced to disk
 *                      (survives power loss and {@code kill -9}); {@link Durability#RELAXED}: it returns
 *                      after the commit reaches the OS (survives {@code kill -9} of the JVM, may lose the
 *                      last writes on power loss), as PouchDB's leveldb adapter behaves
 * @param blockCacheBytes RocksDB block and row cache shared by every database of the storage
 * @param keyValue      how the databases' key-value stores persist (immediate by default) and expire keys
 * @param hooks         run on every document write of every database of the storage (RouchDB's plugins)
 * @param views         typed views every database registers when it opens, before its first write (eager and
 *                      unique views then see every write)
 * @param verifyViews   check each of those views' index, and each JavaScript design document's (partition row
 *                      counts included), against its checkpoint and the by-seq log on open, and rebuild it when they
 *                      disagree (costs a scan of each index)
 * @param limits        the largest document and attachment a write may carry (CouchDB's {@code max_document_size}
 *                      and {@code max_attachment_size}; 413 {@code document_too_large} / {@code attachment_too_large})
 * @param designFunctionMemoryBudget the bytes of heap one call of a design document's JavaScript (map, reduce,
 *                      validate_doc_update, filter) may allocate, garbage included; past it the call fails with
 *                      {@code os_process_error}, as in CouchDB a call whose couchjs process outgrows its heap.
 *                      {@link #DEFAULT_DESIGN_FUNCTION_MEMORY_BUDGET} by default
 * @param encryption    at-rest encryption of an on-disk storage (a vault for the master key, and which keys seal what);
 *                      null for none. An encrypted storage cannot be opened without it.
 */
public record ArborOptions(Durability durability, long blockCacheBytes, KeyValueOptions keyValue, List<DatabaseHook> hooks,
                           List<TypedView<?, ?>> views, boolean verifyViews, WriteLimits limits,
                           long designFunctionMemoryBudget, EncryptionOptions encryption) {

    /** 64 MiB, the heap couchjs gives each design document's JavaScript. */
    public static final long DEFAULT_DESIGN_FUNCTION_MEMORY_BUDGET = JsOptions.DEFAULT_MEMORY_BUDGET;

    public ArborOptions {
        hooks = List.copyOf(hooks);
        views = List.copyOf(views);
        limits = limits == null ? WriteLimits.DEFAULT : limits;
        if (designFunctionMemoryBudget <= 0) {
            throw new IllegalArgumentException("the memory budget of design functions must be positive, not "
                    + designFunctionMemoryBudget);
        }
    }

    /** Options with the default memory budget of design functions and no encryption. */
    public ArborOptions(Durability durability, long blockCacheBytes, KeyValueOptions keyValue, List<DatabaseHook> hooks,
                        List<TypedView<?, ?>> views, boolean verifyViews, WriteLimits limits) {
        this(durability, blockCacheBytes, keyValue, hooks, views, verifyViews, limits, DEFAULT_DESIGN_FUNCTION_MEMORY_BUDGET,
                null);
    }

    /** Options without hooks or typed views, with CouchDB's default size limits. */
    public ArborOptions(Durability durability, long blockCacheBytes, KeyValueOptions keyValue) {
        this(durability, blockCacheBytes, keyValue, List.of(), List.of(), false, WriteLimits.DEFAULT);
    }

    public enum Durability { DURABLE, RELAXED }

    public static final ArborOptions DEFAULT = new ArborOptions(Durability.DURABLE, defaultCacheBytes(), KeyValueOptions.DEFAULT);

    public ArborOptions durability(Durability value) { return new ArborOptions(value, blockCacheBytes, keyValue, hooks, views, verifyViews, limits, designFunctionMemoryBudget, encryption); }

    public ArborOptions blockCacheBytes(long value) { return new ArborOptions(durability, value, keyValue, hooks, views, verifyViews, limits, designFunctionMemoryBudget, encryption); }

    public ArborOptions keyValue(KeyValueOptions value) { return new ArborOptions(durability, blockCacheBytes, value, hooks, views, verifyViews, limits, designFunctionMemoryBudget, encryption); }

    public ArborOptions hooks(List<DatabaseHook> value) { return new ArborOptions(durability, blockCacheBytes, keyValue, value, views, verifyViews, limits, designFunctionMemoryBudget, encryption); }

    public ArborOptions views(List<TypedView<?, ?>> value) { return new ArborOptions(durability, blockCacheBytes, keyValue, hooks, value, verifyViews, limits, designFunctionMemoryBudget, encryption); }

    public ArborOptions verifyViews(boolean value) { return new ArborOptions(durability, blockCacheBytes, keyValue, hooks, views, value, limits, designFunctionMemoryBudget, encryption); }

    public ArborOptions limits(WriteLimits value) { return new ArborOptions(durability, blockCacheBytes, keyValue, hooks, views, verifyViews, value, designFunctionMemoryBudget, encryption); }

    public ArborOptions designFunctionMemoryBudget(long bytes) { return new ArborOptions(durability, blockCacheBytes, keyValue, hooks, views, verifyViews, limits, bytes, encryption); }

    public ArborOptions encryption(EncryptionOptions value) { return new ArborOptions(durability, blockCacheBytes, keyValue, hooks, views, verifyViews, limits, designFunctionMemoryBudget, value); }

    private static long defaultCacheBytes() {
        // An eighth of the heap, between 8 MiB and 1 GiB: reads of hot docs come from memory without
        // starving the application that embeds us.
        long heap = Runtime.getRuntime().maxMemory();
        return Math.max(8L << 20, Math.min(1L << 30, heap / 8));
    }
}
