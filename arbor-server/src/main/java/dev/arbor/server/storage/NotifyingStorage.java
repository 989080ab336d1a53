package dev.arbor.server.storage;

import dev.arbor.api.Database;
import dev.arbor.api.Storage;

import java.util.List;
import java.util.function.Consumer;

/**
 * A storage that says when a database is created or deleted through it: the replicator takes up a
 * {@code _replicator} database made after the start without polling, and {@code _db_updates} logs both.
 * The listeners run on the thread that made the change, after it is made.
 */
public final class NotifyingStorage implements Storage {
    private final Storage storage;
    private final Consumer<String> created;
    private final Consumer<String> deleted;

    public NotifyingStorage(Storage storage, Consumer<String> created, Consumer<String> deleted) {
        this.storage = storage;
        this.created = created;
        this.deleted = deleted;
    }

    @Override
    public Database createDatabase(String name, boolean partitioned) {
        Database db = storage.createDatabase(name, partitioned);
        created.accept(name);
        return db;
    }

    @Override
    public Database database(String name) {
        return storage.database(name);
    }

    @Override
    public Database databaseOrCreate(String name) {
        boolean existed = storage.exists(name);
        Database db = storage.databaseOrCreate(name);
        if (!existed) {
            created.accept(name);
        }
        return db;
    }

    @Override
    public boolean exists(String name) {
        return storage.exists(name);
    }

    @Override
    public List<String> listDatabases() {
        return storage.listDatabases();
    }

    @Override
    public void deleteDatabase(String name) {
        storage.deleteDatabase(name);
        deleted.accept(name);
    }

    @Override
    public java.util.Optional<dev.arbor.api.pubsub.PubSub> pubSub() {
        return storage.pubSub();
    }

    @Override
    public void close() {
        storage.close();
    }
}
