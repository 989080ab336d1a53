package dev.arbor.engine.encryption;

import dev.arbor.core.error.ArborException;
import dev.arbor.engine.kv.KvStore;
import dev.arbor.engine.kv.Space;
import dev.arbor.options.EncryptionOptions;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.function.Function;

/**
 * At-rest encryption of one storage: its keyring, and which of its databases are encrypted under which key.
 *
 * <p>A database is encrypted if it was created while the storage had a key for it. That is recorded in a small file
 * in its directory, {@value #MARKER} (the key's name), written before RocksDB creates anything there, so a database
 * never holds a plaintext value it should not, and a database created before encryption was turned on keeps reading
 * as the plaintext it is. Opening an encrypted database without the storage's key fails before RocksDB opens it.
 *
 * <p>Threads: any; what changes (the keyring) synchronises itself.
 */
public final class StorageEncryption {
    static final String MARKER = "ENCRYPTION";

    private final Keyring keyring;
    private final EncryptionOptions options;
    private final ValueSealer sealer = new ValueSealer();

    private StorageEncryption(Keyring keyring, EncryptionOptions options) {
        this.keyring = keyring;
        this.options = options;
    }

    /**
     * The encryption of the storage in {@code dataDir} with {@code options}; null when the storage is not encrypted
     * and {@code options} is null. Checks the master key before anything else touches the directory.
     *
     * @throws ArborException.PreconditionFailed {@code encryption_key_missing} when the storage is encrypted and no
     *                                           vault is given, {@code encryption_key_wrong} when the vault's key is not
     *                                           the storage's, {@code bad_encryption_config} when the key file lies in
     *                                           the data directory
     */
    public static StorageEncryption open(Path dataDir, EncryptionOptions options) {
        if (options == null) {
            if (Keyring.exists(dataDir)) {
                throw new ArborException.PreconditionFailed("encryption_key_missing", "The storage in "
                        + dataDir.toAbsolutePath() + " is encrypted: open it with its master key (a key file or a"
                        + " passphrase). Nothing was opened or changed.");
            }
            return null;
        }
        Path file = options.vault().keyFile().orElse(null);
        if (file != null && file.toAbsolutePath().normalize().startsWith(dataDir.toAbsolutePath().normalize())) {
            throw new ArborException.PreconditionFailed("bad_encryption_config", "The master key file " + file
                    + " lies inside the data directory " + dataDir + ": keep it elsewhere, or a copy of the data"
                    + " directory carries the key that opens it.");
        }
        if (options.defaultKey() != null) {
            Keyring.validateName(options.defaultKey());
        }
        options.databaseKeys().values().forEach(Keyring::validateName);
        options.collectionKeys().values().forEach(Keyring::validateName);
        return new StorageEncryption(Keyring.open(dataDir, options.vault()), options);
    }

    /** Refuses to open the database in {@code databaseDir} without encryption if it was created encrypted. */
    public static void refuseIfEncrypted(Path databaseDir, String database) {
        if (Files.exists(databaseDir.resolve(MARKER))) {
            throw new ArborException.PreconditionFailed("encryption_key_missing", "Database " + database
                    + " is encrypted and the storage was opened without its master key.");
        }
    }

    public Keyring keyring() {
        return keyring;
    }

    /**
     * Records the key a database being created in {@code databaseDir} is encrypted with, before RocksDB creates it;
     * nothing when the options give it no key.
     */
    public void prepareNewDatabase(Path databaseDir, String database) {
        String keyName = options.keyForNewDatabase(database);
        if (keyName == null) {
            return;
        }
        keyring.sealing(keyName); // made now, so a key that cannot be saved fails the creation, not the first write
        try {
            Files.createDirectories(databaseDir);
            Path marker = databaseDir.resolve(MARKER);
            Files.writeString(marker, keyName + "\n", StandardCharsets.UTF_8);
            try (FileChannel channel = FileChannel.open(marker, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
        } catch (IOException e) {
            throw new ArborException.Internal("cannot record the encryption of database " + database + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * {@code store} as its database is kept: sealed under the key recorded for it, or as it is if it has none.
     *
     * @param documentIds for each space whose row keys name a document, how to read the id (for collection keys)
     */
    public KvStore wrap(Path databaseDir, KvStore store, Map<Space, Function<byte[], String>> documentIds) {
        Path marker = databaseDir.resolve(MARKER);
        if (!Files.exists(marker)) {
            return store;
        }
        String keyName;
        try {
            keyName = Files.readString(marker, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new ArborException.Internal("cannot read " + marker + ": " + e.getMessage(), e);
        }
        SealingKeys keys = new SealingKeys(keyring, keyName, options.collectionKeys(), documentIds);
        return new EncryptingKvStore(store, keyring, keys, sealer);
    }

    /** The name of the key {@code store}'s database seals with, or null if it is not encrypted. */
    public static String keyOf(KvStore store) {
        return store instanceof EncryptingKvStore encrypted ? encrypted.databaseKeyName() : null;
    }
}
