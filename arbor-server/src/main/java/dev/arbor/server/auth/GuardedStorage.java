package dev.arbor.server.auth;

import dev.arbor.api.Database;
import dev.arbor.api.Storage;
import dev.arbor.core.doc.DatabaseNames;
import dev.arbor.core.error.ArborException;
import dev.arbor.server.http.UserCtx;

import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The storage as the HTTP server sees it: a database created through it gets the default
 * {@code _security} (CouchDB 3's {@code admin_only} unless configured otherwise), {@code _users}
 * comes wrapped in a {@link UsersDatabaseGuard} and {@code _permissions} in a {@link PermissionsDatabaseGuard}, and
 * any other database shows the caller only the documents their permissions give them
 * ({@link dev.arbor.api.permission.RestrictedDatabase}). Everything else passes straight through.
 */
final class GuardedStorage implements Storage {
    private final Storage delegate;
    private final Function<Database, Database> onCreated;
    private final UsersDatabase rules;
    private final Supplier<UserCtx> currentUser;
    private final Function<Database, Database> restrictToCaller;

    GuardedStorage(Storage delegate, Function<Database, Database> onCreated, UsersDatabase rules,
                   Supplier<UserCtx> currentUser, Function<Database, Database> restrictToCaller) {
        this.delegate = delegate;
        this.onCreated = onCreated;
        this.rules = rules;
        this.currentUser = currentUser;
        this.restrictToCaller = restrictToCaller;
    }

    private Database guard(Database database) {
        return switch (database.name()) {
            case UsersDatabase.NAME -> UsersDatabaseGuard.guard(database, rules, currentUser);
            case PermissionDirectory.NAME -> PermissionsDatabaseGuard.guard(database, currentUser);
            default -> restrictToCaller.apply(database);
        };
    }

    @Override
    public Database createDatabase(String name, boolean partitioned) {
        return guard(onCreated.apply(delegate.createDatabase(name, partitioned)));
    }

    @Override
    public Database database(String name) {
        return guard(delegate.database(name));
    }

    /** Two racing callers may both see "absent"; only the one whose create succeeds sets the security. */
    @Override
    public Database databaseOrCreate(String name) {
        if (!delegate.exists(name)) {
            DatabaseNames.validate(name);
            try {
                return createDatabase(name);
            } catch (ArborException.PreconditionFailed alreadyCreated) {
                // created meanwhile by someone else, with its security: fall through
            }
        }
        return database(name);
    }

    @Override
    public boolean exists(String name) {
        return delegate.exists(name);
    }

    @Override
    public List<String> listDatabases() {
        return delegate.listDatabases();
    }

    @Override
    public void deleteDatabase(String name) {
        delegate.deleteDatabase(name);
    }

    /** The storage's own: commits carry no user's data beyond database names and sequences. */
    @Override
    public java.util.Optional<dev.arbor.api.pubsub.PubSub> pubSub() {
        return delegate.pubSub();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
