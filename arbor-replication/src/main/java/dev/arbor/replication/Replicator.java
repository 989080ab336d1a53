package dev.arbor.replication;

import dev.arbor.api.Database;
import dev.arbor.api.Storage;

import java.util.concurrent.CompletableFuture;

/**
 * Replicates between any two {@link Database}s with CouchDB's replication protocol: local to local,
 * and, through a remote client implementing the same contract, to and from servers.
 *
 * <pre>{@code
 * ReplicationResult result = Replicator.replicate(source, target, ReplicationOptions.DEFAULT);
 *
 * Replication live = Replicator.start(source, target, ReplicationOptions.DEFAULT.continuous(true), event -> log(event));
 * ...
 * live.cancel();
 * }</pre>
 *
 * Each replication runs on a thread of its own; the databases stay the caller's to close (after the
 * replication ended).
 */
public final class Replicator {
    private Replicator() {}

    /** Starts a replication; events go to {@code listener} on the replication's thread. */
    public static Replication start(Database source, Database target, ReplicationOptions options, ReplicationListener listener) {
        return start(ReplicationId.of(source, target, options), source, target, options, listener);
    }

    /**
     * Starts a replication under an id the caller made already with {@link ReplicationId#of(Database, Database, ReplicationOptions)}
     * (a server looks it up among the replications it runs before starting one).
     */
    public static Replication start(ReplicationId id, Database source, Database target, ReplicationOptions options,
                                    ReplicationListener listener) {
        ReplicationJob job = new ReplicationJob(id, source, target, options, listener);
        Thread thread = new Thread(job, "arbor-replication-" + job.id());
        thread.setDaemon(true);
        thread.start();
        return new Replication(job);
    }

    /**
     * Starts a replication into database {@code targetName} of {@code targetStorage}, creating it first
     * when {@code options.createTarget()}; {@code not_found} when it does not exist and may not be created.
     */
    public static Replication start(Database source, Storage targetStorage, String targetName, ReplicationOptions options,
                                    ReplicationListener listener) {
        Database target = options.createTarget() ? targetStorage.databaseOrCreate(targetName) : targetStorage.database(targetName);
        return start(source, target, options, listener);
    }

    /** A one-shot replication, run to its end on a replication thread while the caller waits. */
    public static ReplicationResult replicate(Database source, Database target, ReplicationOptions options) {
        requireOneShot(options);
        return start(source, target, options, ReplicationListener.NONE).await();
    }

    /** A one-shot replication into database {@code targetName} of {@code targetStorage} (see {@link #start(Database, Storage, String, ReplicationOptions, ReplicationListener)}). */
    public static ReplicationResult replicate(Database source, Storage targetStorage, String targetName, ReplicationOptions options) {
        requireOneShot(options);
        return start(source, targetStorage, targetName, options, ReplicationListener.NONE).await();
    }

    /**
     * Two-way sync, as PouchDB's {@code sync}: one-shot, a → b (push) then b → a (pull); continuous,
     * both directions live at once. Both directions report to the one listener.
     */
    public static Sync sync(Database a, Database b, ReplicationOptions options, ReplicationListener listener) {
        CompletableFuture<Replication> push = CompletableFuture.completedFuture(start(a, b, options, listener));
        if (options.continuous()) {
            return new Sync(push, CompletableFuture.completedFuture(start(b, a, options, listener)));
        }
        CompletableFuture<Replication> pull = new CompletableFuture<>();
        Sync sync = new Sync(push, pull);
        push.join().result().whenComplete((pushed, error) -> {
            Replication pulling = start(b, a, options, listener);
            if (sync.isCancelled()) {
                pulling.cancel();
            }
            pull.complete(pulling);
        });
        return sync;
    }

    /** One-shot sync, push then pull, while the caller waits. */
    public static SyncResult sync(Database a, Database b, ReplicationOptions options) {
        requireOneShot(options);
        return sync(a, b, options, ReplicationListener.NONE).await();
    }

    private static void requireOneShot(ReplicationOptions options) {
        if (options.continuous()) {
            throw new IllegalArgumentException("a continuous replication never ends by itself: use start(...) and cancel it");
        }
    }
}
