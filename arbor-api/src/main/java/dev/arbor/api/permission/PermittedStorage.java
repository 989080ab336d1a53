package dev.arbor.api.permission;

import dev.arbor.api.Database;
import dev.arbor.api.Storage;
import dev.arbor.api.pubsub.PubSub;

import java.util.List;
import java.util.Optional;

/**
 * A storage used as one caller: every call is checked against the caller's {@link Permissions} before it reaches
 * the storage, the same statements the server checks for that caller over HTTP, so an embedded program that acts
 * for a user cannot do more than the user could remotely.
 *
 * <pre>{@code
 * Storage asAlice = PermittedStorage.of(storage, permissionsOfAlice);
 * asAlice.database("shared").allDocs(...);   // only the documents alice may read
 * }</pre>
 *
 * <p>Creating, deleting and listing databases need {@code server.create_database}, {@code server.delete_database}
 * (on the database) and {@code server.list_databases} (on the server); databases answer as {@link PermittedDatabase}.
 * A refusal is {@link dev.arbor.core.error.ArborException.Forbidden}. Thread-safe as the storage is.
 */
public final class PermittedStorage implements Storage {
    private final Storage storage;
    private final Permissions permissions;

    private PermittedStorage(Storage storage, Permissions permissions) {
        this.storage = storage;
        this.permissions = permissions;
    }

    /** {@code storage} as a caller with {@code permissions}; the storage itself for {@link Permissions#ALL}. */
    public static Storage of(Storage storage, Permissions permissions) {
        return permissions.isAll() ? storage : new PermittedStorage(storage, permissions);
    }

    @Override
    public Database createDatabase(String name, boolean partitioned) {
        permissions.check(ResourceName.database(name), Action.SERVER_CREATE_DATABASE);
        return PermittedDatabase.of(storage.createDatabase(name, partitioned), permissions);
    }

    @Override
    public Database database(String name) {
        return PermittedDatabase.of(storage.database(name), permissions);
    }

    @Override
    public Database databaseOrCreate(String name) {
        if (!storage.exists(name)) {
            permissions.check(ResourceName.database(name), Action.SERVER_CREATE_DATABASE);
        }
        return PermittedDatabase.of(storage.databaseOrCreate(name), permissions);
    }

    @Override
    public boolean exists(String name) {
        return storage.exists(name);
    }

    @Override
    public List<String> listDatabases() {
        permissions.check(ResourceName.server(), Action.SERVER_LIST_DATABASES);
        return storage.listDatabases();
    }

    @Override
    public void deleteDatabase(String name) {
        permissions.check(ResourceName.database(name), Action.SERVER_DELETE_DATABASE);
        storage.deleteDatabase(name);
    }

    /** The storage's own pub/sub carries every database's commits: only a caller who may do anything gets it. */
    @Override
    public Optional<PubSub> pubSub() {
        return Optional.empty();
    }

    /** Closing a caller's view of the storage leaves the storage open for the others. */
    @Override
    public void close() {
    }
}
