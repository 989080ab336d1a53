package dev.arbor.js;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The part of the JVM heap that design function calls may hold at once, all design documents and databases together:
 * each call is within its {@linkplain JsOptions#memoryBudget() budget}, but many calls at once could still fill the
 * heap. A call reserves its whole budget before it starts and gives it back when it ends; a call that finds the share
 * taken waits for it, within its time limit ({@link JsOptions#timeout()}), as a request waits in CouchDB for a free
 * couchjs process. Counted in MiB, so that budgets of any size share one semaphore.
 *
 * <p>Thread-safe: any thread reserves and releases; a call moved to a metered thread keeps the reservation its caller
 * made (see {@link SandboxPool}).
 */
final class JsHeapShare {
    /**
     * A quarter of the heap: with the default budget and a 1 GiB heap, four calls at once. The rest is for the server
     * itself, its caches, and what the sandboxes keep between calls.
     */
    static final JsHeapShare PROCESS = new JsHeapShare(Runtime.getRuntime().maxMemory() / 4);

    private static final int MIB_SHIFT = 20;

    private final int capacityMib;
    private final Semaphore freeMib;

    /** @param bytes what all calls may reserve at once; at least 1 MiB is, so that a call can always run */
    JsHeapShare(long bytes) {
        capacityMib = (int) Math.max(1, Math.min(Integer.MAX_VALUE, bytes >> MIB_SHIFT));
        freeMib = new Semaphore(capacityMib);
    }

    /**
     * Reserves {@code budget} bytes (all of the share when the budget is larger: such a call then runs alone), waiting
     * until {@code deadline} (a nanoTime) at most.
     *
     * @return the reservation to {@linkplain #release give back}, or -1 when the deadline passed first
     */
    int reserve(long budget, long deadline) {
        int mib = (int) Math.min(capacityMib, Math.max(1, (budget + (1 << MIB_SHIFT) - 1) >> MIB_SHIFT));
        if (freeMib.tryAcquire(mib)) {
            return mib;
        }
        try {
            return freeMib.tryAcquire(mib, deadline - System.nanoTime(), TimeUnit.NANOSECONDS) ? mib : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    void release(int reservation) {
        freeMib.release(reservation);
    }

    /** What running calls hold now. */
    long reservedBytes() {
        return (long) (capacityMib - freeMib.availablePermits()) << MIB_SHIFT;
    }

    long capacityBytes() {
        return (long) capacityMib << MIB_SHIFT;
    }
}
