package dev.arbor.server.auth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.Database;
import dev.arbor.api.permission.Permissions;
import dev.arbor.api.Storage;
import dev.arbor.server.ServerExtension;
import dev.arbor.server.http.Access;
import dev.arbor.server.http.AccessControl;
import dev.arbor.server.http.HttpExchange;
import dev.arbor.server.http.RequestPath;
import dev.arbor.server.http.UserCtx;

import java.nio.file.Path;
import java.time.Clock;

/**
 * Everything the server needs for access control, set up from the data directory: the admins and
 * settings in {@code <data>/arbor.ini} (hashing plain-text admins, applying {@code ARBOR_ADMIN} or creating the
 * first admin, generating the cookie secret on first start), the {@code _users} database, and the parts built on them.
 *
 * <pre>{@code
 * Storage storage = Arbor.storage(config.dataDir());
 * ServerAuth auth = ServerAuth.open(config.dataDir(), storage, System.getenv("ARBOR_ADMIN"));
 * ArborServer.builder(config, auth.guard(storage))
 *         .accessControl(auth)
 *         .extension(auth.sessionEndpoints())
 *         .start();
 * }</pre>
 */
public final class ServerAuth implements AccessControl {
    public static final String INI_FILE = "arbor.ini";

    /** Listings of a system database that only server admins may read, whatever its {@code _security}. */
    private static final java.util.Set<String> SERVER_ADMIN_LISTINGS = java.util.Set.of("_all_docs", "_changes");

    /** Created on first start when missing: the users and the replication documents. */
    static final java.util.List<String> SYSTEM_DATABASES = java.util.List.of(UsersDatabase.NAME, "_replicator");

    private final AuthSettings settings;
    private final Admins admins;
    private final Authenticator authenticator;
    private final SessionService sessions;
    private final SecurityPolicy security;
    private final UsersDatabase usersDatabase;
    private final Storage storage;
    private final ConfigFile config;
    /**
     * The authentication of the request on this thread, set by {@link #authenticate(HttpExchange)}, which
     * the router calls first for every request. The {@code _users} guard and {@code GET /_session} read it.
     * Each request runs on its own virtual thread; even on a reused thread the next request overwrites it
     * before anything reads it, and off a request thread it is anonymous.
     */
    private final ThreadLocal<Authenticator.Authentication> current = new ThreadLocal<>();
    /**
     * What the current request's authorization found its caller may do on its database, so the database handed to its
     * handler is narrowed with the same permissions instead of reading {@code _security} and the statements again.
     * Set and read on the request's thread only, cleared when the next request on it authenticates.
     */
    private final ThreadLocal<Grant> currentGrant = new ThreadLocal<>();

    private record Grant(UserCtx user, String db, Permissions permissions) {}

    private ServerAuth(Path dataDir, AuthSettings settings, AuthLockout.Settings lockout, Admins admins,
                       Storage storage, Clock clock) {
        this.settings = settings;
        this.admins = admins;
        PasswordHasher hasher = new PasswordHasher(settings.prf(), settings.iterations());
        this.config = new ConfigFile(dataDir, admins, hasher);
        UserDirectory directory = new UserDirectory(admins, storage);
        this.authenticator = new Authenticator(directory, hasher,
                new SessionCookies(settings.secret(), settings.timeoutSeconds(), clock), new AuthLockout(lockout, clock));
        this.sessions = new SessionService(authenticator);
        this.security = new SecurityPolicy(storage, settings.defaultSecurity(), settings.defaultPermissions(),
                settings.authenticatedPermissions(), new PermissionDirectory(storage));
        this.usersDatabase = new UsersDatabase(hasher);
        this.storage = storage;
    }

    /**
     * Reads (and when something changed, writes) {@code <dataDir>/arbor.ini} and makes sure {@code _users} and
     * {@code _replicator} exist.
     * The caller reports {@link #admins()}{@code .startup()} to the operator: whether {@code ARBOR_ADMIN} created
     * an admin or reset its password, or the generated password, which is shown there once and stored nowhere
     * in plain text.
     *
     * @param arborAdmin the {@code ARBOR_ADMIN} environment variable ({@code name:password}), applied at every
     *                   start (see {@link Admins}), or null
     */
    public static ServerAuth open(Path dataDir, Storage storage, String arborAdmin) {
        return open(dataDir, storage, arborAdmin, Clock.systemUTC());
    }

    static ServerAuth open(Path dataDir, Storage storage, String arborAdmin, Clock clock) {
        EditableIniFile ini = EditableIniFile.load(dataDir.resolve(INI_FILE));
        AuthSettings settings = AuthSettings.load(ini);
        AuthLockout.Settings lockout = AuthLockout.Settings.load(ini);
        Admins admins = Admins.load(ini, new PasswordHasher(settings.prf(), settings.iterations()), arborAdmin);
        ini.saveIfChanged();
        ServerAuth auth = new ServerAuth(dataDir, settings, lockout, admins, storage, clock);
        // As CouchDB's single-node setup: both system databases exist from the first start, with the default security.
        for (String system : SYSTEM_DATABASES) {
            if (!storage.exists(system)) {
                auth.databaseCreated(storage.createDatabase(system));
            }
        }
        return auth;
    }

    /** Authenticates a request, sending a reissued session cookie with the response when one is due. */
    @Override
    public UserCtx authenticate(HttpExchange exchange) {
        current.remove();
        currentGrant.remove();
        Authenticator.Authentication authentication = authenticator.authenticate(exchange.header("Authorization"),
                exchange.header("Cookie"), exchange.jettyRequest().isSecure(), peer(exchange));
        if (authentication.refreshedCookie() != null) {
            exchange.setHeader("Set-Cookie", authentication.refreshedCookie());
        }
        current.set(authentication);
        return authentication.user();
    }

    /** The current request's authentication; anonymous off a request thread. */
    Authenticator.Authentication currentAuthentication() {
        Authenticator.Authentication authentication = current.get();
        return authentication == null ? Authenticator.Authentication.ANONYMOUS : authentication;
    }

    /**
     * {@code database} as the current request's caller may see it: only the documents their statements give them
     * where they are given some, not all. Work the server does for itself, off a request thread, sees everything.
     */
    Database restrictToCaller(Database database) {
        Authenticator.Authentication authentication = current.get();
        if (authentication == null) {
            return database;
        }
        Grant grant = currentGrant.get();
        if (grant != null && grant.user() == authentication.user() && grant.db().equals(database.name())) {
            return security.restrict(grant.user(), database, grant.permissions());
        }
        return security.restrict(authentication.user(), database);
    }

    @Override
    public UserCtx authenticate(String authorizationHeader, String cookieHeader) {
        return authenticator.authenticate(authorizationHeader, cookieHeader, false, null).user();
    }

    /** The thread's current request is {@code user}'s for the call, then no one's, as after an HTTP request. */
    @Override
    public <T> T asCaller(UserCtx user, java.util.function.Supplier<T> call) {
        current.set(new Authenticator.Authentication(user, null, null));
        currentGrant.remove();
        try {
            return call.get();
        } finally {
            current.remove();
            currentGrant.remove();
        }
    }

    /** Counts a failed password against {@code peer} as an HTTP request's is, so a WebSocket is no way around the lockout. */
    @Override
    public UserCtx authenticate(String authorizationHeader, String cookieHeader, boolean secure, String peer) {
        return authenticator.authenticate(authorizationHeader, cookieHeader, secure, peer).user();
    }

    /** The client's address, which failed passwords are counted under. */
    static String peer(HttpExchange exchange) {
        return org.eclipse.jetty.server.Request.getRemoteAddr(exchange.jettyRequest());
    }

    @Override
    public void authorize(UserCtx user, String dbName, Access access) {
        Permissions permissions = security.authorizeAndGrant(user, dbName, access);
        if (permissions != null && dbName != null && current.get() != null) {
            currentGrant.set(new Grant(user, dbName, permissions));
        }
    }

    /**
     * The database's {@code _security}, then, for {@code _users}, the rule that only admins list it. That
     * rule is checked here, before the response starts, because listings stream: a refusal from inside the
     * {@code _users} guard would come after a 200 was sent.
     */
    @Override
    public void authorize(HttpExchange exchange, Access access) {
        RequestPath path = exchange.path();
        if (exchange.db() != null && SYSTEM_DATABASES.contains(exchange.db()) && path.size() >= 2 && SERVER_ADMIN_LISTINGS.contains(path.raw(1))) {
            // CouchDB's chttpd_auth_request: these listings of the system databases are for server admins,
            // checked before the database's own security.
            authorize(exchange.user(), null, Access.SERVER_ADMIN);
        }
        authorize(exchange.user(), exchange.db(), access);
        if (UsersDatabase.NAME.equals(exchange.db()) && path.size() >= 2 && UsersDatabase.LISTINGS.contains(path.raw(1))) {
            UsersDatabase.checkListing(exchange.user(), storage.database(UsersDatabase.NAME).getSecurity(), path.raw(1));
        }
    }

    @Override
    public Permissions permissions(UserCtx user, String dbName) {
        return security.permissionsOf(user, dbName);
    }

    /** Gives a database the server just created its default {@code _security} ({@code admin_only} unless configured). */
    public Database databaseCreated(Database database) {
        ObjectNode initial = security.securityForNewDatabase();
        if (!initial.isEmpty()) {
            database.setSecurity(initial);
        }
        return database;
    }

    /**
     * {@code storage} as the server should use it: new databases get the default security and
     * {@code _users} enforces its rules for the caller of the current request.
     */
    public Storage guard(Storage storage) {
        return new GuardedStorage(storage, this::databaseCreated, usersDatabase, () -> currentAuthentication().user(),
                this::restrictToCaller);
    }

    /** {@code arbor.ini} as {@code /_node/_local/_config} edits it; admins set there can log in at once. */
    public dev.arbor.server.NodeConfig nodeConfig() {
        return config;
    }

    /** The {@code /_session} routes. */
    public ServerExtension sessionEndpoints() {
        return new SessionEndpoints(this);
    }

    /** The full authentication of a request, with the reissued cookie when there is one. */
    public Authenticator authenticator() {
        return authenticator;
    }

    public SessionService sessions() {
        return sessions;
    }

    public UsersDatabase usersDatabase() {
        return usersDatabase;
    }

    public Admins admins() {
        return admins;
    }

    public AuthSettings settings() {
        return settings;
    }
}
