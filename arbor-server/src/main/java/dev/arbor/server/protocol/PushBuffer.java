package dev.arbor.server.protocol;

/**
 * One connection's bound on pushes sent but not yet written to the network ({@code client_push_buffer}). A client that
 * reads slower than its subscriptions produce fills its TCP window, then this; past it the connection is cut rather
 * than letting the server's queue of frames for it grow with the heap. One push always fits an empty buffer, so a
 * single message larger than the bound still goes out.
 *
 * <p>Threads: any subscriber thread admits, Jetty's flusher releases as frames are written; guarded by {@code this}.
 */
final class PushBuffer {
    private final long limit;
    private long unwritten;

    PushBuffer(long limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("client_push_buffer must be positive, not " + limit);
        }
        this.limit = limit;
    }

    /** Counts {@code bytes} in, unless that would pass the bound (false: the client is too slow). */
    synchronized boolean admit(long bytes) {
        if (unwritten > 0 && unwritten + bytes > limit) {
            return false;
        }
        unwritten += bytes;
        return true;
    }

    /** {@code bytes} were written (or will never be). */
    synchronized void release(long bytes) {
        unwritten -= bytes;
    }

    synchronized long unwritten() {
        return unwritten;
    }
}
