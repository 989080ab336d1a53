package dev.arbor.engine.store;

/**
 * An attachment of one revision, as stored with the revision: its data lives once per data key in the
 * attachment store, however many revisions and documents refer to it.
 *
 * @param digest  the digest CouchDB's API reports ({@code md5-<base64>}), which revision ids and peers compare:
 *                CouchDB's digest of the data as CouchDB stores it, so the MD5 of the data, except for a
 *                compressible type, where it is the MD5 of CouchDB's gzip stream of it ({@link CouchDbGzipDigest},
 *                computed by Arbor on a new edit), and in a replicated revision, which keeps its peer's digest
 * @param revpos  the revision position at which this data was attached
 * @param dataKey the key of the data in the attachment store: always the MD5 of the bytes stored, so two
 *                different contents never share one key whatever digests peers report for them
 */
public record AttachmentRef(String name, String contentType, String digest, long length, long revpos, String dataKey) {
    /** An attachment whose reported digest is the MD5 of its data. */
    AttachmentRef(String name, String contentType, String digest, long length, long revpos) {
        this(name, contentType, digest, length, revpos, digest);
    }

    public boolean digestIsDataKey() {
        return digest.equals(dataKey);
    }
}
