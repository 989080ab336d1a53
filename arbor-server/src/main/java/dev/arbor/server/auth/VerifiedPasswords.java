package dev.arbor.server.auth;

import dev.arbor.core.error.ArborException;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Remembers passwords that recently verified, so Basic auth (a password on every request) costs one HMAC
 * rather than a deliberately slow PBKDF2 per request. CouchDB 3.4 does the same
 * ({@code couch_passwords_cache}).
 *
 * <p>Nothing here can be turned back into a password: an entry is an HMAC of the password under a random
 * key that lives only in this process, tied to the stored hash it was checked against, so a changed
 * password (new salt and key) misses. Only successes are cached: a wrong password always pays full price.
 */
final class VerifiedPasswords {
    private static final int MAX_ENTRIES = 10_000;

    private record Entry(PasswordHash against, byte[] fingerprint) {}

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final byte[] key = new byte[32];

    VerifiedPasswords() {
        new SecureRandom().nextBytes(key);
    }

    boolean contains(String name, String password, PasswordHash against) {
        Entry entry = entries.get(name);
        return entry != null && entry.against().equals(against)
                && MessageDigest.isEqual(entry.fingerprint(), fingerprint(name, password));
    }

    void add(String name, String password, PasswordHash against) {
        if (entries.size() >= MAX_ENTRIES) {
            // Crude but bounded: a burst of distinct users empties the cache; each pays one slow hash again.
            entries.clear();
        }
        entries.put(name, new Entry(against, fingerprint(name, password)));
    }

    private byte[] fingerprint(String name, String password) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(name.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return mac.doFinal(password.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new ArborException.Internal("password cache failed", e);
        }
    }
}
