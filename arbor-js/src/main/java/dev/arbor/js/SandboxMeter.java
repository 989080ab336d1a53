package dev.arbor.js;

/**
 * What the calls made in one sandbox allocated between them, from each call's start to its end (parsing its arguments
 * and converting its result included): the measure by which a sandbox is retired (see {@link Sandbox}). Confined like
 * its sandbox: one thread at a time.
 *
 * <p>On a platform thread a call is metered exactly, by two readings of the thread's own counter (12 ns each).
 *
 * <p>A virtual thread has no counter of its own; there what all threads allocate is counted instead, which errs on
 * the large side, and read sparingly, since a reading costs 0.1 to 0.4 µs (it sums the threads), as much as a tenth
 * of an ordinary map call. Calls that follow each other closely (an index update mapping document after document)
 * share readings: the count runs on from the last one, and a call reads again only when {@link #LOOK_EVERY_NANOS}
 * have passed since, so the little time between them is counted too. A call after a pause starts afresh with a
 * reading of its own, so that what other threads allocated during the pause does not count, and reads again at its
 * end. Nothing is left uncounted: if the last calls before a pause were not read, the next call does not start
 * afresh, and counts the pause as well.
 */
final class SandboxMeter {
    /** The least time between two readings of all threads' allocation by calls that follow each other closely. */
    static final long LOOK_EVERY_NANOS = 50_000;
    /** A call that starts this long after the last reading starts afresh, unless calls since then went unread. */
    static final long PAUSE_NANOS = 1_000_000;
    private static final long UNREAD = -1;

    private long allocated;
    /** On virtual threads: the reading of all threads' allocation up to which {@link #allocated} counts; UNREAD if none. */
    private long countedUpTo = UNREAD;
    private long countedAt;
    /** Whether calls ended after {@link #countedUpTo} was read: their allocation is not counted yet. */
    private boolean uncountedCalls;
    private boolean callStartedAfresh;

    /** At the start of a call. @return what to hand to {@link #callEnded} */
    long callStarting() {
        if (!Thread.currentThread().isVirtual()) {
            countUncountedCalls();
            return AllocationMeter.currentThread();
        }
        long now = System.nanoTime();
        callStartedAfresh = countedUpTo == UNREAD || (!uncountedCalls && now - countedAt > PAUSE_NANOS);
        if (callStartedAfresh) {
            countedUpTo = AllocationMeter.allThreads();
            countedAt = now;
        }
        return UNREAD;
    }

    /** At the end of a call, on the thread that started it. */
    void callEnded(long started) {
        if (!Thread.currentThread().isVirtual()) {
            long ended = AllocationMeter.currentThread();
            if (started >= 0 && ended >= 0) {
                allocated += ended - started;
            }
            return;
        }
        long now = System.nanoTime();
        if (callStartedAfresh || now - countedAt >= LOOK_EVERY_NANOS) {
            long reading = AllocationMeter.allThreads();
            if (reading >= 0 && countedUpTo >= 0) {
                allocated += reading - countedUpTo;
            }
            countedUpTo = reading;
            countedAt = now;
            uncountedCalls = false;
        } else {
            uncountedCalls = true;
        }
    }

    /** Bytes the calls made so far allocated (on virtual threads, up to the last reading). */
    long allocated() {
        return allocated;
    }

    /** Before a call on a platform thread, which meters itself: counts what calls on virtual threads left unread. */
    private void countUncountedCalls() {
        if (uncountedCalls) {
            long reading = AllocationMeter.allThreads();
            if (reading >= 0 && countedUpTo >= 0) {
                allocated += reading - countedUpTo;
            }
            uncountedCalls = false;
        }
        countedUpTo = UNREAD;
    }
}
