package dev.arbor.api;

/** Receives an {@code _all_docs} (or {@code _local_docs}) result as it is read: the header once, then rows in order. */
public interface AllDocsSink {
    /** @param updateSeq the database's update_seq at the snapshot read, as it gave it; null when not asked for */
    void begin(long totalRows, long offset, Seq updateSeq);

    void row(AllDocsRow row);
}
