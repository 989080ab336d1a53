package dev.arbor.server.protocol;

import dev.arbor.core.error.ArborException;

import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * The server's {@code request_workers}: at most this many protocol requests run at once, across every connection.
 * Each request already has a virtual thread of its own; the bound is on how many of them may work on the storage at
 * once, so a crowd of pipelining clients queues (fairly, first come first served) instead of thrashing the storage
 * and the heap. A request past the bound waits; it never fails for it. With {@code client_simultaneous_request_limit}
 * per connection, a waiting request also holds its connection's slot, so one connection cannot queue without end.
 *
 * <p>Threads: shared by every connection's request threads; the semaphore is the only state.
 */
final class RequestWorkers {
    private final Semaphore permits;
    private final int size;

    RequestWorkers(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("request_workers must be positive, not " + size);
        }
        this.size = size;
        this.permits = new Semaphore(size, true);
    }

    /** Runs {@code request} once a worker is free, on the calling thread. */
    <T> T run(Supplier<T> request) {
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ArborException.Internal("interrupted while waiting for a request worker", e);
        }
        try {
            return request.get();
        } finally {
            permits.release();
        }
    }

    /** Requests running now. */
    int busy() {
        return size - permits.availablePermits();
    }
}
