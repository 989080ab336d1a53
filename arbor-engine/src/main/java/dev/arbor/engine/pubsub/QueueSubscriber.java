package dev.arbor.engine.pubsub;

import dev.arbor.api.pubsub.Message;
import dev.arbor.api.pubsub.Subscriber;
import dev.arbor.core.error.ArborException;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link Subscriber} with a bounded queue that drops its oldest message when full (the policy
 * {@link Subscriber} documents). The lock guards only the queue and is held for a few field updates,
 * so a publisher never waits for a slow reader, only for another publisher's enqueue.
 */
final class QueueSubscriber implements Subscriber {
    private final EnginePubSub hub;
    private final int capacity;
    private final Set<String> topics = ConcurrentHashMap.newKeySet();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final ArrayDeque<Message> queue;
    private long dropped;
    private boolean closed;

    QueueSubscriber(EnginePubSub hub, int capacity) {
        if (capacity < 1) {
            throw new ArborException.BadRequest("bad_request", "a subscriber's capacity must be at least 1: " + capacity);
        }
        this.hub = hub;
        this.capacity = capacity;
        this.queue = new ArrayDeque<>(Math.min(capacity, 1024));
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
            arrived.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<Message> receive() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (queue.isEmpty() && !closed) {
                arrived.await();
            }
            return Optional.ofNullable(queue.pollFirst());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<Message> receive(Duration timeout) throws InterruptedException {
        long remaining = timeout.toNanos();
        lock.lockInterruptibly();
        try {
            while (queue.isEmpty() && !closed && remaining > 0) {
                remaining = arrived.awaitNanos(remaining);
            }
            return Optional.ofNullable(queue.pollFirst());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<Message> tryReceive() {
        lock.lock();
        try {
            return Optional.ofNullable(queue.pollFirst());
        } finally {
            lock.unlock();
        }
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
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            queue.clear();
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
        for (String topic : topics) {
            unsubscribeFrom(topic);
        }
    }
}
