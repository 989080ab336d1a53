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

    /** @param uploadRefused the request announced an upload while the connection had as many open as it may */
    RequestStreams(long id, ProtocolConnection connection, Runnable freeSlot, boolean upload, boolean uploadRefused) {
        this.id = id;
        this.connection = connection;
        this.freeSlot = freeSlot;
        this.uploadRefused = uploadRefused;
        this.in = upload && !uploadRefused ? new Inbound(id, connection, this::releaseSlot) : null;
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

    Outbound out() {
        if (out == null) {
            out = connection.openOutbound(id, this::releaseSlot);
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
