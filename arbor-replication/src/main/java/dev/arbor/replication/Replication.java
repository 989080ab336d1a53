package dev.arbor.replication;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A running replication: cancel it, or wait for its result. */
public final class Replication {
    private final ReplicationJob job;

    Replication(ReplicationJob job) {
        this.job = job;
    }

    public ReplicationId id() {
        return job.id();
    }

    /**
     * Stops after the batch being written, checkpoints what was written, and completes with status
     * CANCELLED. Returns at once; {@link #await()} waits for the end.
     */
    public void cancel() {
        job.cancel();
    }

    public boolean isDone() {
        return job.result().isDone();
    }

    /** Waits for the end (a continuous replication ends only when cancelled or failed). */
    public ReplicationResult await() {
        return job.result().join();
    }

    /** Waits at most {@code timeout}; throws {@link TimeoutException} if still running. */
    public ReplicationResult await(Duration timeout) throws TimeoutException, InterruptedException {
        try {
            return job.result().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a replication job completes normally even when it fails", e.getCause());
        }
    }

    /** The result as a future, for composition. */
    public CompletableFuture<ReplicationResult> result() {
        return job.result().copy();
    }
}
