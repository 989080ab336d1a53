package dev.arbor.server.protocol;

import dev.arbor.api.Database;
import dev.arbor.api.Storage;
import dev.arbor.server.http.Access;

import java.util.List;

/**
 * The server's storage as one protocol caller may use it, for a custom API's handler: storage operations are
 * authorized as their HTTP routes are, and each database is narrowed to the caller's statements and {@code _security}
 * ({@link Caller#permitted}). Thread-safe; closing it leaves the server's storage open.
 */
final class CallerStorage implements Storage {
    private final Caller caller;

    CallerStorage(Caller caller) {
        this.caller = caller;
    }

    @Override
    public Database createDatabase(String name, boolean partitioned) {
        caller.authorize(name, Access.CREATE_DATABASE);
        caller.storage().createDatabase(name, partitioned);
        return caller.permitted(name);
    }

    @Override
    public Database database(String name) {
        return caller.permitted(name);
    }

    @Override
    public Database databaseOrCreate(String name) {
        if (!caller.storage().exists(name)) {
            caller.authorize(name, Access.CREATE_DATABASE);
            caller.storage().databaseOrCreate(name);
        }
        return caller.permitted(name);
    }

    @Override
    public boolean exists(String name) {
        return caller.storage().exists(name);
    }

    @Override
    public List<String> listDatabases() {
        caller.authorize(null, Access.LIST_DATABASES);
        return caller.storage().listDatabases();
    }

    @Override
    public void deleteDatabase(String name) {
        caller.authorize(name, Access.DELETE_DATABASE);
        caller.storage().deleteDatabase(name);
    }

    @Override
    public java.util.Optional<dev.arbor.api.pubsub.PubSub> pubSub() {
        try {
            return java.util.Optional.of(caller.storagePubSub());
        } catch (dev.arbor.core.error.ArborException.Forbidden notAnAdmin) {
            return java.util.Optional.empty();
        }
    }

    @Override
    public void close() {
        // The server's storage outlives every caller's view of it.
    }
}
