package dev.arbor.server.changes;

import dev.arbor.api.CommitEvent;
import dev.arbor.api.Database;
import dev.arbor.api.Subscription;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The update sequence of one database as commits move it, and the feeds parked until it passes
 * theirs. One instance per open database, shared by all its feeds: the database sees a single commit
 * listener however many clients wait, and 5,000 idle longpolls cost 5,000 small {@link Waiter}s, no
 * threads (each waiting feed is a parked virtual thread).
 *
 * <p>The commit listener runs on the writer's thread and must not block, so it only raises the
 * sequence and unparks the waiters that are behind it; {@link LockSupport#unpark} never blocks, and
 * for a virtual thread it just schedules the continuation. Waiters re-check the sequence after
 * registering and after every wake-up, so a commit landing between "check" and "park" is not lost
 * (the unpark leaves a permit that makes the park return at once).
 */
final class CommitWatch implements AutoCloseable {
    /** Why {@link #await} returned. */
    enum Wake { UPDATED, TIMED_OUT, CANCELLED }

    private record Waiter(Thread thread, long afterSeq) {}

    private final Database db;
    private final AtomicLong updateSeq = new AtomicLong();
    private final Set<Waiter> waiters = ConcurrentHashMap.newKeySet();
    private final Subscription subscription;

    CommitWatch(Database db) {
        this.db = db;
        // Subscribe before reading the sequence, so no commit falls between the two.
        this.subscription = db.onCommit(this::committed);
        raiseTo(db.info().updateSeq().toLocal());
    }

    Database database() {
        return db;
    }

    /** The database's update_seq as of its latest commit. */
    long updateSeq() {
        return updateSeq.get();
    }

    private void committed(CommitEvent event) {
        long seq = raiseTo(event.updateSeq().toLocal());
        for (Waiter waiter : waiters) {
            if (waiter.afterSeq() < seq) {
                LockSupport.unpark(waiter.thread());
            }
        }
    }

    private long raiseTo(long seq) {
        return updateSeq.accumulateAndGet(seq, Math::max);
    }

    /**
     * Parks the calling thread until the update sequence passes {@code afterSeq}, the deadline
     * ({@link System#nanoTime()} based) passes, or {@code cancelled} turns true (whoever sets it
     * unparks this thread).
     */
    Wake await(long afterSeq, long deadlineNanos, BooleanSupplier cancelled) {
        Waiter waiter = new Waiter(Thread.currentThread(), afterSeq);
        waiters.add(waiter);
        try {
            while (true) {
                if (cancelled.getAsBoolean()) {
                    return Wake.CANCELLED;
                }
                if (updateSeq.get() > afterSeq) {
                    return Wake.UPDATED;
                }
                long remaining = deadlineNanos - System.nanoTime();
                if (remaining <= 0) {
                    return Wake.TIMED_OUT;
                }
                LockSupport.parkNanos(this, remaining);
            }
        } finally {
            waiters.remove(waiter);
        }
    }

    /** How many feeds are parked here now. */
    int waiting() {
        return waiters.size();
    }

    @Override
    public void close() {
        subscription.close();
    }
}
