package dev.arbor.server.auth;

import java.security.SecureRandom;
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
 * </pre>
 *
 * @param secret          the server secret; each user's salt is appended to it as the cookie HMAC key
 * @param timeoutSeconds  how long a session cookie stays valid after it was issued or last refreshed
 * @param iterations      PBKDF2 iterations for new hashes (see {@link PasswordHasher} for the default's cost)
 * @param prf             PBKDF2 PRF for new hashes
 * @param defaultSecurity the {@code _security} object given to databases the server creates
 */
public record AuthSettings(String secret, int timeoutSeconds, int iterations, String prf,
                           DefaultSecurity defaultSecurity) {
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
        return new AuthSettings(secret, timeout, iterations, prf, defaultSecurity);
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
