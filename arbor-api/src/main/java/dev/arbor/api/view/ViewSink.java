package dev.arbor.api.view;

import dev.arbor.api.Seq;

/**
 * Receives a view answer as it is read: the header once, then rows in order. For a reduce answer
 * {@code totalRows} and {@code offset} are -1 (CouchDB sends neither).
 */
public interface ViewSink {
    /** @param updateSeq the seq the index reflects, as the database gave it; null when not asked for */
    void begin(long totalRows, long offset, Seq updateSeq);

    void row(ViewRow row);
}
