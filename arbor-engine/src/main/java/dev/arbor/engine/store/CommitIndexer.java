package dev.arbor.engine.store;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Indexes kept in the same commit as the documents (eager and unique typed views). The writer calls it for every
 * document change inside that change's unit of work, so what it stages commits or rolls back with the document,
 * and what it throws (a unique view's conflict) fails that document's write alone. Runs on the writer's thread.
 */
public interface CommitIndexer {
    /** Whether any index is kept eagerly; when not, the writer skips building the documents' JSON. */
    boolean active();

    /**
     * @param winner   the document's winning revision as {@code GET} returns it, or null when it is deleted or gone
     * @param seq      the update seq this change got
     * @param purgeSeq the database's purge seq including this change
     */
    void documentChanged(StagedWrites writes, String id, ObjectNode winner, long seq, long purgeSeq);
}
