package dev.arbor.server.replicator;

import dev.arbor.api.Storage;
import dev.arbor.server.storage.NotifyingStorage;
import dev.arbor.server.http.Router;

/**
 * The server's replicator: replications started with {@code POST /_replicate} or by documents of the
 * {@code _replicator} database, shown in {@code /_scheduler} and {@code /_active_tasks}. Sources and
 * targets are databases of this server by name, or URLs reached with Arbor's remote client.
 *
 * <p>Life cycle, driven by {@code ArborServer}: {@link #storage()} is what the endpoints must use (it
 * tells the replicator when {@code _replicator} is created or deleted), {@link #register} adds the
 * routes, {@link #start()} takes up the {@code _replicator} documents once the server listens (a
 * replication may target this very server), {@link #close()} cancels every job (each checkpoints) before
 * the storage closes.
 */
public final class ServerReplicator implements AutoCloseable {
    private final Storage storage;
    private final RunningReplications running;
    private final ReplicatorDatabase replicatorDb;

    public ServerReplicator(Storage storage) {
        ReplicatorDatabase[] db = new ReplicatorDatabase[1];
        this.storage = new NotifyingStorage(storage, name -> db[0].databaseCreated(name), name -> db[0].databaseDeleted(name));
        this.running = new RunningReplications(this.storage);
        this.replicatorDb = new ReplicatorDatabase(this.storage, running);
        db[0] = replicatorDb;
    }

    /** The storage the server's endpoints must go through. */
    public Storage storage() {
        return storage;
    }

    public void register(Router router) {
        new ReplicatorEndpoints(running, replicatorDb).register(router);
    }

    public void start() {
        replicatorDb.start();
    }

    @Override
    public void close() {
        replicatorDb.close();
        running.close();
    }
}
