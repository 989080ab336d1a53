package dev.arbor.engine.store;

import dev.arbor.engine.kv.Space;

import java.util.List;

/** The spaces of attachments ({@link AttachmentStore}): data stored once per digest, and the index of digests. */
public final class AttachmentSpaces {
    /** (attachment id, chunk index) → up to one chunk of attachment data. */
    public static final Space DATA = Space.register("att_data", false);
    /** attachment digest → attachment id and length: the content-addressed index. */
    public static final Space INDEX = Space.register("att_index", true);

    public static final List<Space> ALL = List.of(DATA, INDEX);

    private AttachmentSpaces() {
    }
}
