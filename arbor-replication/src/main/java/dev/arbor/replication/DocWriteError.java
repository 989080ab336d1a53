package dev.arbor.replication;

/**
 * A revision the target refused to store, with its error as the target gave it ({@code forbidden},
 * {@code unauthorized}, {@code content_md5_mismatch}, ...). The replication goes on without it and counts it in
 * {@code doc_write_failures}, as CouchDB's does; the revision is not retried by later runs unless it changes again
 * on the source, since the checkpoint moves past it.
 */
public record DocWriteError(String id, String rev, String error, String reason) {

    @Override
    public String toString() {
        return id + " " + rev + ": " + error + (reason == null || reason.isEmpty() ? "" : " " + reason);
    }
}
