package dev.arbor.server.replicator;

import dev.arbor.api.Database;
import dev.arbor.api.Storage;
import dev.arbor.client.RemoteOptions;
import dev.arbor.client.RemoteStorage;
import dev.arbor.core.error.ArborException;
import dev.arbor.server.http.HttpError;

import java.util.ArrayList;
import java.util.List;

/**
 * The two databases of one replication, opened: local ones from the server's storage, remote ones
 * through a {@link RemoteStorage} each, which {@link #close()} closes (local databases belong to the
 * storage and stay open).
 */
public final class OpenPeers implements AutoCloseable {
    private final Database source;
    private final Database target;
    private final List<AutoCloseable> connections;

    private OpenPeers(Database source, Database target, List<AutoCloseable> connections) {
        this.source = source;
        this.target = target;
        this.connections = connections;
    }

    /**
     * Opens both ends; the target is created first when {@code create_target} asks for it. A missing
     * database is 404 {@code db_not_found} "could not open ...", CouchDB's answer.
     *
     * @param local the storage local names refer to; may be null when both ends are URLs
     */
    public static OpenPeers open(Storage local, ReplicationSpec spec) {
        List<AutoCloseable> connections = new ArrayList<>();
        try {
            Database source = open(local, spec.source(), false, connections);
            Database target = open(local, spec.target(), spec.options().createTarget(), connections);
            return new OpenPeers(source, target, connections);
        } catch (RuntimeException e) {
            closeAll(connections);
            throw e;
        }
    }

    private static Database open(Storage local, PeerSpec peer, boolean create, List<AutoCloseable> connections) {
        try {
            return switch (peer) {
                case PeerSpec.Local l when local == null ->
                        throw new IllegalArgumentException("no local storage to open " + l.name() + " in");
                case PeerSpec.Local l -> create ? local.databaseOrCreate(l.name()) : local.database(l.name());
                case PeerSpec.Remote r -> {
                    RemoteOptions options = (r.username() == null ? RemoteOptions.DEFAULT
                            : RemoteOptions.DEFAULT.credentials(r.username(), r.password()))
                            .pinnedCertificate(r.pinnedCertificate());
                    RemoteStorage storage = new RemoteStorage(r.server(), options);
                    connections.add(storage);
                    yield create ? storage.databaseOrCreate(r.dbName()) : storage.database(r.dbName());
                }
            };
        } catch (ArborException.NotFound e) {
            throw new HttpError(404, "db_not_found", "could not open " + peer.display());
        }
    }

    public Database source() {
        return source;
    }

    public Database target() {
        return target;
    }

    @Override
    public void close() {
        closeAll(connections);
    }

    private static void closeAll(List<AutoCloseable> connections) {
        for (AutoCloseable connection : connections) {
            try {
                connection.close();
            } catch (Exception ignored) {
                // Closing an HTTP client pool: nothing to recover.
            }
        }
    }
}
