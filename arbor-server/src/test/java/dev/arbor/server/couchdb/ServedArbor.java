package dev.arbor.server.couchdb;

import dev.arbor.Arbor;
import dev.arbor.api.Storage;
import dev.arbor.server.ArborServer;
import dev.arbor.server.ServerConfig;
import dev.arbor.server.auth.ServerAuth;
import dev.arbor.testkit.CouchDbPeer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Arbor assembled as {@code arbor serve} assembles it (RocksDB storage, authentication, session endpoints,
 * the replicator), with the same admin as the {@link CouchDbPeer}, so one request can be sent to both.
 */
public final class ServedArbor implements AutoCloseable {
    private final ArborServer server;
    private final Storage storage;

    private ServedArbor(ArborServer server, Storage storage) {
        this.server = server;
        this.storage = storage;
    }

    public static ServedArbor start(Path dir) {
        try {
            Files.createDirectories(dir);
            // Few hash iterations: the tests log in often, and the hash's strength is not what they check.
            Files.writeString(dir.resolve(ServerAuth.INI_FILE), "[chttpd_auth]\niterations = 1000\n");
            Storage storage = Arbor.storage(dir);
            ServerAuth auth = ServerAuth.open(dir, storage, CouchDbPeer.ADMIN + ":" + CouchDbPeer.PASSWORD);
            ArborServer server = ArborServer.builder(ServerConfig.defaults(dir).withPort(0).withAccessLog(false), auth.guard(storage))
                    .accessControl(auth)
                    .nodeConfig(auth.nodeConfig())
                    .extension(auth.sessionEndpoints())
                    .start();
            return new ServedArbor(server, storage);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("arbor did not start", e);
        }
    }

    public ArborServer server() {
        return server;
    }

    /** The storage the server serves, as an application embedding Arbor holds it (no access control). */
    public Storage storage() {
        return storage;
    }

    /** {@code http://127.0.0.1:PORT}, without credentials. */
    public String url() {
        return "http://127.0.0.1:" + server.port();
    }

    /** {@code http://admin:secret@127.0.0.1:PORT}: the form a replication document names a peer in. */
    public String adminUrl() {
        return "http://" + CouchDbPeer.ADMIN + ":" + CouchDbPeer.PASSWORD + "@127.0.0.1:" + server.port();
    }

    /** One request as the admin; {@code body} may be null. */
    public CouchDbPeer.Response request(String method, String path, String body) {
        return request(method, path, body, true);
    }

    public CouchDbPeer.Response request(String method, String path, String body, boolean asAdmin) {
        return requestWithHeaders(method, path, body,
                asAdmin ? CouchDbPeer.basicAuth(CouchDbPeer.ADMIN, CouchDbPeer.PASSWORD) : java.util.Map.of());
    }

    /** One request without a body, with exactly these headers (no credentials unless given). */
    public CouchDbPeer.Response requestWithHeaders(String method, String path, java.util.Map<String, String> headers) {
        return requestWithHeaders(method, path, null, headers);
    }

    /** One request with a JSON body (or none when null) and exactly these headers. */
    public CouchDbPeer.Response requestWithHeaders(String method, String path, String body, java.util.Map<String, String> headers) {
        return CouchDbPeer.send(url(), method, path, body, headers);
    }

    @Override
    public void close() {
        server.close();
    }
}
