package dev.arbor.engine.pubsub;

import dev.arbor.api.pubsub.Message;
import dev.arbor.api.pubsub.Subscriber;
import dev.arbor.core.error.ArborException;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link Subscriber} with a bounded queue that drops its oldest message when full (the policy
 * {@link Subscriber} documents). The lock guards only the queue and is held for a few field updates,
 * so a publisher never waits for a slow reader, only for another publisher's enqueue.
 *
 * <p>Throughput with many subscribers: a receiver takes everything queued in one lock hold (swapping
 * the queue for its empty batch) and then hands the batch out without the lock. A receiver that finds
 * nothing parks with {@link LockSupport}, leaving its thread in {@code parked}; the first publisher to
 * enqueue after that takes the thread out (under the lock) and unparks it after unlocking, so a parked
 * receiver is woken once however many messages arrive before it runs, and never has to fight the
 * waking publisher for the lock. Profiling 100 subscribers on platform threads showed the time going
 * to the wake-ups themselves (unpark and the condition queue of the earlier {@code Condition}); a
 * receiver on a virtual thread wakes far cheaper. The bound counts the queue, not the batch a receiver holds.
 *
 * <p>Threads: publishers call {@link #offer}; receivers call {@code receive*}. {@code lock} guards
 * {@code queue}, {@code dropped}, {@code parked} and {@code closed}; {@code receiveLock} guards
 * {@code batch} and lets one receiver at a time wait, so concurrent receivers stay correct (each
 * message goes to one of them).
 */
final class QueueSubscriber implements Subscriber {
    private final EnginePubSub hub;
    private final int capacity;
    private final Set<String> topics = ConcurrentHashMap.newKeySet();
    private final ReentrantLock lock = new ReentrantLock();
    private ArrayDeque<Message> queue;
    /** Messages taken from {@code queue} and not yet handed out; guarded by {@code receiveLock}. */
    private ArrayDeque<Message> batch;
    private final ReentrantLock receiveLock = new ReentrantLock();
    /** The receiver's thread while it waits for a message, else null; the publisher that wakes it clears it. */
    private Thread parked;
    private long dropped;
    /** Written under {@code lock}; volatile so a receiver sees it before handing out a held batch. */
    private volatile boolean closed;

    QueueSubscriber(EnginePubSub hub, int capacity) {
        if (capacity < 1) {
            throw new ArborException.BadRequest("bad_request", "a subscriber's capacity must be at least 1: " + capacity);
        }
        this.hub = hub;
        this.capacity = capacity;
        this.queue = new ArrayDeque<>(Math.min(capacity, 1024));
        this.batch = new ArrayDeque<>(Math.min(capacity, 1024));
    }

    @Override
    public void subscribeTo(String topic) {
        lock.lock();
        try {
            if (closed) {
                throw new ArborException.BadRequest("bad_request", "the subscriber is closed");
            }
        } finally {
            lock.unlock();
        }
        if (topics.add(topic)) {
            hub.add(topic, this);
        }
    }

    @Override
    public void unsubscribeFrom(String topic) {
        if (topics.remove(topic)) {
            hub.remove(topic, this);
        }
    }

    /** Enqueues {@code message}, dropping the oldest queued one if full; false once closed. */
    boolean offer(Message message) {
        Thread wake;
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            if (queue.size() == capacity) {
                queue.pollFirst();
                dropped++;
            }
            queue.addLast(message);
            wake = parked;
            parked = null;
        } finally {
            lock.unlock();
        }
        if (wake != null) {
            LockSupport.unpark(wake);
        }
        return true;
    }

    @Override
    public Optional<Message> receive() throws InterruptedException {
        return receive(Long.MAX_VALUE);
    }

    @Override
    public Optional<Message> receive(Duration timeout) throws InterruptedException {
        return receive(timeout.toNanos());
    }

    @Override
    public Optional<Message> tryReceive() {
        receiveLock.lock();
        try {
            if (closed) {
                batch.clear();
                return Optional.empty();
            }
            if (batch.isEmpty()) {
                lock.lock();
                try {
                    takeQueued();
                } finally {
                    lock.unlock();
                }
            }
            return Optional.ofNullable(batch.pollFirst());
        } finally {
            receiveLock.unlock();
        }
    }

    /** The next message, waiting up to {@code timeoutNanos} ({@code Long.MAX_VALUE}: for ever); empty when closed or timed out. */
    private Optional<Message> receive(long timeoutNanos) throws InterruptedException {
        receiveLock.lockInterruptibly();
        try {
            if (closed) {
                batch.clear();
                return Optional.empty();
            }
            if (batch.isEmpty() && !awaitQueued(timeoutNanos)) {
                return Optional.empty();
            }
            return Optional.ofNullable(batch.pollFirst());
        } finally {
            receiveLock.unlock();
        }
    }

    /**
     * Holding {@code receiveLock} with an empty batch: waits until messages are queued and takes them as the batch.
     * False when closed or timed out first.
     */
    private boolean awaitQueued(long timeoutNanos) throws InterruptedException {
        long deadline = timeoutNanos == Long.MAX_VALUE ? 0 : System.nanoTime() + timeoutNanos;
        while (true) {
            lock.lock();
            try {
                parked = null;
                if (closed) {
                    return false;
                }
                if (!queue.isEmpty()) {
                    takeQueued();
                    return true;
                }
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                // From here a publisher's offer (or close) will unpark this thread: an unpark before the park
                // below leaves a permit, so no wake-up is lost.
                parked = Thread.currentThread();
            } finally {
                lock.unlock();
            }
            if (timeoutNanos == Long.MAX_VALUE) {
                LockSupport.park(this);
            } else {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    lock.lock();
                    try {
                        parked = null;
                        if (closed || queue.isEmpty()) {
                            return false;
                        }
                        takeQueued();
                        return true;
                    } finally {
                        lock.unlock();
                    }
                }
                LockSupport.parkNanos(this, remaining);
            }
        }
    }

    /** Holding both locks, {@code batch} empty: the queued messages become the batch, in O(1). */
    private void takeQueued() {
        ArrayDeque<Message> taken = queue;
        queue = batch;
        batch = taken;
    }

    @Override
    public int capacity() {
        return capacity;
    }

    @Override
    public long droppedCount() {
        lock.lock();
        try {
            return dropped;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        Thread wake;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            queue.clear();
            // A batch a receiver holds is dropped on its next call, which checks closed first.
            wake = parked;
            parked = null;
        } finally {
            lock.unlock();
        }
        if (wake != null) {
            LockSupport.unpark(wake);
        }
        for (String topic : topics) {
            unsubscribeFrom(topic);
        }
    }
}
