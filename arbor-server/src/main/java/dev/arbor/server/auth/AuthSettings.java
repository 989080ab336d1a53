package dev.arbor.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.api.permission.Permissions;
import dev.arbor.api.permission.Statement;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The authentication settings, read from {@code arbor.ini} under CouchDB's section and key names:
 *
 * <pre>
 * [chttpd_auth]
 * secret = ...            ; HMAC key of session cookies, generated on first start
 * timeout = 600           ; session cookie lifetime in seconds
 * iterations = 100000     ; PBKDF2 iterations for new hashes
 * pbkdf2_prf = sha256     ; PBKDF2's HMAC for new hashes: sha, sha256 or sha512
 *
 * [couchdb]
 * default_security = admin_only   ; or everyone
 *
 * [permissions]
 * default = [{"resources": [["arbor", "database", "public"]], "actions": ["database.read_document"]}]
 * authenticated = [...]   ; statements every logged-in user has, besides the defaults
 * </pre>
 *
 * @param secret          the server secret; each user's salt is appended to it as the cookie HMAC key
 * @param timeoutSeconds  how long a session cookie stays valid after it was issued or last refreshed
 * @param iterations      PBKDF2 iterations for new hashes (see {@link PasswordHasher} for the default's cost)
 * @param prf             PBKDF2 PRF for new hashes
 * @param defaultSecurity the {@code _security} object given to databases the server creates
 * @param defaultPermissions       what every caller may do, logged in or not ({@code [permissions] default})
 * @param authenticatedPermissions what every logged-in caller may also do ({@code [permissions] authenticated})
 */
public record AuthSettings(String secret, int timeoutSeconds, int iterations, String prf,
                           DefaultSecurity defaultSecurity, Permissions defaultPermissions,
                           Permissions authenticatedPermissions) {
    static final String PERMISSIONS_SECTION = "permissions";

    public AuthSettings(String secret, int timeoutSeconds, int iterations, String prf, DefaultSecurity defaultSecurity) {
        this(secret, timeoutSeconds, iterations, prf, defaultSecurity, Permissions.NONE, Permissions.NONE);
    }

    static final String SECTION = "chttpd_auth";
    public static final int DEFAULT_TIMEOUT_SECONDS = 600;

    /** CouchDB 3's {@code [couchdb] default_security}. */
    public enum DefaultSecurity {
        /** CouchDB 3's default: new databases get {@code _admin} as their only member and admin role. */
        ADMIN_ONLY,
        /** CouchDB 2's behaviour: new databases get an empty security object, so they are public. */
        EVERYONE
    }

    /** Reads the settings, generating and storing the secret when the file has none. */
    static AuthSettings load(EditableIniFile ini) {
        String secret = ini.get(SECTION, "secret").filter(s -> !s.isBlank()).orElse(null);
        if (secret == null) {
            byte[] bytes = new byte[16];
            new SecureRandom().nextBytes(bytes);
            secret = HexFormat.of().formatHex(bytes);
            ini.set(SECTION, "secret", secret);
        }
        int timeout = intSetting(ini, "timeout", DEFAULT_TIMEOUT_SECONDS);
        int iterations = intSetting(ini, "iterations", PasswordHasher.DEFAULT_ITERATIONS);
        String prf = ini.get(SECTION, "pbkdf2_prf").orElse(PasswordHasher.DEFAULT_PRF).toLowerCase(Locale.ROOT);
        String security = ini.get("couchdb", "default_security").orElse("admin_only").toLowerCase(Locale.ROOT);
        DefaultSecurity defaultSecurity = switch (security) {
            case "admin_only" -> DefaultSecurity.ADMIN_ONLY;
            case "everyone" -> DefaultSecurity.EVERYONE;
            default -> throw new IllegalArgumentException(
                    "[couchdb] default_security must be admin_only or everyone, not " + security);
        };
        return new AuthSettings(secret, timeout, iterations, prf, defaultSecurity,
                permissions(ini, "default"), permissions(ini, "authenticated"));
    }

    /** {@code [permissions] key}: a JSON array of statements; none when absent. */
    private static Permissions permissions(EditableIniFile ini, String key) {
        String value = ini.get(PERMISSIONS_SECTION, key).orElse(null);
        if (value == null || value.isBlank()) {
            return Permissions.NONE;
        }
        String where = "[" + PERMISSIONS_SECTION + "] " + key;
        JsonNode statements;
        try {
            statements = Json.parse(value);
        } catch (ArborException e) {
            throw new IllegalArgumentException(where + " is not JSON: " + e.getMessage(), e);
        }
        if (!statements.isArray()) {
            throw new IllegalArgumentException(where + " must be a JSON array of statements");
        }
        List<Statement> parsed = new ArrayList<>(statements.size());
        for (JsonNode statement : statements) {
            try {
                parsed.add(Statement.fromJson(statement));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
            }
        }
        return Permissions.of(parsed);
    }

    private static int intSetting(EditableIniFile ini, String key, int fallback) {
        String value = ini.get(SECTION, key).orElse(null);
        if (value == null) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed > 0) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("[" + SECTION + "] " + key + " must be a positive integer, not " + value);
    }
}
