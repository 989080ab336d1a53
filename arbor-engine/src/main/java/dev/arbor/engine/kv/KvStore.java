package dev.arbor.engine.kv;

/**
 * The ordered key-value store under one database. Reads may come from any thread; commits come from
 * the database's single writer thread (see {@code DatabaseWriter}), so a store needs no write locking
 * of its own beyond what makes a commit atomic for readers.
 */
public interface KvStore extends KvReader, AutoCloseable {
    KvSnapshot snapshot();

    KvBatch newBatch();

    /**
     * Applies the batch atomically. With {@code sync} the commit is on stable storage when this
     * returns; without, it has reached the OS (survives a killed process, not a power loss).
     */
    void commit(KvBatch batch, boolean sync);

    /**
     * Counts the times the store reopened itself to recover from a write failure. A reopen replays the WAL, which
     * may hold a commit that was reported failed (written but not synced), so whoever caches state derived from
     * the store reloads it when this changes.
     */
    default long generation() {
        return 0;
    }

    /** Bytes the store occupies on disk (or in memory), approximately. */
    long sizeOnDisk();

    /** Bytes of live data, approximately. */
    long liveDataSize();

    /** Reclaims space after large deletions (compaction). */
    void compactStorage();

    /**
     * Says the database this store holds is being deleted: from now on, a use after {@link #close()} is the
     * caller's 404 {@code not_found} "Database does not exist." (a request that raced the deletion), not an
     * internal error. Called before {@code close()}.
     */
    default void markDeleted() {
    }

    @Override
    void close();
}
