package dev.arbor.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.Storage;
import dev.arbor.api.Database;
import dev.arbor.api.permission.Action;
import dev.arbor.api.permission.DocumentAccess;
import dev.arbor.api.permission.Permissions;
import dev.arbor.api.permission.RestrictedDatabase;
import dev.arbor.api.permission.ResourceName;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import dev.arbor.server.http.Access;
import dev.arbor.server.http.UserCtx;

/**
 * Enforces a database's {@code _security} object as CouchDB 3 does ({@code couch_db:check_is_admin} and
 * {@code check_is_member}):
 * <ul>
 *   <li>server admins (role {@code _admin}) may do anything;</li>
 *   <li>database admins (a name in {@code admins.names} or a role in {@code admins.roles}) may also do
 *       {@link Access#DB_ADMIN} operations;</li>
 *   <li>members ({@code members.names}/{@code members.roles}; CouchDB's older key {@code readers} is read when
 *       {@code members} is absent) and database admins may {@link Access#READ} and {@link Access#WRITE};</li>
 *   <li>a security object with no member names and no member roles makes the database public.</li>
 * </ul>
 * A caller who is not logged in gets 401, a logged-in caller without the right 403, each with CouchDB's
 * reason. {@link Access#SERVER_ADMIN} is always 401 when refused, as CouchDB's
 * {@code verify_is_server_admin}.
 *
 * <p>Databases created through the server get {@link #securityForNewDatabase()}: with CouchDB 3's default
 * {@code [couchdb] default_security = admin_only} that is {@code _admin} as the only member and admin role,
 * so a new database is closed until an admin opens it. Note that an empty security object still means
 * public, as in CouchDB: a database created outside the server (by the CLI) is public until its
 * {@code _security} is set.
 */
public final class SecurityPolicy {
    /** The role of server admins, as in CouchDB. */
    public static final String ADMIN_ROLE = "_admin";
    static final String NOT_SERVER_ADMIN = "You are not a server admin.";
    static final String NOT_DB_ADMIN = "You are not a db or server admin.";
    static final String NOT_AUTHORIZED = "You are not authorized to access this db.";
    static final String NOT_ALLOWED = "You are not allowed to access this db.";

    private final Storage storage;
    private final AuthSettings.DefaultSecurity defaultSecurity;
    private final Permissions defaultPermissions;
    private final Permissions authenticatedPermissions;
    /** The groups and roles of {@code _permissions}; null when the policy has none (tests of CouchDB's rules). */
    private final PermissionDirectory directory;

    public SecurityPolicy(Storage storage, AuthSettings.DefaultSecurity defaultSecurity) {
        this(storage, defaultSecurity, Permissions.NONE, Permissions.NONE, null);
    }

    /**
     * @param defaultPermissions       granted to every caller, on top of what CouchDB's rules give
     * @param authenticatedPermissions granted to every logged-in caller as well
     */
    SecurityPolicy(Storage storage, AuthSettings.DefaultSecurity defaultSecurity,
                   Permissions defaultPermissions, Permissions authenticatedPermissions, PermissionDirectory directory) {
        this.storage = storage;
        this.defaultSecurity = defaultSecurity;
        this.defaultPermissions = defaultPermissions;
        this.authenticatedPermissions = authenticatedPermissions;
        this.directory = directory;
    }

    /**
     * What the server grants {@code user} whatever the database's {@code _security}: the configured defaults, and
     * for a logged-in user the configured authenticated statements and what their groups and roles give.
     */
    Permissions configured(UserCtx user) {
        if (user.isAnonymous()) {
            return defaultPermissions;
        }
        Permissions granted = defaultPermissions.and(authenticatedPermissions);
        return directory == null ? granted : granted.and(directory.permissions(user));
    }

    /**
     * Checks {@code access} to {@code dbName} (null for server operations). A missing database is
     * {@code not_found} for admins and members alike, before any security decision, as in CouchDB.
     */
    public void authorize(UserCtx user, String dbName, Access access) {
        authorizeAndGrant(user, dbName, access);
    }

    /**
     * {@link #authorize}, answering what it found the caller may do on the database (null for server admins and
     * server-level checks), so {@link #restrict(UserCtx, Database, Permissions)} can narrow the database for the same
     * request without reading {@code _security} and the caller's statements a second time.
     */
    Permissions authorizeAndGrant(UserCtx user, String dbName, Access access) {
        if (isServerAdmin(user)) {
            return null;
        }
        if (access.isServerLevel() || dbName == null) {
            ResourceName resource = dbName == null ? ResourceName.server() : ResourceName.database(dbName);
            if (access != Access.SERVER_ADMIN && configured(user).allowed(resource, CouchSecurity.action(access))) {
                return null; // granted by a statement: creating, deleting or listing databases
            }
            throw new ArborException.Unauthorized(NOT_SERVER_ADMIN);
        }
        Database database = storage.database(dbName);
        Permissions configured = configured(user);
        ObjectNode security = database.getSecurity();
        check(user, dbName, security, access, configured, database.encryptionKey());
        return CouchSecurity.permissions(dbName, user, security).and(configured);
    }

    /**
     * Everything {@code user} may do on {@code dbName} (null: server-level statements only): all for a server admin,
     * else what CouchDB's rules give them from the database's {@code _security} and what the configuration grants.
     * {@code not_found} when the database does not exist.
     */
    Permissions permissionsOf(UserCtx user, String dbName) {
        if (isServerAdmin(user)) {
            return Permissions.ALL;
        }
        if (dbName == null) {
            return configured(user);
        }
        return CouchSecurity.permissions(dbName, user, storage.database(dbName).getSecurity()).and(configured(user));
    }

    /** The decision on a given security object of an unnamed database. */
    public static void check(UserCtx user, ObjectNode security, Access access) {
        check(user, "_", security, access, Permissions.NONE, java.util.Optional.empty());
    }

    /**
     * The decision itself: the caller's permissions on {@code db} (CouchDB's rules, {@link CouchSecurity}, and what
     * the configuration grants) must grant the access level's action; a refusal carries CouchDB's status and reason.
     */
    static void check(UserCtx user, String db, ObjectNode security, Access access, Permissions configured,
                      java.util.Optional<String> encryptionKey) {
        if (access.isServerLevel()) {
            if (!isServerAdmin(user)) {
                throw new ArborException.Unauthorized(NOT_SERVER_ADMIN);
            }
            return;
        }
        Permissions couchDb = CouchSecurity.permissions(db, user, security);
        Permissions permissions = couchDb.and(configured);
        Action action = CouchSecurity.action(access);
        boolean adminOnly = access == Access.DB_ADMIN || access == Access.COMPACT;
        if (permissions.allowed(ResourceName.database(db), action)
                || !adminOnly && !(permissions.documents(db, action) instanceof DocumentAccess.None)) {
            // Given the database, or some of its documents (which restrict then narrows it to). Where only statements
            // give it, an encrypted database's key must be granted too; CouchDB's members and admins hold what they
            // always held, so a CouchDB client or replicator sees CouchDB's answers whether the disk is encrypted or not.
            if (encryptionKey.isPresent() && !couchDb.allowed(ResourceName.database(db), action)) {
                requireKeyAction(user, configured, encryptionKey.get(), access);
            }
            return;
        }
        throw adminOnly ? refusal(user, NOT_DB_ADMIN)
                : refusal(user, user.isAnonymous() ? NOT_AUTHORIZED : NOT_ALLOWED);
    }

    /** {@code encryption.encrypt} for writes, {@code encryption.decrypt} for every other access, on {@code keyName}. */
    private static void requireKeyAction(UserCtx user, Permissions configured, String keyName, Access access) {
        Action needed = access == Access.WRITE ? Action.ENCRYPTION_ENCRYPT : Action.ENCRYPTION_DECRYPT;
        if (!configured.allowed(ResourceName.encryptionKey(keyName), needed)) {
            throw refusal(user, "You are not allowed to " + needed.qualifiedName() + " with encryption key " + keyName
                    + ".");
        }
    }

    /**
     * {@code database} as {@code user} may see it: the documents they may read and write, where their permissions
     * give them some and not all ({@link RestrictedDatabase}); the database itself otherwise.
     */
    Database restrict(UserCtx user, Database database) {
        if (isServerAdmin(user)) {
            return database;
        }
        return restrict(user, database,
                CouchSecurity.permissions(database.name(), user, database.getSecurity()).and(configured(user)));
    }

    /** {@code database} narrowed to what {@code permissions} (the caller's on it) give. */
    Database restrict(UserCtx user, Database database, Permissions permissions) {
        if (isServerAdmin(user)) {
            return database;
        }
        String db = database.name();
        return RestrictedDatabase.of(database, permissions.documents(db, Action.DATABASE_READ_DOCUMENT),
                permissions.documents(db, Action.DATABASE_WRITE_DOCUMENT));
    }

    public static boolean isServerAdmin(UserCtx user) {
        return user.roles().contains(ADMIN_ROLE);
    }

    /** Server admin, or named in the security object's admins by name or role. */
    public static boolean isAdmin(UserCtx user, ObjectNode security) {
        return isServerAdmin(user) || matches(user, security.get("admins"));
    }

    /** Admin, or the database is public, or named in its members by name or role. */
    public static boolean isMember(UserCtx user, ObjectNode security) {
        if (isAdmin(user, security)) {
            return true;
        }
        JsonNode members = security.has("members") ? security.get("members") : security.get("readers");
        if (isEmptyGroup(members)) {
            return true;
        }
        return matches(user, members);
    }

    /** The {@code _security} a database created through the server starts with. */
    public ObjectNode securityForNewDatabase() {
        ObjectNode security = Json.object();
        if (defaultSecurity == AuthSettings.DefaultSecurity.ADMIN_ONLY) {
            security.putObject("members").putArray("roles").add(ADMIN_ROLE);
            security.putObject("admins").putArray("roles").add(ADMIN_ROLE);
        }
        return security;
    }

    private static ArborException refusal(UserCtx user, String reason) {
        return user.isAnonymous() ? new ArborException.Unauthorized(reason) : new ArborException.Forbidden(reason);
    }

    private static boolean isEmptyGroup(JsonNode group) {
        if (group == null || !group.isObject()) {
            return true;
        }
        return isEmptyArray(group.get("names")) && isEmptyArray(group.get("roles"));
    }

    private static boolean isEmptyArray(JsonNode array) {
        return array == null || !array.isArray() || array.isEmpty();
    }

    private static boolean matches(UserCtx user, JsonNode group) {
        if (group == null || !group.isObject()) {
            return false;
        }
        JsonNode names = group.get("names");
        if (user.name() != null && names != null && names.isArray()) {
            for (JsonNode name : names) {
                if (name.isTextual() && name.textValue().equals(user.name())) {
                    return true;
                }
            }
        }
        JsonNode roles = group.get("roles");
        if (roles != null && roles.isArray()) {
            for (JsonNode role : roles) {
                if (role.isTextual() && user.roles().contains(role.textValue())) {
                    return true;
                }
            }
        }
        return false;
    }
}
