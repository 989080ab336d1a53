package dev.arbor.api;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One document edit of {@link Database#bulkDocsAllOrNothing}: every edit of the call commits, or none does.
 */
public sealed interface AtomicWrite {

    /** The document written, with its {@code _id}. */
    ObjectNode doc();

    /**
     * An interactive edit checked against its revision, as {@link Database#put}: {@code _rev} names the leaf it
     * replaces, a document without {@code _rev} must not exist (or be deleted), and {@code _deleted: true}
     * deletes. A stale revision fails the whole write.
     */
    record Edit(ObjectNode doc) implements AtomicWrite {}

    /**
     * A write on top of whatever revision wins when it commits (creating the document if there is none):
     * BonsaiDb's {@code overwrite}. Any {@code _rev} in {@code doc} is ignored.
     */
    record Overwrite(ObjectNode doc) implements AtomicWrite {}
}
