package dev.arbor.js;

import dev.arbor.core.error.ArborException;

import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The sandboxes of one design document. A caller takes one, uses it alone, and gives it back, so a
 * sandbox is never used by two threads at once, while threads (platform or virtual) that come and go
 * reuse warm sandboxes instead of building one each (a sandbox costs a global scope and an evaluation of
 * every function). Sandboxes beyond {@link #MAX_IDLE} idle ones are dropped when returned, and so is a
 * sandbox a call left {@linkplain Sandbox#reusable() unfit for reuse} (one that failed for memory, or whose calls
 * allocated enough that what it keeps must be dropped). Each call first reserves its budget in the process's
 * {@link JsHeapShare}, so that the calls of all pools together stay within a part of the heap.
 *
 * <p>A call made on a virtual thread runs there while it stays small; one that grows is run again on a platform
 * thread, where its allocation can be metered (see {@link JsEngine.TimedContext}). Moving every call would cost a
 * thread hand-off each, 8 to 20 µs measured, more than a whole map call.
 */
final class SandboxPool {
    static final int MAX_IDLE = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());

    /** Threads for the calls that moved; each one waits for its caller, so there are as many as such calls at once. */
    private static final ExecutorService METERED_THREADS =
            Executors.newCachedThreadPool(Thread.ofPlatform().name("arbor-js-metered-", 0).daemon().factory());

    private final DesignDocScripts scripts;
    private final JsOptions options;
    private final JsHeapShare heapShare;
    private final ConcurrentLinkedDeque<Sandbox> idle = new ConcurrentLinkedDeque<>();
    private final AtomicInteger idleCount = new AtomicInteger();

    /**
     * Builds the first sandbox now, so that functions that do not evaluate to functions fail at compile time.
     *
     * @param heapShare what the calls of all pools may hold at once; each call reserves its budget there
     */
    SandboxPool(DesignDocScripts scripts, JsOptions options, JsHeapShare heapShare) {
        this.scripts = scripts;
        this.options = options;
        this.heapShare = heapShare;
        release(new Sandbox(scripts, options));
    }

    /**
     * Runs {@code work} on a sandbox that no other thread uses meanwhile, once its budget is reserved in the heap
     * share; the time limit of the call runs from here, waiting included, building a sandbox not.
     */
    <T> T with(Function<Sandbox, T> work) {
        long deadline = System.nanoTime() + options.timeout().toNanos();
        int reservation = heapShare.reserve(options.memoryBudget(), deadline);
        if (reservation < 0) {
            throw new ArborException.Internal("os_process_error: OS process timed out (a design function of "
                    + scripts.docId() + " waited over " + options.timeout().toMillis() + " ms for the "
                    + heapShare.capacityBytes() + " bytes that design function calls may hold at once)", null);
        }
        Sandbox sandbox = idle.pollFirst();
        try {
            if (sandbox != null) {
                idleCount.decrementAndGet();
            } else {
                long building = System.nanoTime();
                sandbox = new Sandbox(scripts, options);
                deadline += System.nanoTime() - building; // the server's work, as when a pool builds its first
            }
            sandbox.continueBefore(deadline);
            try {
                return work.apply(sandbox);
            } catch (JsEngine.NeedsMeteredThread moving) {
                sandbox.continueBefore(moving.deadline());
                return onMeteredThread(sandbox, work);
            }
        } finally {
            heapShare.release(reservation);
            if (sandbox != null && sandbox.reusable()) {
                release(sandbox);
            }
        }
    }

    private static <T> T onMeteredThread(Sandbox sandbox, Function<Sandbox, T> work) {
        Future<T> call = METERED_THREADS.submit(() -> work.apply(sandbox));
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return call.get();
                } catch (InterruptedException e) {
                    // The sandbox is in use over there until the call ends, which its deadline bounds: wait for it.
                    interrupted = true;
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException failure) {
                        throw failure;
                    }
                    if (e.getCause() instanceof Error error) {
                        throw error;
                    }
                    throw new IllegalStateException(e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void release(Sandbox sandbox) {
        if (idleCount.incrementAndGet() <= MAX_IDLE) {
            idle.offerFirst(sandbox);
        } else {
            idleCount.decrementAndGet();
        }
    }
}
