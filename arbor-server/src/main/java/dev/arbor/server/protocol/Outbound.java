package dev.arbor.server.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.core.error.ArborException;
import dev.arbor.protocol.Frame;
import dev.arbor.protocol.Streaming;

/**
 * The chunks of one request's answer going to the client, paced by its credit: at most {@link Streaming#WINDOW} ahead
 * of what the client has taken, so a slow reader bounds what waits here and in the transport's queue. The request's
 * thread sends and waits; the transport's delivering thread grants credit and cancels. A request waiting for credit
 * gives back its in-flight slot first, since the credit it waits for can only be read while a slot is free, and its
 * request worker while it waits.
 */
final class Outbound {
    private final long id;
    private final ProtocolConnection connection;
    private final RequestStreams.Waits waits;
    /** Guarded by this. */
    private int credit = Streaming.WINDOW;
    private boolean cancelled;
    private Runnable onCancel;

    Outbound(long id, ProtocolConnection connection, RequestStreams.Waits waits) {
        this.id = id;
        this.connection = connection;
        this.waits = waits;
    }

    long id() {
        return id;
    }

    /** Sends one chunk once credit allows; {@code cancelled} when the client (or the connection's end) stopped it. */
    void send(JsonNode data) {
        awaitCredit();
        connection.send(new Frame.Chunk(id, data));
    }

    private void awaitCredit() {
        synchronized (this) {
            if (credit > 0 && !cancelled) {
                credit--;
                return;
            }
        }
        waits.waiting();
        try {
            synchronized (this) {
                while (credit == 0 && !cancelled) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        cancelled = true;
                    }
                }
                if (cancelled) {
                    throw cancelled();
                }
                credit--;
            }
        } finally {
            waits.awake();
        }
    }

    synchronized boolean isCancelled() {
        return cancelled;
    }

    synchronized void grant(int chunks) {
        credit += Math.max(0, chunks);
        notifyAll();
    }

    void cancel() {
        Runnable hook;
        synchronized (this) {
            cancelled = true;
            notifyAll();
            hook = onCancel;
        }
        if (hook != null) {
            hook.run();
        }
    }

    /** Also wakes a request that waits on something else than credit (a subscription between commits). */
    synchronized void onCancel(Runnable hook) {
        this.onCancel = hook;
        if (cancelled) {
            hook.run();
        }
    }

    static ArborException cancelled() {
        return new ArborException.BadRequest("cancelled", "the client cancelled this stream");
    }
}
