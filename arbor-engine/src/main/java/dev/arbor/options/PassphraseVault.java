package dev.arbor.options;

import dev.arbor.core.error.ArborException;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.security.GeneralSecurityException;

/**
 * The master key derived from a passphrase given at start: PBKDF2 with HMAC-SHA-256 over the storage's random salt,
 * at OWASP's recommended 600,000 iterations, so guessing a passphrase from a copied keyring costs that much per guess.
 */
final class PassphraseVault implements VaultKeyStorage {
    static final int ITERATIONS = 600_000;

    private final char[] passphrase;

    PassphraseVault(char[] passphrase) {
        if (passphrase == null || passphrase.length == 0) {
            throw new ArborException.BadRequest("bad_request", "The encryption passphrase is empty.");
        }
        this.passphrase = passphrase.clone();
    }

    @Override
    public byte[] masterKey(byte[] salt, boolean create) {
        PBEKeySpec spec = new PBEKeySpec(passphrase, salt, ITERATIONS, 256);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new ArborException.Internal("cannot derive the master key: " + e.getMessage(), e);
        } finally {
            spec.clearPassword();
        }
    }

    @Override
    public String describe() {
        return "passphrase";
    }
}
