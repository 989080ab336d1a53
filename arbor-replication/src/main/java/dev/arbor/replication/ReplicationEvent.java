package dev.arbor.replication;

import dev.arbor.api.Seq;

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
    record Checkpointed(Seq seq) implements ReplicationEvent {}

    /**
     * The target refused a revision (PouchDB's {@code denied}); one event per revision, after the batch that held
     * it was written. The replication goes on.
     */
    record Denied(DocWriteError error) implements ReplicationEvent {}

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
