package dev.arbor.engine.encryption;

import dev.arbor.engine.kv.Space;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Which key seals a value of one database: its collection's key for a typed collection's documents, else the
 * database's key. Collections are id prefixes ({@code "name:"}), so the choice reads the document id out of the row
 * key of the spaces that hold documents; every other space (the change log, attachments, index rows) seals with the
 * database's key.
 *
 * <p>Threads: any. The newest key of each name is cached; {@link #forget()} drops the cache when a rotation adds one.
 */
final class SealingKeys {
    private final Keyring keyring;
    private final String databaseKey;
    private final Map<String, String> collectionKeys;
    private final Map<Space, Function<byte[], String>> documentIds;
    private final Map<String, Keyring.DataKey> newest = new ConcurrentHashMap<>();

    /**
     * @param databaseKey    the name of the database's key
     * @param collectionKeys collection name → key name
     * @param documentIds    for each space whose row keys name a document, how to read the id out of a row key
     */
    SealingKeys(Keyring keyring, String databaseKey, Map<String, String> collectionKeys,
                Map<Space, Function<byte[], String>> documentIds) {
        this.keyring = keyring;
        this.databaseKey = databaseKey;
        this.collectionKeys = Map.copyOf(collectionKeys);
        this.documentIds = Map.copyOf(documentIds);
    }

    Keyring.DataKey forValue(Space space, byte[] rowKey) {
        return newest.computeIfAbsent(keyName(space, rowKey), keyring::sealing);
    }

    String keyName(Space space, byte[] rowKey) {
        if (!collectionKeys.isEmpty()) {
            Function<byte[], String> idOf = documentIds.get(space);
            if (idOf != null) {
                String id = idOf.apply(rowKey);
                int colon = id.indexOf(':');
                if (colon > 0) {
                    String key = collectionKeys.get(id.substring(0, colon));
                    if (key != null) {
                        return key;
                    }
                }
            }
        }
        return databaseKey;
    }

    String databaseKey() {
        return databaseKey;
    }

    void forget() {
        newest.clear();
    }
}
