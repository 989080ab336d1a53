package dev.arbor.api;

/** The tail of a {@code _changes} result: the last sequence sent and how many changes remain after it. */
public record ChangesSummary(Seq lastSeq, long pending) {
    public ChangesSummary(long lastSeq, long pending) {
        this(Seq.of(lastSeq), pending);
    }
}
