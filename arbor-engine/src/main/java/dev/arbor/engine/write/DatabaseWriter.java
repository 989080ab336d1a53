package dev.arbor.engine.write;

import dev.arbor.engine.store.DocSpaces;
import dev.arbor.engine.store.CommitIndexer;
import dev.arbor.engine.store.DbState;
import dev.arbor.engine.store.DatabaseKeys;
import dev.arbor.engine.store.LiveCounts;

import dev.arbor.engine.kv.ClosedDatabase;

import dev.arbor.core.error.ArborException;
import dev.arbor.engine.kv.KvBatch;
import dev.arbor.engine.kv.KvStore;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The single writer of a database, as a role rather than a thread (leader/follower group commit, as
 * RocksDB's and LevelDB's own write paths do it). A caller queues its task and tries the commit lock.
 * Whoever holds it is the writer: it drains every queued task into one {@link WriteContext}, commits
 * them as one batch with one WAL sync, completes every task in the group and wakes its caller. A
 * caller that does not get the lock parks until its task is done, or until the writer, on leaving,
 * hands the role to the caller whose task is next in the queue (so no task is ever left behind).
 *
 * <p>So N concurrent durable writers share one sync, and a lone writer commits on its own thread with
 * no hand-off to another thread.
 *
 * <p>Threads: the lock holder owns the {@link WriteContext}, the right to commit, and the publication
 * of {@link DbState}; commit listeners run on it. Everyone else touches only the queue and its own future.
 */
public final class DatabaseWriter implements AutoCloseable {
    /** Upper bound on tasks per group, so one huge queue cannot build an unbounded batch. */
    private static final int MAX_TASKS_PER_GROUP = 512;

    /** @param exclusive commit in a group of its own (it reads the committed store directly, e.g. compaction) */
    private record Task<R>(Function<WriteContext, R> work, CompletableFuture<R> done, boolean exclusive, Thread caller) {
        void run(WriteContext ctx, List<Runnable> completions) {
            ctx.mark();
            try {
                R result = work.apply(ctx);
                ctx.keep();
                completions.add(() -> finish(() -> done.complete(result)));
            } catch (RuntimeException | Error e) {
                ctx.rollback();
                completions.add(() -> finish(() -> done.completeExceptionally(e)));
            }
        }

        void fail(Throwable e) {
            finish(() -> done.completeExceptionally(e));
        }

        private void finish(Runnable complete) {
            complete.run();
            LockSupport.unpark(caller);
        }
    }

    private final KvStore store;
    private final boolean sync;
    private final ConcurrentLinkedQueue<Task<?>> queue = new ConcurrentLinkedQueue<>();
    private final ReentrantLock commitLock = new ReentrantLock();
    private final Consumer<DbState> onCommit;
    /** Run after a commit that touched a design document, before its callers are released. */
    private final Runnable onDesignChange;
    private volatile DbState state;
    /** The store generation {@link #state} was read in; owned by the lock holder. */
    private long stateGeneration;
    private volatile boolean closed;
    private volatile boolean deleted;

    /** Live documents per id range, for {@code _all_docs} offsets; its state is the lock holder's. */
    private final LiveCounts liveCounts;

    public DatabaseWriter(KvStore store, DbState initial, boolean sync, Consumer<DbState> onCommit, Runnable onDesignChange) {
        this.liveCounts = LiveCounts.open(store);
        this.onDesignChange = onDesignChange;
        this.store = store;
        this.sync = sync;
        this.state = initial;
        this.stateGeneration = store.generation();
        this.onCommit = onCommit;
    }

    /** Indexes updated in every commit (eager views); set once by the database, read by the lock holder. */
    private volatile CommitIndexer indexer;

    public void commitIndexer(CommitIndexer indexer) {
        this.indexer = indexer;
    }

    /** The counters as of the last commit. */
    public DbState state() {
        return state;
    }

    /** Runs {@code work} as part of the next group commit and returns its result once committed. */
    public <R> R submit(Function<WriteContext, R> work) {
        return submit(work, false);
    }

    /** Like {@link #submit(Function)}, but the task commits alone: nothing else is staged before it in its group. */
    public <R> R submitExclusive(Function<WriteContext, R> work) {
        return submit(work, true);
    }

    private <R> R submit(Function<WriteContext, R> work, boolean exclusive) {
        if (closed) {
            throw ClosedDatabase.error(deleted);
        }
        CompletableFuture<R> done = new CompletableFuture<>();
        queue.add(new Task<>(work, done, exclusive, Thread.currentThread()));
        while (!done.isDone()) {
            if (commitLock.tryLock()) {
                try {
                    if (closed) {
                        failQueued();
                    } else if (!done.isDone()) {
                        commitQueued();
                    }
                } finally {
                    commitLock.unlock();
                }
                // Tasks queued while we committed need a writer: hand the role to the next one's caller.
                Task<?> next = queue.peek();
                if (next != null) {
                    LockSupport.unpark(next.caller());
                }
            } else {
                // Woken when our task completes, or when a leaving writer hands us the role.
                LockSupport.park(this);
            }
        }
        try {
            return done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ArborException.Internal("interrupted while waiting for commit", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new ArborException.Internal("write failed", e.getCause());
        }
    }

    /** Holding the lock: commits the tasks queued now, in order, exclusive ones in groups of their own. */
    private void commitQueued() {
        List<Task<?>> group = new ArrayList<>();
        Task<?> task;
        while (group.size() < MAX_TASKS_PER_GROUP && (task = queue.peek()) != null) {
            if (task.exclusive()) {
                if (group.isEmpty()) {
                    group.add(queue.poll());
                }
                break;
            }
            group.add(queue.poll());
        }
        if (!group.isEmpty()) {
            commitGroup(group);
        }
    }

    private void commitGroup(List<Task<?>> group) {
        if (store.generation() != stateGeneration) {
            // The store reopened after a write failure: its counters are the truth (see KvStore.generation()).
            stateGeneration = store.generation();
            state = DbState.decode(store.get(DocSpaces.META, DatabaseKeys.META_STATE));
            liveCounts.reload();
        }
        DbState before = state;
        WriteContext ctx = new WriteContext(store, before, indexer, liveCounts);
        List<Runnable> completions = new ArrayList<>(group.size());
        for (Task<?> task : group) {
            task.run(ctx, completions);
        }
        if (!ctx.isEmpty() || !ctx.state().equals(before)) {
            try (KvBatch batch = ctx.toBatch()) {
                store.commit(batch, sync);
            } catch (RuntimeException e) {
                // Nothing of this group is durable: fail every task in it, keep the old state.
                ArborException failure = e instanceof ArborException ae ? ae
                        : new ArborException.Internal("commit failed: " + e.getMessage(), e);
                for (Task<?> t : group) {
                    t.fail(failure);
                }
                return;
            }
            state = ctx.state();
            liveCounts.splitGrown();
            if (ctx.designDocumentsTouched()) {
                // Before the callers return: a client that saved a validation function has its next write checked by it.
                onDesignChange.run();
            }
        }
        completions.forEach(Runnable::run);
        if (state.updateSeq() != before.updateSeq()) {
            onCommit.accept(state);
        }
    }

    private void failQueued() {
        Task<?> late;
        while ((late = queue.poll()) != null) {
            late.fail(ClosedDatabase.error(deleted));
        }
    }

    /** See {@link dev.arbor.engine.kv.KvStore#markDeleted()}: tasks refused from now on get the caller's 404. */
    public void markDeleted() {
        deleted = true;
    }

    /** Waits for the write in progress, then refuses every later one. */
    @Override
    public void close() {
        commitLock.lock();
        try {
            // Tasks already queued were acknowledged as accepted: finish them before closing.
            while (!queue.isEmpty()) {
                commitQueued();
            }
            closed = true;
        } finally {
            commitLock.unlock();
        }
    }
}
