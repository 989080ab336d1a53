package dev.arbor.server.auth;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The server admins, kept as CouchDB keeps them: in the {@code [admins]} section of the ini file, hashed
 * ({@code name = -pbkdf2:sha256-<derived>,<salt>,<iterations>}), never in plain text. A plain-text value an
 * operator wrote there is hashed on start and the file rewritten, as CouchDB does.
 *
 * <p>{@code ARBOR_ADMIN=name:password} is applied at every start, as CouchDB's Docker image applies
 * {@code COUCHDB_USER}/{@code COUCHDB_PASSWORD}: the admin is created when the file lacks it and its password
 * replaced when it differs (the image's 2.x entrypoint rewrote that admin at every start; its 3.x one only adds
 * a missing name, which would leave an earlier generated password in force), so {@code ARBOR_ADMIN=admin:secret}
 * logs in as {@code admin:secret} whatever an earlier start generated. The caller reports what happened
 * ({@link #startup()}), so nothing changes silently.
 * Without {@code ARBOR_ADMIN} there is still no "admin party": when the file names no admin, one is created,
 * named {@value #GENERATED_ADMIN_NAME}, with a generated password the caller prints once.
 */
public final class Admins {
    static final String SECTION = "admins";
    public static final String GENERATED_ADMIN_NAME = "admin";

    /** What this start did to the admins. */
    public sealed interface Startup {
        /** No {@code ARBOR_ADMIN}; the ini file's admins are used as they are. */
        record Existing() implements Startup {}

        /** {@code ARBOR_ADMIN} named an admin the file did not have: created. */
        record Created(String name) implements Startup {}

        /** {@code ARBOR_ADMIN} named an existing admin with another password: its stored hash was replaced. */
        record PasswordReset(String name) implements Startup {}

        /** {@code ARBOR_ADMIN} named an existing admin with its current password: nothing changed. */
        record Unchanged(String name) implements Startup {}

        /** No admin at all: one created with a generated password, to show the operator once; only its hash is stored. */
        record Generated(String name, String password) implements Startup {}
    }

    private record Credentials(String name, String password) {
        static Credentials parse(String arborAdmin) {
            int colon = arborAdmin.indexOf(':');
            if (colon <= 0 || colon == arborAdmin.length() - 1) {
                throw new IllegalArgumentException("ARBOR_ADMIN must be name:password");
            }
            String name = arborAdmin.substring(0, colon);
            // The name becomes an ini key: one the file would read back differently is refused now, not at the next start.
            if (name.contains("=") || !name.strip().equals(name) || "[;#".indexOf(name.charAt(0)) >= 0) {
                throw new IllegalArgumentException("ARBOR_ADMIN's name cannot contain '=', start with '[', ';' or '#',"
                        + " or begin or end with a space: " + name);
            }
            return new Credentials(name, arborAdmin.substring(colon + 1));
        }
    }

    private final Map<String, PasswordHash> hashes;
    private final Startup startup;

    private Admins(Map<String, PasswordHash> hashes, Startup startup) {
        // Admins set over HTTP (PUT /_node/_local/_config/admins/NAME) join or leave while the server runs.
        this.hashes = new java.util.concurrent.ConcurrentHashMap<>(hashes);
        this.startup = startup;
    }

    /**
     * Reads {@code [admins]}, hashing plain-text values in {@code ini}, then applies {@code ARBOR_ADMIN}, or
     * creates a first admin when there is none. The caller saves the file.
     *
     * @param arborAdmin the {@code ARBOR_ADMIN} variable ({@code name:password}), or null
     */
    static Admins load(EditableIniFile ini, PasswordHasher hasher, String arborAdmin) {
        Map<String, PasswordHash> hashes = readHashingPlainText(ini, hasher);
        Startup startup;
        if (arborAdmin != null && !arborAdmin.isBlank()) {
            startup = apply(Credentials.parse(arborAdmin), hashes, ini, hasher);
        } else if (hashes.isEmpty()) {
            String password = generatePassword();
            store(GENERATED_ADMIN_NAME, hasher.hash(password), hashes, ini);
            startup = new Startup.Generated(GENERATED_ADMIN_NAME, password);
        } else {
            startup = new Startup.Existing();
        }
        return new Admins(hashes, startup);
    }

    private static Map<String, PasswordHash> readHashingPlainText(EditableIniFile ini, PasswordHasher hasher) {
        Map<String, PasswordHash> hashes = new LinkedHashMap<>();
        ini.section(SECTION).forEach((name, value) -> {
            if (PasswordHash.looksHashed(value)) {
                PasswordHash.parseIniValue(value).ifPresentOrElse(hash -> hashes.put(name, hash), () -> {
                    throw new IllegalArgumentException("[admins] " + name + " has an unreadable password hash");
                });
            } else {
                store(name, hasher.hash(value), hashes, ini);
            }
        });
        return hashes;
    }

    /** Makes {@code credentials} an admin; an unchanged password keeps its hash (and the file its bytes). */
    private static Startup apply(Credentials credentials, Map<String, PasswordHash> hashes, EditableIniFile ini,
            PasswordHasher hasher) {
        PasswordHash stored = hashes.get(credentials.name());
        if (stored != null && hasher.verify(credentials.password(), stored)) {
            return new Startup.Unchanged(credentials.name());
        }
        store(credentials.name(), hasher.hash(credentials.password()), hashes, ini);
        return stored == null ? new Startup.Created(credentials.name()) : new Startup.PasswordReset(credentials.name());
    }

    private static void store(String name, PasswordHash.Pbkdf2 hash, Map<String, PasswordHash> hashes, EditableIniFile ini) {
        ini.set(SECTION, name, hash.toIniValue());
        hashes.put(name, hash);
    }

    private static String generatePassword() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public Startup startup() {
        return startup;
    }

    public Set<String> names() {
        return java.util.Collections.unmodifiableSet(new java.util.TreeSet<>(hashes.keySet()));
    }

    void put(String name, PasswordHash hash) {
        hashes.put(name, hash);
    }

    void remove(String name) {
        hashes.remove(name);
    }

    Optional<PasswordHash> hashOf(String name) {
        return Optional.ofNullable(hashes.get(name));
    }
}
