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
 * A request waiting on its peer rather than working (a stream stalled for credit, an upload waiting for its next chunk,
 * a changes subscription between commits) gives its worker back until it goes on ({@link Lease}), so open streams and
 * subscriptions never starve other connections' requests.
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
        return run(lease -> request.get());
    }

    /**
     * Runs {@code request} once a worker is free, on the calling thread. A request that waits on its peer (a stream's
     * credit, an upload's next chunk, a subscription's next commit) gives its worker back through its {@link Lease}
     * while it waits, and takes one again to go on: a worker bounds requests working, not requests open.
     */
    <T> T run(java.util.function.Function<Lease, T> request) {
        Lease lease = new Lease();
        lease.acquire();
        try {
            return request.apply(lease);
        } finally {
            lease.release();
        }
    }

    /** One request's hold on a worker. Used by the request's thread only. */
    final class Lease {
        private boolean held;

        /** Takes a worker, if this request holds none, waiting for one; a no-op if it holds one. */
        void acquire() {
            if (held) {
                return;
            }
            try {
                permits.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ArborException.Internal("interrupted while waiting for a request worker", e);
            }
            held = true;
        }

        /** Gives the worker back, if this request holds one. */
        void release() {
            if (held) {
                held = false;
                permits.release();
            }
        }
    }

    /** Requests running now. */
    int busy() {
        return size - permits.availablePermits();
    }
}
