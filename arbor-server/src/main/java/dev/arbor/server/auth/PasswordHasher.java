package dev.arbor.server.auth;

import dev.arbor.core.error.ArborException;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Hashes and verifies passwords as CouchDB 3.4 does: PBKDF2 with HMAC-SHA-256 by default, over the
 * password's UTF-8 bytes and the salt's text, one hash length of output, stored as hex. SHA-1 (CouchDB's
 * older default, still in many {@code _users} docs and ini files) and SHA-512 hashes are verified too.
 *
 * <p>Iterations: CouchDB 3.4 defaults to 600,000 for SHA-256, which takes several hundred milliseconds per
 * login on the 2-core machine Arbor is developed on. {@link #DEFAULT_ITERATIONS} (100,000) took about 50-55 ms
 * there on an idle core with a warm JIT (JDK 25, {@code PBKDF2WithHmacSHA256}), and 250-600 ms while other
 * builds loaded both cores. Each hash keeps its own iteration count, so changing the setting
 * ({@code [chttpd_auth] iterations}) later leaves existing hashes valid. Successful checks are cached
 * (see {@code VerifiedPasswords}) so Basic auth does not pay this on every request.
 *
 * <p>Comparison is constant-time ({@link MessageDigest#isEqual}) so timing does not leak how much of a
 * derived key matched.
 */
public final class PasswordHasher {
    public static final int DEFAULT_ITERATIONS = 100_000;
    public static final String DEFAULT_PRF = "sha256";

    /**
     * A stored hash naming more iterations than this is refused rather than computed: anyone who can write
     * a user document could otherwise make every login attempt burn minutes of CPU. CouchDB has the same
     * guard ({@code max_iterations}), with a far higher default.
     */
    public static final int MAX_ITERATIONS = 10_000_000;

    private static final Map<String, String> JDK_ALGORITHMS = Map.of(
            "sha", "PBKDF2WithHmacSHA1",
            "sha256", "PBKDF2WithHmacSHA256",
            "sha512", "PBKDF2WithHmacSHA512");
    private static final Map<String, Integer> HASH_BYTES = Map.of("sha", 20, "sha256", 32, "sha512", 64);
    private static final HexFormat HEX = HexFormat.of();

    private final SecureRandom random = new SecureRandom();
    private final String prf;
    private final int iterations;

    /** @param iterations for new hashes; verification uses each hash's own count */
    public PasswordHasher(String prf, int iterations) {
        if (!isSupportedPrf(prf)) {
            throw new IllegalArgumentException("unsupported pbkdf2_prf: " + prf);
        }
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("iterations must be in 1.." + MAX_ITERATIONS + ": " + iterations);
        }
        this.prf = prf;
        this.iterations = iterations;
    }

    public PasswordHasher() {
        this(DEFAULT_PRF, DEFAULT_ITERATIONS);
    }

    static boolean isSupportedPrf(String prf) {
        return JDK_ALGORITHMS.containsKey(prf);
    }

    public int iterations() {
        return iterations;
    }

    public String prf() {
        return prf;
    }

    /** A fresh salt as CouchDB makes one ({@code couch_uuids:random()}): 16 random bytes as 32 hex digits. */
    public String newSalt() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return HEX.formatHex(bytes);
    }

    /** Hashes {@code password} with a new salt and this hasher's PRF and iteration count. */
    public PasswordHash.Pbkdf2 hash(String password) {
        String salt = newSalt();
        return new PasswordHash.Pbkdf2(prf, pbkdf2Hex(prf, password, salt, iterations), salt, iterations);
    }

    /** Whether {@code password} matches {@code stored}. */
    public boolean verify(String password, PasswordHash stored) {
        return switch (stored) {
            case PasswordHash.Pbkdf2 p -> {
                if (p.iterations() > MAX_ITERATIONS) {
                    throw new ArborException.Forbidden("Iteration count is too high for this server");
                }
                if (p.iterations() < 1 || !isSupportedPrf(p.prf())) {
                    yield false;
                }
                yield constantTimeEquals(pbkdf2Hex(p.prf(), password, p.salt(), p.iterations()), p.derivedKey());
            }
            case PasswordHash.Simple s -> constantTimeEquals(simpleSha(password, s.salt()), s.passwordSha());
        };
    }

    /** PBKDF2 of the password's and salt's UTF-8 bytes, one hash length long, as lowercase hex. */
    public static String pbkdf2Hex(String prf, String password, String salt, int iterations) {
        try {
            SecretKeyFactory factory = SecretKeyFactory.getInstance(JDK_ALGORITHMS.get(prf));
            // The JDK encodes the char[] password as UTF-8, matching CouchDB's binary password.
            PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt.getBytes(StandardCharsets.UTF_8),
                    iterations, HASH_BYTES.get(prf) * 8);
            try {
                return HEX.formatHex(factory.generateSecret(spec).getEncoded());
            } finally {
                spec.clearPassword();
            }
        } catch (GeneralSecurityException e) {
            throw new ArborException.Internal("password hashing failed", e);
        }
    }

    private static String simpleSha(String password, String salt) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(password.getBytes(StandardCharsets.UTF_8));
            sha1.update(salt.getBytes(StandardCharsets.UTF_8));
            return HEX.formatHex(sha1.digest());
        } catch (GeneralSecurityException e) {
            throw new ArborException.Internal("password hashing failed", e);
        }
    }

    static boolean constantTimeEquals(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        return MessageDigest.isEqual(a.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.UTF_8),
                b.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.UTF_8));
    }
}
