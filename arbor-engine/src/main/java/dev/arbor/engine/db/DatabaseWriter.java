package dev.arbor.engine.db;

import dev.arbor.core.error.ArborException;
import dev.arbor.engine.kv.KvBatch;
import dev.arbor.engine.kv.KvStore;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The one writer of a database, on its own thread. Callers hand it tasks and wait; it drains every
 * task that is waiting into one {@link WriteContext}, commits them as one batch with one WAL sync, then
 * completes every caller at once (group commit). So N concurrent durable writers cost about one sync,
 * not N, and no lock is ever held by a caller.
 *
 * <p>Threads: the writer thread owns the {@link WriteContext}, the published {@link DbState} and the
 * right to commit to the store. Callers only touch the queue and their future.
 */
final class DatabaseWriter implements AutoCloseable {
    /** Upper bound on tasks per group, so one huge queue cannot build an unbounded batch. */
    private static final int MAX_TASKS_PER_GROUP = 512;

    /** @param exclusive run in a group of its own (it reads the committed store directly, e.g. compaction) */
    private record Task<R>(Function<WriteContext, R> work, CompletableFuture<R> done, boolean exclusive) {
        void run(WriteContext ctx, List<Runnable> completions) {
            ctx.mark();
            try {
                R result = work.apply(ctx);
                ctx.keep();
                completions.add(() -> done.complete(result));
            } catch (RuntimeException | Error e) {
                ctx.rollback();
                completions.add(() -> done.completeExceptionally(e));
            }
        }
    }

    private final KvStore store;
    private final boolean sync;
    private final LinkedBlockingQueue<Task<?>> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final Consumer<DbState> onCommit;
    private volatile DbState state;
    private volatile boolean closing;

    DatabaseWriter(String name, KvStore store, DbState initial, boolean sync, Consumer<DbState> onCommit) {
        this.store = store;
        this.sync = sync;
        this.state = initial;
        this.onCommit = onCommit;
        // A platform thread: commits block inside RocksDB's native code, which would pin a virtual
        // thread's carrier anyway.
        this.thread = Thread.ofPlatform().name("arbor-writer-" + name).daemon(true).start(this::loop);
    }

    /** The counters as of the last commit. */
    DbState state() {
        return state;
    }

    /** Runs {@code work} on the writer thread within the next group commit and returns its result once committed. */
    <R> R submit(Function<WriteContext, R> work) {
        return submit(work, false);
    }

    /** Like {@link #submit(Function)}, but the task commits alone: nothing else is staged before it in its group. */
    <R> R submitExclusive(Function<WriteContext, R> work) {
        return submit(work, true);
    }

    private <R> R submit(Function<WriteContext, R> work, boolean exclusive) {
        if (closing) {
            throw new ArborException.Internal("database is closed", null);
        }
        CompletableFuture<R> done = new CompletableFuture<>();
        queue.add(new Task<>(work, done, exclusive));
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

    private void loop() {
        List<Task<?>> group = new ArrayList<>();
        List<Runnable> completions = new ArrayList<>();
        while (true) {
            try {
                Task<?> first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (closing && queue.isEmpty()) {
                        return;
                    }
                    continue;
                }
                group.add(first);
                queue.drainTo(group, MAX_TASKS_PER_GROUP - 1);
            } catch (InterruptedException e) {
                if (closing) {
                    return;
                }
                continue;
            }
            // Exclusive tasks split the drained tasks into groups: [before], [exclusive], [after]...
            int start = 0;
            for (int i = 0; i < group.size(); i++) {
                if (group.get(i).exclusive()) {
                    if (i > start) {
                        commitGroup(group.subList(start, i), completions);
                    }
                    commitGroup(group.subList(i, i + 1), completions);
                    start = i + 1;
                }
            }
            if (start < group.size()) {
                commitGroup(group.subList(start, group.size()), completions);
            }
            group.clear();
        }
    }

    private void commitGroup(List<Task<?>> group, List<Runnable> completions) {
        DbState before = state;
        WriteContext ctx = new WriteContext(store, before);
        for (Task<?> task : group) {
            task.run(ctx, completions);
        }
        if (!ctx.isEmpty() || !ctx.state().equals(before)) {
            try (KvBatch batch = ctx.toBatch()) {
                store.commit(batch, sync);
            } catch (RuntimeException e) {
                // Nothing of this group is durable: fail every task in it, keep the old state.
                ArborException failure = e instanceof ArborException ae ? ae : new ArborException.Internal("commit failed: " + e.getMessage(), e);
                for (Task<?> task : group) {
                    task.done().completeExceptionally(failure);
                }
                completions.clear();
                return;
            }
            state = ctx.state();
        }
        completions.forEach(Runnable::run);
        completions.clear();
        if (state.updateSeq() != before.updateSeq()) {
            onCommit.accept(state);
        }
    }

    /** Finishes every task already queued, then stops the thread. */
    @Override
    public void close() {
        closing = true;
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Anything that slipped in after the thread saw an empty queue is refused, not lost silently.
        Task<?> late;
        while ((late = queue.poll()) != null) {
            late.done().completeExceptionally(new ArborException.Internal("database is closed", null));
        }
    }
}
