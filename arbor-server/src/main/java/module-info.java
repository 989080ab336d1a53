/**
 * The CouchDB-compatible HTTP server. Embedding one takes {@code dev.arbor.server} ({@code ArborServer},
 * {@code ServerConfig}) and, to require logins, {@code dev.arbor.server.auth} ({@code ServerAuth}, {@code Admins});
 * the endpoints, routing and feeds behind them are implementation.
 *
 * <p>{@code @SuppressWarnings("module")}: the qualified exports name the CLI, built after this module.
 */
@SuppressWarnings("module")
module dev.arbor.server {
    requires transitive dev.arbor.api;
    requires dev.arbor.client;
    requires dev.arbor.wire;
    requires dev.arbor.replication;
    requires org.eclipse.jetty.server;
    requires org.eclipse.jetty.http;
    requires org.eclipse.jetty.io;
    requires org.eclipse.jetty.util;
    // The Arbor protocol's endpoint: Jetty's WebSocket server on the same port, and the frames it shares with the client.
    requires org.eclipse.jetty.websocket.server;
    requires org.eclipse.jetty.websocket.api;
    requires dev.arbor.protocol;
    // The same protocol over QUIC (quic_port), through Netty's QUIC codec.
    requires io.netty.codec.classes.quic;
    requires io.netty.codec;
    requires io.netty.transport;
    requires io.netty.buffer;
    requires io.netty.common;
    // PEM certificates and keys, and the self-signed certificate made on first start (the JDK has no public API
    // for either).
    requires org.bouncycastle.pkix;
    requires org.bouncycastle.provider;
    // ACME (RFC 8555) certificates, from Let's Encrypt or a private authority.
    requires org.shredzone.acme4j;
    // The HTTP-01 challenge responder: a few requests in plain HTTP while the authority validates.
    requires jdk.httpserver;

    exports dev.arbor.server;
    exports dev.arbor.server.auth;
    // Custom APIs over the Arbor protocol: the handler and what it is given of its caller.
    exports dev.arbor.server.api;
    exports dev.arbor.server.tls;

    // The CLI's replicate command resolves peers as the _replicator database does, and reads the server's errors.
    exports dev.arbor.server.replicator to dev.arbor.cli;
    exports dev.arbor.server.http to dev.arbor.cli;
    // serve adds its own routes (the encryption keys' endpoints), which register through the server's context.
    exports dev.arbor.server.endpoint to dev.arbor.cli;
    // Jetty's WebSocket layer calls the protocol connection's listener methods through method handles.
    exports dev.arbor.server.protocol to org.eclipse.jetty.websocket.common;
}
