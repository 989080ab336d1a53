package dev.arbor.protocol;

/** What both ends of a connection agree on before the first frame. */
public final class Protocol {
    private Protocol() {}

    /**
     * The version this build speaks. A client names it in its {@link Frame.Hello}; a server that does not speak it
     * answers one {@link Frame.Failure} with {@link #UNSUPPORTED_VERSION} and closes, so an old client learns why
     * instead of misreading frames. Bumped when a frame or an operation's arguments change incompatibly.
     */
    public static final int VERSION = 1;

    /** The WebSocket endpoint on the server's HTTP port. */
    public static final String PATH = "/_arbor/ws";

    /**
     * The TLS application protocol (ALPN) of the protocol over QUIC ({@code arbor://}), named by both ends in the
     * handshake, so neither mistakes another QUIC service on the port for this one.
     */
    public static final String ALPN = "arbor/1";

    /** The error token of the failure that answers a hello naming a version the server does not speak. */
    public static final String UNSUPPORTED_VERSION = "unsupported_protocol_version";

    /** The close code after a refused hello: RFC 6455's "protocol error". */
    public static final int CLOSE_PROTOCOL_ERROR = 1002;

    /** The close code after credentials were refused: RFC 6455's "policy violation". */
    public static final int CLOSE_POLICY_VIOLATION = 1008;
}
