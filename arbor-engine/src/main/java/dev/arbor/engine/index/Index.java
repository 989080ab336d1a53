package dev.arbor.engine.index;

import dev.arbor.engine.kv.KvSnapshot;

import java.util.HexFormat;

/**
 * One index as its definition stands, of some {@link IndexKind}: what the framework needs to keep it. A changed
 * definition has a new {@link #signature}, so it starts an empty index beside the old one's rows (dropped by a
 * cleanup) and is built from the first change.
 *
 * <p>Implementations are immutable and thread-safe: updaters, readers and the writer call them from their own threads.
 */
public interface Index {
    /** Documents per committed batch unless the index says otherwise: bounds a crash's lost work and a batch's memory. */
    int BATCH_DOCUMENTS = 10_000;

    IndexKind kind();

    /** Identifies the index's data: the first bytes of each of its keys in its kind's spaces. */
    byte[] signature();

    /** A readable name for logs and errors ({@code _design/blog}, {@code mango index by-age}). */
    String displayName();

    /** What the checkpoint of an index with no rows keeps beside its sequences. */
    byte[] emptyState();

    /**
     * Whether rows built under a checkpoint with {@code state} can be brought up to date, rather than rebuilt (a
     * state of an older row layout, or of another number of views, cannot).
     */
    default boolean fits(byte[] state) {
        return true;
    }

    /** Starts an update of the index from the rows of {@code from}. */
    IndexPass pass(IndexCheckpoint from, Staging staging);

    /**
     * Documents per committed batch. Larger batches amortise a commit and whatever the kind refreshes per batch (a
     * view's reductions); smaller ones lose less to a crash.
     */
    default int batchDocuments() {
        return BATCH_DOCUMENTS;
    }

    /**
     * What is wrong with the index's data, or null when it agrees with {@code checkpoint} as far as the kind can
     * tell; read on one snapshot while the index's lock is held. The framework has already checked that the
     * checkpoint is not ahead of the database and fits the definition.
     */
    default String problem(KvSnapshot snapshot, IndexCheckpoint checkpoint) {
        return null;
    }

    default String signatureHex() {
        return HexFormat.of().formatHex(signature());
    }

    /** Where a pass stages its writes, which decides what it may assume and must check. */
    enum Staging {
        /** Batches of the index's own, committed by the updater with the checkpoint, beside the writers. */
        OWN_BATCHES,
        /**
         * The writer's group commit, one document change at a time (an index kept eagerly): what the pass stages
         * commits or rolls back with the document, and what it throws fails that document's write alone (a unique
         * view's conflict).
         */
        WRITERS_COMMIT
    }
}
