package dev.arbor.server.protocol;

import dev.arbor.api.Database;
import dev.arbor.api.Storage;
import dev.arbor.api.permission.PermittedDatabase;
import dev.arbor.api.pubsub.PubSub;
import dev.arbor.core.error.ArborException;
import dev.arbor.server.http.Access;
import dev.arbor.server.http.AccessControl;
import dev.arbor.server.http.UserCtx;

/**
 * One connection's caller and the server's storage as that caller may use it. Every operation asks here, per call, so
 * a change of a database's {@code _security} or of the caller's groups applies to the next request, as over HTTP:
 * first the route-level check HTTP makes ({@link AccessControl#authorize}), then the database as the caller's
 * statements allow it ({@link PermittedDatabase}: per-document access, {@code kv.*}, {@code pubsub.*}).
 */
record Caller(UserCtx user, Storage storage, AccessControl access) {

    /** Checks what the HTTP route for the same operation checks. */
    void authorize(String dbName, Access level) {
        access.authorize(user, dbName, level);
    }

    /** {@code name} after the HTTP check for {@code level}, narrowed to what the caller's statements allow. */
    Database database(String name, Access level) {
        authorize(name, level);
        return permitted(name);
    }

    /** {@code name} narrowed to the caller's statements alone: the key-value store and pub/sub, which HTTP has not. */
    Database permitted(String name) {
        return PermittedDatabase.of(storage.database(name), access.permissions(user, name));
    }

    /**
     * The storage's own pub/sub: it carries every database's commits, so, as {@code PermittedStorage} decides, only a
     * caller who may do anything uses it; the others use a database's pub/sub, checked topic by topic.
     */
    PubSub storagePubSub() {
        if (!access.permissions(user, null).isAll()) {
            throw new ArborException.Forbidden("the storage's pub/sub is for server admins; use a database's pub/sub");
        }
        return storage.pubSub().orElseThrow(() -> new ArborException.BadRequest("bad_request", "this server has no pub/sub"));
    }

    /** A database's pub/sub as the caller may use it, or the storage's when {@code dbName} is null. */
    PubSub pubSub(String dbName) {
        if (dbName == null) {
            return storagePubSub();
        }
        return permitted(dbName).pubSub()
                .orElseThrow(() -> new ArborException.BadRequest("bad_request", "database " + dbName + " has no pub/sub"));
    }
}
