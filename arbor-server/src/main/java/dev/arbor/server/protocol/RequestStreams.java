package dev.arbor.server.protocol;

import dev.arbor.core.error.ArborException;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What one request may stream: its answer's chunks ({@link #out}) and, when its arguments announced an upload, the
 * client's chunks ({@link #in}). Owned by the request's thread; the connection finds the two by the request's id to
 * hand them credit and chunks, and forgets them when the request is answered.
 */
final class RequestStreams {
    private final long id;
    private final ProtocolConnection connection;
    private final AtomicBoolean slotReleased = new AtomicBoolean();
    private final Runnable freeSlot;
    private final Inbound in;
    private final boolean uploadRefused;
    /** Created by the request's thread on first use. */
    private Outbound out;
    /** The request's worker, set by its thread as it starts working ({@link #working}); null before. */
    private RequestWorkers.Lease lease;

    /** How a request waits on its peer: {@link #waiting} before it blocks, {@link #awake} once it goes on. */
    interface Waits {
        Waits NONE = new Waits() {
            @Override
            public void waiting() { }

            @Override
            public void awake() { }
        };

        void waiting();

        void awake();
    }

    private final Waits waits = new Waits() {
        @Override
        public void waiting() {
            RequestStreams.this.waiting();
        }

        @Override
        public void awake() {
            RequestStreams.this.awake();
        }
    };

    /** @param uploadRefused the request announced an upload while the connection had as many open as it may */
    RequestStreams(long id, ProtocolConnection connection, Runnable freeSlot, boolean upload, boolean uploadRefused) {
        this.id = id;
        this.connection = connection;
        this.freeSlot = freeSlot;
        this.uploadRefused = uploadRefused;
        this.in = upload && !uploadRefused ? new Inbound(id, connection, waits) : null;
    }

    long id() {
        return id;
    }

    /** Gives the request's in-flight slot back, once: when it waits on its peer, and when it is answered. */
    void releaseSlot() {
        if (slotReleased.compareAndSet(false, true)) {
            freeSlot.run();
        }
    }

    /** The request's thread starts working with {@code lease} on a worker. */
    RequestStreams working(RequestWorkers.Lease lease) {
        this.lease = lease;
        return this;
    }

    /**
     * The request is about to wait on its peer (credit, an upload's chunk, a commit): its in-flight slot goes back for
     * good (what it waits for could not be read while every slot is taken), its worker until it is {@link #awake}.
     */
    void waiting() {
        releaseSlot();
        if (lease != null) {
            lease.release();
        }
    }

    /** The request goes on working after a wait: it takes a worker again, waiting its turn for one. */
    void awake() {
        if (lease != null) {
            lease.acquire();
        }
    }

    Outbound out() {
        if (out == null) {
            out = connection.openOutbound(id, waits);
        }
        return out;
    }

    Inbound in() {
        if (uploadRefused) {
            throw new ArborException.BadRequest("bad_request", "more than " + ProtocolConnection.MAX_OPEN_STREAMS
                    + " uploads are open on this connection: finish some first");
        }
        if (in == null) {
            throw new ArborException.BadRequest("bad_request", "this operation reads an upload: its request must say \"upload\": true");
        }
        return in;
    }

    Inbound inboundOrNull() {
        return in;
    }
}
