package dev.arbor.engine.db;

/**
 * An attachment of one revision, as stored with the revision: its data lives once per data key in the
 * attachment store, however many revisions and documents refer to it.
 *
 * @param digest  the digest CouchDB's API reports ({@code md5-<base64>}): the MD5 of the data, except in a
 *                replicated revision that brought its peer's digest, which CouchDB computed over the data as it
 *                stores it (gzip-encoded for compressible types) and which revision ids and peers compare
 * @param revpos  the revision position at which this data was attached
 * @param dataKey the key of the data in the attachment store: always the MD5 of the bytes stored, so two
 *                different contents never share one key whatever digests peers report for them
 */
record AttachmentRef(String name, String contentType, String digest, long length, long revpos, String dataKey) {
    /** An attachment whose reported digest is the MD5 of its data (everything Arbor digests itself). */
    AttachmentRef(String name, String contentType, String digest, long length, long revpos) {
        this(name, contentType, digest, length, revpos, digest);
    }

    boolean digestIsDataKey() {
        return digest.equals(dataKey);
    }
}
