package dev.arbor.replication;

import java.util.concurrent.CompletableFuture;

/** A running two-way sync: both directions, cancelled together. */
public final class Sync {
    private final CompletableFuture<Replication> push;
    private final CompletableFuture<Replication> pull;
    private volatile boolean cancelled;

    Sync(CompletableFuture<Replication> push, CompletableFuture<Replication> pull) {
        this.push = push;
        this.pull = pull;
    }

    /** Cancels both directions (a one-shot pull that has not started yet never starts). */
    public void cancel() {
        cancelled = true;
        push.thenAccept(Replication::cancel);
        pull.thenAccept(Replication::cancel);
    }

    boolean isCancelled() {
        return cancelled;
    }

    /** Waits for both directions to end. */
    public SyncResult await() {
        return new SyncResult(push.join().await(), pull.join().await());
    }
}
