package dev.arbor.engine.kv;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The commits of one index update (a view's or a Mango index's), in order, at most one in flight. Pipelined, a
 * batch's store write runs on a shared daemon thread while the updater prepares the next batch (about half of a first
 * build's CPU is RocksDB inserting a batch into its memtables); otherwise on the updater's thread. Either way each
 * batch commits whole, after the one before it, so a crash leaves the index at the checkpoint of the last batch
 * committed. Pipelining is for updates that read nothing of their index that an earlier batch of theirs wrote while
 * they prepare a batch.
 *
 * <p>Threads: owned by the updater thread (holding the index's lock); the commit thread only runs
 * {@link KvStore#commit} and closes the batch it was handed.
 */
public final class BatchCommits {
    /** Whether a second core is there to write on. */
    public static final boolean PARALLEL = Runtime.getRuntime().availableProcessors() > 1;
    private static final ExecutorService WRITERS = Executors.newCachedThreadPool(
            Thread.ofPlatform().daemon().name("arbor-index-commit-", 1).factory());

    private final KvStore store;
    private final boolean pipelined;
    private CompletableFuture<Void> inFlight;

    public BatchCommits(KvStore store, boolean pipelined) {
        this.store = store;
        this.pipelined = pipelined;
    }

    /** Commits {@code batch} (now or on the commit thread), closing it; a previous commit must have been awaited. */
    public void commit(KvBatch batch) {
        if (inFlight != null) {
            throw new IllegalStateException("a commit is still in flight");
        }
        if (!pipelined) {
            try (batch) {
                store.commit(batch, false);
            }
            return;
        }
        inFlight = CompletableFuture.runAsync(() -> {
            try (batch) {
                store.commit(batch, false);
            }
        }, WRITERS);
    }

    /** Waits for the commit in flight, if any, and throws its failure. */
    public void awaitPrevious() {
        CompletableFuture<Void> pending = inFlight;
        inFlight = null;
        if (pending == null) {
            return;
        }
        try {
            pending.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    /** On the way out after a failure: lets a commit in flight finish (its batch is whole), ignoring its outcome. */
    public void abandon() {
        CompletableFuture<Void> pending = inFlight;
        inFlight = null;
        if (pending != null) {
            pending.handle((ignored, failure) -> null).join();
        }
    }
}
