package dev.arbor.client.protocol;

import dev.arbor.core.error.ArborException;

import java.util.concurrent.CompletableFuture;

/**
 * How a {@link ProtocolConnection}'s frames travel: one implementation per URL scheme ({@link WebSocketTransport} for
 * {@code ws://} and {@code wss://}, {@link QuicTransport} for {@code arbor://}). A transport moves whole frames and
 * nothing else; ids, the hello, pending calls and pushes are the connection's, the same over every transport.
 */
interface Transport {

    /** Sends one whole frame. Frames leave in the order of the calls; the future fails when the frame could not go. */
    CompletableFuture<?> send(byte[] frame);

    /** Says goodbye to the server (waiting a moment at most) and releases everything the transport holds. */
    void close();

    /**
     * What a transport tells its connection, on the transport's own reading thread, one call at a time and in the order
     * the frames came. Calls may begin before the transport's opening returns (a refusal sent right after connecting).
     */
    interface Listener {
        /** One whole frame from the server, not yet decoded. */
        void frame(byte[] bytes);

        /** The connection is over: the server closed it (its code and reason in {@code why}), or it failed. */
        void ended(ArborException why);
    }
}
