/**
 * The remote client: the {@code dev.arbor.api} contracts over CouchDB's HTTP API ({@code http://}), and the Java API
 * over the Arbor protocol's WebSocket ({@code ws://}: documents, the key-value store, pub/sub). {@code RemoteStorage} and
 * {@code RemoteOptions} are its API; {@code Arbor.open("http://...")} finds it through the {@code DatabaseProvider}
 * service, so code written against {@code Database} needs no import from here at all. The HTTP plumbing stays inside.
 */
module dev.arbor.client {
    requires transitive dev.arbor.api;
    requires dev.arbor.wire;
    // The Arbor protocol's frames (ws://), shared with the server's endpoint.
    requires dev.arbor.protocol;
    // arbor:// : the protocol over QUIC, through Netty's QUIC codec (BoringSSL and quiche, native).
    requires io.netty.codec.classes.quic;
    requires io.netty.codec;
    requires io.netty.transport;
    requires io.netty.buffer;
    requires io.netty.common;
    // RemoteOptions names HttpClient.Version.
    requires transitive java.net.http;

    exports dev.arbor.client;

    provides dev.arbor.api.spi.DatabaseProvider with dev.arbor.client.RemoteDatabaseProvider,
            dev.arbor.client.ProtocolDatabaseProvider;
}
