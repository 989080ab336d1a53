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
 * <p>There is no "admin party": when the file names no admin, the first start creates one, from
 * {@code ARBOR_ADMIN=name:password} when given, else named {@value #GENERATED_ADMIN_NAME} with a generated
 * password the caller prints once. {@code ARBOR_ADMIN} is ignored once any admin exists, so changing the
 * environment cannot silently add an admin to a running installation.
 */
public final class Admins {
    static final String SECTION = "admins";
    public static final String GENERATED_ADMIN_NAME = "admin";

    /** How the admins came to be on this start. */
    public sealed interface FirstStart {
        /** The ini file already named at least one admin. */
        record Existing() implements FirstStart {}

        /** Created from {@code ARBOR_ADMIN}. */
        record FromEnvironment(String name) implements FirstStart {}

        /** Created with a generated password: show it to the operator once; only its hash is stored. */
        record Generated(String name, String password) implements FirstStart {}
    }

    private final Map<String, PasswordHash> hashes;
    private final FirstStart firstStart;

    private Admins(Map<String, PasswordHash> hashes, FirstStart firstStart) {
        this.hashes = Map.copyOf(hashes);
        this.firstStart = firstStart;
    }

    /**
     * Reads {@code [admins]}, hashing plain-text values in {@code ini} and creating the first admin when
     * there is none. The caller saves the file.
     *
     * @param arborAdmin the {@code ARBOR_ADMIN} variable ({@code name:password}), or null
     */
    static Admins load(IniFile ini, PasswordHasher hasher, String arborAdmin) {
        Map<String, PasswordHash> hashes = new LinkedHashMap<>();
        ini.section(SECTION).forEach((name, value) -> {
            if (PasswordHash.looksHashed(value)) {
                PasswordHash.parseIniValue(value).ifPresentOrElse(hash -> hashes.put(name, hash), () -> {
                    throw new IllegalArgumentException("[admins] " + name + " has an unreadable password hash");
                });
            } else {
                PasswordHash.Pbkdf2 hash = hasher.hash(value);
                ini.set(SECTION, name, hash.toIniValue());
                hashes.put(name, hash);
            }
        });
        if (!hashes.isEmpty()) {
            return new Admins(hashes, new FirstStart.Existing());
        }
        FirstStart firstStart;
        String name;
        String password;
        if (arborAdmin != null && !arborAdmin.isBlank()) {
            int colon = arborAdmin.indexOf(':');
            if (colon <= 0 || colon == arborAdmin.length() - 1) {
                throw new IllegalArgumentException("ARBOR_ADMIN must be name:password");
            }
            name = arborAdmin.substring(0, colon);
            password = arborAdmin.substring(colon + 1);
            firstStart = new FirstStart.FromEnvironment(name);
        } else {
            name = GENERATED_ADMIN_NAME;
            password = generatePassword();
            firstStart = new FirstStart.Generated(name, password);
        }
        PasswordHash.Pbkdf2 hash = hasher.hash(password);
        ini.set(SECTION, name, hash.toIniValue());
        hashes.put(name, hash);
        return new Admins(hashes, firstStart);
    }

    private static String generatePassword() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public FirstStart firstStart() {
        return firstStart;
    }

    public Set<String> names() {
        return hashes.keySet();
    }

    Optional<PasswordHash> hashOf(String name) {
        return Optional.ofNullable(hashes.get(name));
    }
}
