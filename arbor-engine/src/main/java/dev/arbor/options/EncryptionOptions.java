package dev.arbor.options;

import java.util.Map;
import java.util.Objects;

/**
 * At-rest encryption of an on-disk storage, as BonsaiDb's vault: a master key from {@code vault}, kept outside the
 * data directory, wraps named data keys kept in the data directory's keyring; each value that holds user data is
 * sealed with AES-GCM under a data key before it reaches RocksDB (and so its WAL, memtables, SST files and logs).
 *
 * <p>Which key a value is sealed with: the collection's key for a typed collection's documents (BonsaiDb's
 * {@code Collection::encryption_key}), else its database's key, chosen when the database is created:
 * {@code databaseKeys} by name, else {@code defaultKey}. A key named here for the first time is made then. A
 * database created with no key (no default, or before encryption was turned on) stays unencrypted.
 *
 * @param vault          where the master key comes from
 * @param defaultKey     the key of every database created without one of its own; null to encrypt only the databases
 *                       and collections named
 * @param databaseKeys   database name → key name
 * @param collectionKeys typed collection name → key name, for that collection's documents in any database
 */
public record EncryptionOptions(VaultKeyStorage vault, String defaultKey, Map<String, String> databaseKeys,
                                Map<String, String> collectionKeys) {
    /** The key name {@link #defaultKey} takes unless told otherwise. */
    public static final String DEFAULT_KEY = "default";

    public EncryptionOptions {
        Objects.requireNonNull(vault, "vault");
        databaseKeys = Map.copyOf(databaseKeys);
        collectionKeys = Map.copyOf(collectionKeys);
    }

    /** Every new database encrypted under the key {@value #DEFAULT_KEY}. */
    public static EncryptionOptions with(VaultKeyStorage vault) {
        return new EncryptionOptions(vault, DEFAULT_KEY, Map.of(), Map.of());
    }

    public EncryptionOptions defaultKey(String keyName) {
        return new EncryptionOptions(vault, keyName, databaseKeys, collectionKeys);
    }

    public EncryptionOptions databaseKey(String database, String keyName) {
        return new EncryptionOptions(vault, defaultKey, put(databaseKeys, database, keyName), collectionKeys);
    }

    public EncryptionOptions collectionKey(String collection, String keyName) {
        return new EncryptionOptions(vault, defaultKey, databaseKeys, put(collectionKeys, collection, keyName));
    }

    /** The key a database called {@code database} is created with, or null for none. */
    public String keyForNewDatabase(String database) {
        return databaseKeys.getOrDefault(database, defaultKey);
    }

    private static Map<String, String> put(Map<String, String> map, String key, String value) {
        java.util.HashMap<String, String> copy = new java.util.HashMap<>(map);
        copy.put(Objects.requireNonNull(key), Objects.requireNonNull(value));
        return copy;
    }
}
