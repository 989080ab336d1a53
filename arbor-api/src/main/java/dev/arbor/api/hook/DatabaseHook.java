package dev.arbor.api.hook;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Code run around a database's document writes, as RouchDB's plugins: registered when the storage opens and run
 * on every path that writes documents (put, post, remove, {@code _bulk_docs}, multipart puts, attachment edits,
 * atomic writes, replication, and so the HTTP API).
 *
 * <p>Threads: hooks run on the writing caller's thread, outside the database's commit (a before-write hook that
 * reads the database sees it as it was before this write). They must be thread-safe: writes run concurrently.
 */
public interface DatabaseHook {

    /**
     * Before a document revision is written interactively: returns the document to write ({@code doc} itself,
     * modified, or another), or throws an {@link dev.arbor.core.error.ArborException} (typically
     * {@code Forbidden}) to reject the write. Runs before {@code validate_doc_update}, which sees the result.
     *
     * <p>Not run for replicated revisions ({@code new_edits=false}): their revision ids hash their bodies, so
     * changing a body would forge a revision. Not run for attachment-only edits, which carry no body.
     *
     * @param database the database's name
     * @param doc      the document as submitted ({@code _id}, {@code _rev}, {@code _deleted} and the body)
     */
    default ObjectNode beforeWrite(String database, ObjectNode doc) {
        return doc;
    }

    /**
     * After a revision committed (also replicated ones and attachment edits). An exception here is logged and
     * does not undo the write.
     *
     * @param id      the document written
     * @param rev     its new revision
     * @param deleted whether the revision is a deletion
     */
    default void afterWrite(String database, String id, String rev, boolean deleted) {}

    /** After the database was deleted from its storage. */
    default void onDestroy(String database) {}
}
