package dev.arbor.replication;

import java.time.Duration;

/** What a running replication tells its {@link ReplicationListener}, as PouchDB's replication events. */
public sealed interface ReplicationEvent {

    /** Started, or resumed after being paused or after a retried failure. */
    record Active(ReplicationStats stats) implements ReplicationEvent {}

    /** A batch was written to the target. */
    record Change(ReplicationStats stats, int docsInBatch) implements ReplicationEvent {}

    /**
     * A checkpoint was written on both sides: a new run of the same replication resumes after
     * {@code seq} (CouchDB's {@code checkpointed_source_seq}).
     */
    record Checkpointed(long seq) implements ReplicationEvent {}

    /** A continuous replication caught up and waits for the source to change. */
    record Paused(ReplicationStats stats) implements ReplicationEvent {}

    /** Ended: completed, cancelled or failed; always the last event. */
    record Complete(ReplicationResult result) implements ReplicationEvent {}

    /**
     * Something failed. With {@code retryIn} not null the replication retries after that delay (from
     * the last written batch); otherwise it is about to end with {@link Complete} and status FAILED.
     */
    record Error(RuntimeException error, Duration retryIn) implements ReplicationEvent {}
}
