package dev.arbor.options;

import java.nio.file.Path;

/**
 * Where the master key of an encrypted storage lives: never in the data directory, so a copy of that directory (a
 * backup, a stolen disk) holds only ciphertext and keys wrapped by a key it does not hold. The master key wraps the
 * storage's data keys (its keyring, kept in the data directory); it never encrypts data itself, so changing where it
 * lives rewraps a few keys and rewrites no data.
 *
 * <p>Implement it to keep the key elsewhere (a secrets manager, a hardware module). Threads: called once, on the
 * thread that opens the storage.
 */
public interface VaultKeyStorage {

    /**
     * The 256-bit master key.
     *
     * @param salt   the storage's salt, for vaults that derive the key (random, kept in the keyring; not secret)
     * @param create true when the storage is being encrypted for the first time, so a vault that keeps a key may make
     *               one; false when the keyring exists, so a missing key is the caller's error, never a new key
     * @throws dev.arbor.core.error.ArborException.PreconditionFailed {@code encryption_key_missing} when the key is not
     *                                                                there
     */
    byte[] masterKey(byte[] salt, boolean create);

    /** The file the key is kept in, if it is kept in one: the storage refuses one inside its data directory. */
    default java.util.Optional<Path> keyFile() {
        return java.util.Optional.empty();
    }

    /** Where the key comes from, for errors ("key file /etc/arbor/master.key"); never the key. */
    String describe();

    /**
     * A key in {@code file}: 32 random bytes, base64, made (readable by the owner only) when the storage is encrypted
     * for the first time and the file is missing. The file must lie outside the data directory.
     */
    static VaultKeyStorage keyFile(Path file) {
        return new KeyFileVault(file);
    }

    /** A key derived from {@code passphrase} (PBKDF2 with HMAC-SHA-256) and the storage's salt. */
    static VaultKeyStorage passphrase(char[] passphrase) {
        return new PassphraseVault(passphrase);
    }
}
