package dev.arbor.server.auth;

import java.util.Locale;
import java.util.Optional;

/**
 * A stored password, in one of the forms CouchDB writes: PBKDF2 (the default) or the deprecated
 * "simple" salted SHA-1. The salt is kept as the text CouchDB stores (32 hex digits); its UTF-8 bytes are
 * what goes into the hash and into the session cookie's HMAC key, as in CouchDB.
 */
public sealed interface PasswordHash {

    String salt();

    /**
     * PBKDF2-HMAC with {@code prf} ({@code sha} meaning SHA-1, {@code sha256}, {@code sha512}),
     * {@code derivedKey} in lowercase hex, one hash length long.
     */
    record Pbkdf2(String prf, String derivedKey, String salt, int iterations) implements PasswordHash {
        public Pbkdf2 {
            prf = prf.toLowerCase(Locale.ROOT);
            derivedKey = derivedKey.toLowerCase(Locale.ROOT);
        }

        /** CouchDB's {@code [admins]} value: {@code -pbkdf2:sha256-<derived>,<salt>,<iterations>}. */
        public String toIniValue() {
            return "-pbkdf2:" + prf + "-" + derivedKey + "," + salt + "," + iterations;
        }
    }

    /** CouchDB 1.x's {@code password_sha}: hex SHA-1 of password followed by salt. Verified, never written. */
    record Simple(String passwordSha, String salt) implements PasswordHash {}

    /**
     * Parses an {@code [admins]} value. Empty when the value is not a hash (a plain-text password that
     * CouchDB, and Arbor, hash on start). Recognised: {@code -pbkdf2:<prf>-d,s,i}, the older
     * {@code -pbkdf2-d,s,i} (SHA-1) and {@code -hashed-sha,salt}.
     */
    static Optional<PasswordHash> parseIniValue(String value) {
        if (value.startsWith("-hashed-")) {
            String[] parts = value.substring("-hashed-".length()).split(",", -1);
            return parts.length == 2 ? Optional.of(new Simple(parts[0], parts[1])) : Optional.empty();
        }
        String prf;
        String rest;
        if (value.startsWith("-pbkdf2-")) {
            prf = "sha";
            rest = value.substring("-pbkdf2-".length());
        } else if (value.startsWith("-pbkdf2:")) {
            int dash = value.indexOf('-', "-pbkdf2:".length());
            if (dash < 0) {
                return Optional.empty();
            }
            prf = value.substring("-pbkdf2:".length(), dash);
            rest = value.substring(dash + 1);
        } else {
            return Optional.empty();
        }
        String[] parts = rest.split(",", -1);
        if (parts.length != 3 || !PasswordHasher.isSupportedPrf(prf)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Pbkdf2(prf, parts[0], parts[1], Integer.parseInt(parts[2])));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Whether an {@code [admins]} value looks hashed, by CouchDB's prefixes (so it is left alone on start). */
    static boolean looksHashed(String iniValue) {
        return iniValue.startsWith("-hashed-") || iniValue.startsWith("-pbkdf2-") || iniValue.startsWith("-pbkdf2:");
    }
}
