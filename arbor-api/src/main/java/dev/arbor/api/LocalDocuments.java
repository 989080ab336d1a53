package dev.arbor.api;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Local documents ({@code _local/<id>}): never in the changes feed, never replicated, no revision tree. The
 * replicator keeps its checkpoints here.
 */
public interface LocalDocuments {

    ObjectNode getLocal(String id);

    /**
     * Writes {@code _local/<id>}; revisions are {@code 0-N}. As in CouchDB 3, the new revision is the one the doc
     * names ({@code _revisions} over {@code _rev}) plus one, and is not checked against the stored one: no conflict.
     * A rev that is not {@code 0-N} is 400 "Invalid rev format".
     */
    DocResult.Ok putLocal(ObjectNode doc);

    /** Removes a local doc whatever {@code rev} names, as CouchDB does; a missing one is not found. */
    void removeLocal(String id, String rev);

    /** {@code _local_docs}, streamed like {@link Documents#allDocs}. */
    void localDocs(AllDocsOptions options, AllDocsSink sink);
}
