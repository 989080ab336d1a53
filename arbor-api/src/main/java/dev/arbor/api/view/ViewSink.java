package dev.arbor.api.view;

/**
 * Receives a view answer as it is read: the header once, then rows in order. For a reduce answer
 * {@code totalRows} and {@code offset} are -1 (CouchDB sends neither).
 */
public interface ViewSink {
    /** @param updateSeq the seq the index reflects, or -1 when not asked for */
    void begin(long totalRows, long offset, long updateSeq);

    void row(ViewRow row);
}
