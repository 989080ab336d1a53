/**
 * The remote client: the {@code dev.arbor.api} contracts over CouchDB's HTTP API. {@code RemoteStorage} and
 * {@code RemoteOptions} are its API; {@code Arbor.open("http://...")} finds it through the {@code DatabaseProvider}
 * service, so code written against {@code Database} needs no import from here at all. The HTTP plumbing stays inside.
 */
module dev.arbor.client {
    requires transitive dev.arbor.api;
    requires dev.arbor.wire;
    // RemoteOptions names HttpClient.Version.
    requires transitive java.net.http;

    exports dev.arbor.client;

    provides dev.arbor.api.spi.DatabaseProvider with dev.arbor.client.RemoteDatabaseProvider;
}
