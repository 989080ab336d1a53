package dev.arbor.engine.mango;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Spare cores for one large query: a query that reads thousands of candidate documents (W7's all-results query
 * reads ~10,000 to return ~2,000) spends nearly all its time in point reads and parsing, which split cleanly
 * into independent batches. {@link #map} hands a list of such batches to the calling thread and to the workers
 * and returns their results in order.
 *
 * <p>Threads: one process-wide pool of {@code cores - 1} daemon threads ("arbor-query-N"), none on a single
 * core. The calling thread always works too and takes whatever no worker has started, so a query never waits
 * for a pool kept busy by other queries: at worst it runs alone, as it would without the pool. Every item a
 * worker took is finished before {@link #map} returns or throws, so a caller may close the snapshot the items
 * read right after.
 */
final class QueryWorkers {
    private QueryWorkers() {}

    /** Threads that may work on one query at once, the caller included. */
    static final int PARALLELISM = Math.max(1, Runtime.getRuntime().availableProcessors());

    private static final ExecutorService POOL = PARALLELISM == 1 ? null : Executors.newFixedThreadPool(PARALLELISM - 1,
            Thread.ofPlatform().daemon().name("arbor-query-", 1).factory());

    /** {@code work} applied to every item, on this thread and the spare cores, the results in the items' order. */
    static <T, R> List<R> map(List<T> items, Function<T, R> work) {
        if (POOL == null || items.size() < 2) {
            List<R> results = new ArrayList<>(items.size());
            for (T item : items) {
                results.add(work.apply(item));
            }
            return results;
        }
        Shared<T, R> shared = new Shared<>(items, work);
        int helpers = Math.min(PARALLELISM - 1, items.size() - 1);
        for (int i = 0; i < helpers; i++) {
            try {
                POOL.execute(shared::drain);
            } catch (RejectedExecutionException e) {
                break; // the caller does it all
            }
        }
        shared.drain();
        return shared.awaitResults();
    }

    /** The items of one {@link #map} call, claimed one at a time by whichever thread is free. */
    private static final class Shared<T, R> {
        private final List<T> items;
        private final Function<T, R> work;
        private final Object[] results;
        /**
         * Guards the next unclaimed item, how many claimed items are finished and the first failure. A lock rather than
         * a monitor: the caller may be a virtual thread (an HTTP request), which waiting in {@code Object.wait} would
         * pin to its carrier on JDK 21.
         */
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition progress = lock.newCondition();
        private int next;
        private int finished;
        private Throwable failure;

        Shared(List<T> items, Function<T, R> work) {
            this.items = items;
            this.work = work;
            this.results = new Object[items.size()];
        }

        void drain() {
            for (int i; (i = claim()) >= 0; ) {
                Object result = null;
                Throwable failed = null;
                try {
                    result = work.apply(items.get(i));
                } catch (Throwable t) {
                    failed = t;
                }
                finish(i, result, failed);
            }
        }

        private int claim() {
            lock.lock();
            try {
                return failure == null && next < items.size() ? next++ : -1;
            } finally {
                lock.unlock();
            }
        }

        private void finish(int i, Object result, Throwable failed) {
            lock.lock();
            try {
                results[i] = result;
                if (failed != null && failure == null) {
                    failure = failed;
                }
                finished++;
                progress.signalAll();
            } finally {
                lock.unlock();
            }
        }

        /** Waits for every claimed item (a failure stops further claims), then returns the results or throws the failure. */
        @SuppressWarnings("unchecked")
        List<R> awaitResults() {
            lock.lock();
            try {
                while (finished < next) {
                    // The workers read the caller's snapshot: never return before they are done, even if interrupted.
                    progress.awaitUninterruptibly();
                }
            } finally {
                lock.unlock();
            }
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
            if (failure != null) {
                throw new IllegalStateException(failure);
            }
            return (List<R>) Arrays.asList(results);
        }
    }
}
