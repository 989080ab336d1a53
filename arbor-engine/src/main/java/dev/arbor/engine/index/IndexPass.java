package dev.arbor.engine.index;

import java.util.List;

/**
 * One update of one index: the kind's state for a run of batches (a view's row counts, the reduced keys it has
 * touched). Owned by one thread: the updater holding the index's lock, or the writer for a change staged into its
 * commit.
 *
 * <p>Between two {@link #finish} calls the pass stages into one {@link IndexTarget}; the framework then commits that
 * batch with the checkpoint {@link #finish} returned the state of, and hands the next batch a new target.
 */
public interface IndexPass {
    /**
     * Stages the rows of consecutive changes of the by-sequence log (each document's latest change, in sequence
     * order), replacing whatever rows each document had. In a first build (a pass from sequence 0) it must not
     * depend on what earlier batches of the pass staged: their commits may still be running while it maps (each
     * document appears once in the log, so its own rows are never among them).
     */
    void stage(List<ChangedDocument> documents, IndexTarget target);

    /**
     * Ends a batch: stages what the kind keeps per batch rather than per document (a view's refreshed reductions)
     * and returns what the checkpoint covering the batch keeps beside its sequences. Called after the previous
     * batch's commit finished, so it may read what that batch wrote.
     */
    byte[] finish(IndexTarget target);
}
