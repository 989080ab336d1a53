package dev.arbor.server.protocol;

/**
 * How one client's frames travel to and from its {@link ProtocolConnection}: a WebSocket on the HTTP port
 * ({@link WebSocketSession}) or a QUIC stream ({@link QuicEndpoint}). A transport moves whole frames and nothing else;
 * the hello, the in-flight limit, requests and pushes are the connection's, the same over every transport.
 *
 * <p>It delivers a received frame to {@link ProtocolConnection#frame} only when asked, one per {@link #demand()}, and
 * keeps further frames unread (in its buffers, then the network's) until the next demand: that is how the connection
 * holds a client to {@code client_simultaneous_request_limit}.
 */
interface Transport {

    /** Sends one whole frame, from any thread; frames leave in the order of the calls. Dropped once closed. */
    void send(byte[] frame);

    /**
     * Sends one whole frame as {@link #send(byte[])} does, and runs {@code done} once the network took it, failed to,
     * or the frame was dropped (closed): how the connection counts the pushes a client leaves unread.
     */
    void send(byte[] frame, Runnable done);

    /** Sends {@code frame}, then closes with {@code code} and {@code reason}: a connection-level refusal. */
    void sendThenClose(byte[] frame, int code, String reason);

    /** Asks for exactly one more frame; may be called from any thread, and from within a delivery. */
    void demand();

    /** Closes with {@code code} (the WebSocket close codes: 1001 going away, 1002, 1008) and {@code reason}. */
    void close(int code, String reason);

    /** Drops the connection outright, without waiting for a close to be read: a client that reads nothing. */
    void abort();
}
