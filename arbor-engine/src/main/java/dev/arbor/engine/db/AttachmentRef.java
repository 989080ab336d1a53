package dev.arbor.engine.db;

/**
 * An attachment of one revision, as stored with the revision: its data lives once per digest in the
 * attachment store, however many revisions and documents refer to it.
 *
 * @param digest CouchDB's {@code md5-<base64>}
 * @param revpos the revision position at which this data was attached
 */
record AttachmentRef(String name, String contentType, String digest, long length, long revpos) {}
