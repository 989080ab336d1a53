package dev.arbor.options;

/**
 * The largest document and attachment a write may carry: CouchDB's {@code [couchdb] max_document_size} and
 * {@code max_attachment_size}, checked by the engine on every write path (413 {@code document_too_large} /
 * {@code attachment_too_large}). A plain value, so {@link dev.arbor.ArborOptions} names no engine-internal type; the check
 * itself stays inside the engine.
 *
 * @param maxDocumentBytes   largest body in bytes, the encoded JSON without its {@code _}-prefixed members;
 *                           CouchDB 3's default is 8,000,000
 * @param maxAttachmentBytes largest attachment in bytes (decoded); CouchDB's default is unlimited
 */
public record WriteLimits(long maxDocumentBytes, long maxAttachmentBytes) {

    public static final long UNLIMITED = Long.MAX_VALUE;

    /** CouchDB 3.x's defaults: 8,000,000-byte documents, attachments of any size. */
    public static final WriteLimits DEFAULT = new WriteLimits(8_000_000, UNLIMITED);

    public WriteLimits {
        if (maxDocumentBytes <= 0 || maxAttachmentBytes <= 0) {
            throw new IllegalArgumentException("size limits must be positive: " + maxDocumentBytes + ", " + maxAttachmentBytes);
        }
    }

    public WriteLimits maxDocumentBytes(long value) { return new WriteLimits(value, maxAttachmentBytes); }

    public WriteLimits maxAttachmentBytes(long value) { return new WriteLimits(maxDocumentBytes, value); }
}
