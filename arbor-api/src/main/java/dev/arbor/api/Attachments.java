package dev.arbor.api;

import java.io.InputStream;

/** The attachments of a document's revisions, streamed in and out. */
public interface Attachments {

    /** An attachment of the winning revision (or of {@code rev} when not null), streamed. Close it. */
    AttachmentStream getAttachment(String docId, String name, String rev);

    /** Adds or replaces one attachment, making a new revision of {@code docId} on top of {@code rev}. The data is streamed. */
    DocResult.Ok putAttachment(String docId, String rev, String name, String contentType, InputStream data);

    DocResult.Ok removeAttachment(String docId, String rev, String name);
}
