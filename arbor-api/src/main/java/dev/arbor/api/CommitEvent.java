package dev.arbor.api;

/** Told to commit listeners after each commit: the database and its update_seq after the commit. */
public record CommitEvent(String dbName, Seq updateSeq) {
    public CommitEvent(String dbName, long updateSeq) {
        this(dbName, Seq.of(updateSeq));
    }
}
