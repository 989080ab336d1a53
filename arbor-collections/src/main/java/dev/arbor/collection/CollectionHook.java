package dev.arbor.collection;

/**
 * Code run around writes of one collection's records, typed (RouchDB's plugins, per collection). Registered on a
 * {@link Schema}; the storage runs it on every write of the collection's documents, whichever path makes them
 * (this API, plain document writes, {@code _bulk_docs} over HTTP).
 *
 * <p>Threads: runs on the writing caller's thread, concurrently with other writes; implementations are thread-safe.
 */
public interface CollectionHook<T, K> {

    /**
     * Before a record is written: returns the record to store ({@code record}, or a changed copy), or throws an
     * {@link dev.arbor.core.error.ArborException} (typically {@code Forbidden}) to reject the write. Not called for
     * deletions.
     */
    default T beforeWrite(K id, T record) {
        return record;
    }

    /** After a record's revision committed ({@code deleted} for a deletion). */
    default void afterWrite(K id, String rev, boolean deleted) {}
}
