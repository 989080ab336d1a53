package dev.arbor;

import dev.arbor.api.Database;
import dev.arbor.api.Storage;
import dev.arbor.engine.storage.EngineStorage;

import java.nio.file.Path;

/**
 * The entry point of embedded Arbor, like SQLite's {@code open}: a directory holds a storage of
 * named databases, each a RocksDB instance.
 *
 * <pre>{@code
 * try (Database db = Arbor.open(Path.of("arbor-data"))) {
 *     db.put(Json.parseObject("{\"_id\":\"a\",\"n\":1}"));
 * }
 * }</pre>
 */
public final class Arbor {
    /** The database {@link #open(Path)} opens, and the CLI's default {@code --db}. */
    public static final String DEFAULT_DATABASE = "arbor";

    private Arbor() {}

    /** Opens (creating if needed) the storage in {@code dir} and its database {@value #DEFAULT_DATABASE}; closing the database closes the storage. */
    public static Database open(Path dir) {
        return open(dir, DEFAULT_DATABASE, ArborOptions.DEFAULT);
    }

    /** Opens (creating if needed) database {@code name} of the storage in {@code dir}; closing the database closes the storage. */
    public static Database open(Path dir, String name, ArborOptions options) {
        EngineStorage storage = (EngineStorage) storage(dir, options);
        try {
            return storage.openOwned(name);
        } catch (RuntimeException e) {
            storage.close();
            throw e;
        }
    }

    /** Opens (creating if needed) the multi-database storage in {@code dir}. */
    public static Storage storage(Path dir) {
        return storage(dir, ArborOptions.DEFAULT);
    }

    public static Storage storage(Path dir, ArborOptions options) {
        return EngineStorage.onDisk(dir, options.durability() == ArborOptions.Durability.DURABLE, options.blockCacheBytes());
    }

    /** A throw-away storage in memory with the same contract, for tests. */
    public static Storage inMemoryStorage() {
        return EngineStorage.inMemory();
    }

    /** A throw-away database in memory. */
    public static Database inMemory() {
        return EngineStorage.inMemory().openOwned(DEFAULT_DATABASE);
    }
}
