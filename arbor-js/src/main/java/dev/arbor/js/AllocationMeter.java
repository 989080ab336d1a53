package dev.arbor.js;

import java.lang.management.ManagementFactory;

/**
 * How many bytes the current thread has allocated on the heap: the meter of {@link JsOptions#memoryBudget()}.
 *
 * <p>HotSpot counts allocation per platform thread, cheaply (about 30 ns a reading). A virtual thread has no count of
 * its own: the JDK answers -1 there (measured on JDK 25), because its allocations land on whichever carrier runs it.
 * A call made on a virtual thread is bounded by what all threads allocate meanwhile ({@link #allThreads()}) and
 * moved to a platform thread when that bound is not enough (see {@link JsEngine.TimedContext}).
 */
final class AllocationMeter {
    private static final System.Logger LOGGER = System.getLogger("dev.arbor.js");
    private static final com.sun.management.ThreadMXBean THREADS = threads();

    private AllocationMeter() {}

    /** Bytes allocated by the current thread so far, or -1 when that cannot be known here. */
    static long currentThread() {
        if (THREADS == null || Thread.currentThread().isVirtual()) {
            return -1;
        }
        return THREADS.getCurrentThreadAllocatedBytes(); // -1 while measurement is switched off
    }

    /**
     * Bytes allocated by all threads so far, or -1: an upper bound of what a virtual thread allocates meanwhile (its
     * carrier is one of them). Costs about 0.4 µs with 70 threads (it sums them), so it is read sparingly.
     */
    static long allThreads() {
        return THREADS == null ? -1 : THREADS.getTotalThreadAllocatedBytes();
    }

    /** Whether moving a call to a platform thread would let it be metered. */
    static boolean platformThreadsAreMetered() {
        return THREADS != null && THREADS.isThreadAllocatedMemoryEnabled();
    }

    private static com.sun.management.ThreadMXBean threads() {
        try {
            if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads
                    && threads.isThreadAllocatedMemorySupported()) {
                if (!threads.isThreadAllocatedMemoryEnabled()) {
                    LOGGER.log(System.Logger.Level.WARNING, "thread allocation measurement is switched off in this JVM: "
                            + "the memory budget of design functions is enforced only on the sizes it can foresee");
                }
                return threads;
            }
        } catch (RuntimeException | LinkageError unavailable) {
            // Not HotSpot's management extension (or no java.management): fall through.
        }
        LOGGER.log(System.Logger.Level.WARNING, "this JVM cannot measure allocation per thread: "
                + "the memory budget of design functions is enforced only on the sizes it can foresee");
        return null;
    }
}
