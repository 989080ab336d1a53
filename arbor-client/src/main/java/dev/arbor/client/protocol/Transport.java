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
    default void close() {
        close(1000, "");
    }

    /**
     * As {@link #close()}, with a close code and reason ({@code 1002} when the server broke the protocol). Blocks up to
     * a moment: never called on the transport's reading thread.
     */
    void close(int code, String reason);

    /**
     * Whether this transport {@link #ping pings}: then every ping is answered (a pong, reported to
     * {@link Listener#heard}), so a connection silent for long is dead, not idle, and its connection may end it. A
     * transport without pings leaves finding a dead peer to its own means (QUIC's loss detection and idle timer) and to
     * the requests' timeouts.
     */
    default boolean pings() {
        return false;
    }

    /** Sends a ping, in order with the frames; the future fails when it could not go. A no-op where {@link #pings} is false. */
    default CompletableFuture<?> ping() {
        return CompletableFuture.completedFuture(null);
    }

    /**
     * What a transport tells its connection, on the transport's own reading thread, one call at a time and in the order
     * the frames came. Calls may begin before the transport's opening returns (a refusal sent right after connecting).
     */
    interface Listener {
        /** One whole frame from the server, not yet decoded. */
        void frame(byte[] bytes);

        /** The connection is over: the server closed it (its code and reason in {@code why}), or it failed. */
        void ended(ArborException why);

        /** Something that is no frame came from the server (a pong, a ping): the connection is alive. */
        default void heard() {
        }
    }
}
