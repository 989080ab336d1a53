package dev.arbor.server.auth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.Database;
import dev.arbor.api.Storage;

import java.nio.file.Path;
import java.time.Clock;

/**
 * Everything the server needs for access control, set up from the data directory: the admins and
 * settings in {@code <data>/arbor.ini} (hashing plain-text admins, creating the first admin, generating the
 * cookie secret on first start), the {@code _users} database, and the parts built on them.
 */
public final class ServerAuth implements AccessControl {
    public static final String INI_FILE = "arbor.ini";

    private final AuthSettings settings;
    private final Admins admins;
    private final Authenticator authenticator;
    private final SessionService sessions;
    private final SecurityPolicy security;
    private final UsersDatabase usersDatabase;

    private ServerAuth(AuthSettings settings, Admins admins, Storage storage, Clock clock) {
        this.settings = settings;
        this.admins = admins;
        PasswordHasher hasher = new PasswordHasher(settings.prf(), settings.iterations());
        UserDirectory directory = new UserDirectory(admins, storage);
        this.authenticator = new Authenticator(directory, hasher,
                new SessionCookies(settings.secret(), settings.timeoutSeconds(), clock));
        this.sessions = new SessionService(authenticator);
        this.security = new SecurityPolicy(storage, settings.defaultSecurity());
        this.usersDatabase = new UsersDatabase(hasher);
    }

    /**
     * Reads (and on first start writes) {@code <dataDir>/arbor.ini} and makes sure {@code _users} exists.
     * The caller reports {@link #admins()}{@code .firstStart()} to the operator: a generated password is
     * shown there once and stored nowhere in plain text.
     *
     * @param arborAdmin the {@code ARBOR_ADMIN} environment variable ({@code name:password}), or null
     */
    public static ServerAuth open(Path dataDir, Storage storage, String arborAdmin) {
        return open(dataDir, storage, arborAdmin, Clock.systemUTC());
    }

    static ServerAuth open(Path dataDir, Storage storage, String arborAdmin, Clock clock) {
        IniFile ini = IniFile.load(dataDir.resolve(INI_FILE));
        AuthSettings settings = AuthSettings.load(ini);
        Admins admins = Admins.load(ini, new PasswordHasher(settings.prf(), settings.iterations()), arborAdmin);
        ini.saveIfChanged();
        ServerAuth auth = new ServerAuth(settings, admins, storage, clock);
        if (!storage.exists(UsersDatabase.NAME)) {
            auth.databaseCreated(storage.createDatabase(UsersDatabase.NAME));
        }
        return auth;
    }

    @Override
    public UserCtx authenticate(String authorizationHeader, String cookieHeader) {
        return authenticator.authenticate(authorizationHeader, cookieHeader, false).user();
    }

    @Override
    public void authorize(UserCtx user, String dbName, Access access) {
        security.authorize(user, dbName, access);
    }

    /** Gives a database the server just created its default {@code _security} ({@code admin_only} unless configured). */
    public void databaseCreated(Database database) {
        ObjectNode initial = security.securityForNewDatabase();
        if (!initial.isEmpty()) {
            database.setSecurity(initial);
        }
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
