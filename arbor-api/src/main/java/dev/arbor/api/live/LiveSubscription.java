package dev.arbor.api.live;

import dev.arbor.api.Database;
import dev.arbor.api.Seq;
import dev.arbor.api.Subscription;
import dev.arbor.core.error.ArborException;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One subscription of {@link LiveEngine}.
 *
 * <p>Who owns what: the {@link Window}, {@code shown} and {@code seq} belong to the thread computing the subscription;
 * {@code wakes} makes that one thread at a time (the first wake starts it, later wakes only count, and it runs until
 * it has caught up with every wake it saw). The queue, the end and the consumer's {@code result} are guarded by
 * {@code this}, shared between that thread and the consumer calling {@link #next}.
 */
final class LiveSubscription implements LiveQuery {
    private final LiveSpec spec;
    private final Window window;
    private final int capacity;
    private final AtomicInteger wakes = new AtomicInteger();
    /** Computing thread's: the rows last published and the sequence they hold at. */
    private List<LiveRow> shown;
    private Seq seq;
    private final ArrayDeque<LiveUpdate> queue = new ArrayDeque<>();
    private LiveEnd end;
    private LiveResult result;
    private volatile Subscription commits;

    LiveSubscription(LiveSpec spec, Window window, int capacity) {
        this.spec = spec;
        this.window = window;
        this.capacity = capacity;
    }

    /** The first result, on the subscribing thread, before any listener can wake the subscription. */
    void start(LiveResult from) {
        seq = window.load();
        shown = window.rows();
        if (from == null) {
            result = new LiveResult(seq, shown);
        } else {
            result = from;
            // Always one update, empty when nothing changed: the resumer learns where it stands.
            queue.add(new LiveUpdate(seq, RowDiff.between(from.rows(), shown)));
        }
    }

    /** Commits from now on wake it; one wake covers any commit between its first result and this registration. */
    void listenTo(Database database) {
        commits = database.onCommit(event -> wake());
        if (ended()) {
            commits.close();
        }
        wake();
    }

    /** Runs on the database's writer thread: never blocks. */
    private void wake() {
        if (wakes.getAndIncrement() == 0) {
            Thread.ofVirtual().name("arbor-live-query").start(this::drain);
        }
    }

    private void drain() {
        int seen;
        do {
            seen = wakes.get();
            if (ended()) {
                return;
            }
            try {
                step();
            } catch (ArborException e) {
                finish(new LiveEnd(e.error(), e.reason()));
            } catch (RuntimeException e) {
                finish(new LiveEnd("internal_server_error", "the live query failed: " + e));
            }
        } while (wakes.addAndGet(-seen) != 0);
    }

    private void step() {
        Seq next = window.catchUp(seq);
        List<LiveRow> rows = window.rows();
        List<Delta> deltas = RowDiff.between(shown, rows);
        shown = rows;
        seq = next;
        if (!deltas.isEmpty()) {
            offer(new LiveUpdate(next, deltas));
        }
    }

    private synchronized void offer(LiveUpdate update) {
        if (end != null) {
            return;
        }
        if (queue.size() >= capacity) {
            finish(new LiveEnd(LiveEnd.LAGGING, "the subscriber fell " + capacity
                    + " updates behind; resume from its result"));
            return;
        }
        queue.addLast(update);
        notifyAll();
    }

    private synchronized boolean ended() {
        return end != null;
    }

    /** Ends the subscription: updates already queued are still delivered, then the end. */
    private void finish(LiveEnd why) {
        synchronized (this) {
            if (end != null) {
                return;
            }
            end = why;
            notifyAll();
        }
        Subscription listening = commits;
        if (listening != null) {
            listening.close();
        }
    }

    @Override
    public LiveSpec spec() {
        return spec;
    }

    @Override
    public synchronized LiveResult result() {
        return result;
    }

    @Override
    public synchronized Optional<LiveEvent> next(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (queue.isEmpty() && end == null) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return Optional.empty();
            }
            wait(Math.max(1, left / 1_000_000));
        }
        LiveUpdate update = queue.pollFirst();
        if (update != null) {
            result = result.apply(update);
            return Optional.of(update);
        }
        return Optional.of(end);
    }

    @Override
    public void close() {
        finish(new LiveEnd(LiveEnd.CLOSED, "closed by its subscriber"));
    }
}
