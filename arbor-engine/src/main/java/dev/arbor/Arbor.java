package dev.arbor;

import dev.arbor.api.Database;
import dev.arbor.api.Storage;
import dev.arbor.api.hook.DatabaseHook;
import dev.arbor.api.schema.SchemaBinding;
import dev.arbor.api.spi.DatabaseProvider;
import dev.arbor.api.view.typed.TypedView;
import dev.arbor.engine.storage.EngineStorage;
import dev.arbor.options.EncryptionOptions;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The entry point of embedded Arbor, like SQLite's {@code open}: a directory holds a storage of
 * named databases, each a RocksDB instance.
 *
 * <pre>{@code
 * try (Database db = Arbor.open(Path.of("arbor-data"))) {
 *     db.put(Json.parseObject("{\"_id\":\"a\",\"n\":1}"));
 * }
 * }</pre>
 *
 * <p>A location string may also name a database elsewhere: {@link #open(String)} hands it to the first
 * {@link DatabaseProvider} on the class path that accepts it (arbor-client accepts
 * {@code http://user:pw@host:5984/db}, as PouchDB's constructor does, and {@code ws://} for the Arbor protocol), so
 * code written against
 * {@link Database} runs on a URL as on a directory.
 */
public final class Arbor {
    /** The database {@link #open(Path)} opens, and the CLI's default {@code --db}. */
    public static final String DEFAULT_DATABASE = "arbor";

    /** A scheme, then {@code ://}: a URL, never a directory name, even where the file system would allow one. */
    private static final Pattern URL = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*)://");

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

    /**
     * Opens (creating if needed) the storage in {@code dir} and its database {@value #DEFAULT_DATABASE} under
     * {@code schema} (arbor-collections' {@code Schema}), with the schema's hooks and views registered, as BonsaiDb's
     * {@code Database::open::<Schema>}. Closing the result closes the storage.
     */
    public static <D> D open(Path dir, SchemaBinding<D> schema) {
        return open(dir, DEFAULT_DATABASE, ArborOptions.DEFAULT, schema);
    }

    /** Opens (creating if needed) database {@code name} of the storage in {@code dir} under {@code schema}. */
    public static <D> D open(Path dir, String name, ArborOptions options, SchemaBinding<D> schema) {
        Database db = open(dir, name, withSchemas(options, List.of(schema)));
        try {
            return schema.bind(db);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    /**
     * Opens (creating if needed) the multi-database storage in {@code dir} with the hooks and views of every schema
     * registered, as BonsaiDb's {@code StorageConfiguration::with_schema}; arbor-collections'
     * {@code SchemaStorage} opens its databases under those schemas.
     */
    public static Storage storage(Path dir, ArborOptions options, List<? extends SchemaBinding<?>> schemas) {
        return storage(dir, withSchemas(options, schemas));
    }

    /** A throw-away database in memory under {@code schema}. */
    public static <D> D inMemory(SchemaBinding<D> schema) {
        Database db = EngineStorage.inMemory().withHooks(schema.hooks()).typedViews(schema.views(), false)
                .openOwned(DEFAULT_DATABASE);
        return schema.bind(db);
    }

    /**
     * The options plus every schema's hooks and typed views. A storage registers them on all its databases, so a
     * database also runs the hooks and views of the other schemas; collection hooks and views only see their own
     * collection's documents, so that costs a prefix check per write.
     */
    private static ArborOptions withSchemas(ArborOptions options, List<? extends SchemaBinding<?>> schemas) {
        List<DatabaseHook> hooks = new ArrayList<>(options.hooks());
        List<TypedView<?, ?>> views = new ArrayList<>(options.views());
        EncryptionOptions encryption = options.encryption();
        for (SchemaBinding<?> schema : schemas) {
            hooks.addAll(schema.hooks());
            views.addAll(schema.views());
            if (encryption != null) {
                for (var collectionKey : schema.collectionEncryptionKeys().entrySet()) {
                    encryption = encryption.collectionKey(collectionKey.getKey(), collectionKey.getValue());
                }
            }
        }
        return options.hooks(hooks).views(views).encryption(encryption);
    }

    /**
     * Opens the database at {@code location}: through the first {@link DatabaseProvider} that accepts it
     * (a remote URL when arbor-client is on the class path), else as the directory {@code location} and
     * its database {@value #DEFAULT_DATABASE}, like {@link #open(Path)}. Closing the database releases
     * everything opened for it.
     *
     * @throws IllegalArgumentException when {@code location} is a URL ({@code scheme://...}) no provider
     *         accepts, naming the artifact to add; nothing is created
     */
    public static Database open(String location) {
        return provider(location).map(p -> p.open(location)).orElseGet(() -> open(directory(location)));
    }

    /**
     * Opens the storage at {@code location}: through a {@link DatabaseProvider} that accepts it, else as a directory.
     *
     * @throws IllegalArgumentException when {@code location} is a URL no provider accepts; nothing is created
     */
    public static Storage storage(String location) {
        return provider(location).map(p -> p.openStorage(location)).orElseGet(() -> storage(directory(location)));
    }

    private static Optional<DatabaseProvider> provider(String location) {
        // Looked up on each call, not cached: providers are few, opening is rare, and a class path
        // that changes (tests, plugins) is then honoured.
        for (DatabaseProvider provider : ServiceLoader.load(DatabaseProvider.class)) {
            if (provider.accepts(location)) {
                return Optional.of(provider);
            }
        }
        return Optional.empty();
    }

    /**
     * {@code location} as a directory, unless it is a URL: opened as a path, {@code http://admin:pw@host/db}
     * would become a directory named after it, password included, and then a puzzling {@code not_found}.
     */
    private static Path directory(String location) {
        Matcher url = URL.matcher(location);
        if (!url.find()) {
            return Path.of(location);
        }
        String scheme = url.group(1).toLowerCase(Locale.ROOT);
        String missing = java.util.Set.of("http", "https", "ws", "wss").contains(scheme)
                ? "opening " + (scheme.startsWith("h") ? "an " : "a ") + scheme + ":// URL needs the remote client: add the dependency dev.arbor:arbor-client"
                : "no DatabaseProvider on the class path opens " + scheme + ":// locations"
                        + " (dev.arbor:arbor-client opens http://, https://, ws:// and wss:// URLs)";
        // The message names the scheme only: the rest of a URL may carry a password.
        throw new IllegalArgumentException(missing + "; nothing was created (a location without a scheme is a directory)");
    }

    /** Opens (creating if needed) the multi-database storage in {@code dir}. */
    public static Storage storage(Path dir) {
        return storage(dir, ArborOptions.DEFAULT);
    }

    public static Storage storage(Path dir, ArborOptions options) {
        return EngineStorage.onDisk(dir, options.durability() == ArborOptions.Durability.DURABLE, options.blockCacheBytes(),
                options.keyValue(), options.limits(), options.encryption()).withHooks(options.hooks())
                .typedViews(options.views(), options.verifyViews())
                .designFunctionMemoryBudget(options.designFunctionMemoryBudget());
    }

    /**
     * Rotates the encryption key {@code keyName} of an encrypted storage opened here: a new key seals every value
     * written from now on, and a background pass re-encrypts what the old key sealed, then drops the old key. Reads and
     * writes go on meanwhile; a rotation cut short (the storage closed, the process killed) resumes when the storage
     * next opens.
     *
     * @return completes when no value is sealed under the old key any more and the keyring no longer holds it
     * @throws IllegalArgumentException when {@code storage} is not an embedded one
     */
    public static java.util.concurrent.CompletableFuture<dev.arbor.options.KeyRotationReport> rotateEncryptionKey(
            Storage storage, String keyName) {
        return embedded(storage).rotateKey(keyName);
    }

    /** The encryption key names of a storage opened here, sorted; empty when it is not encrypted. */
    public static List<String> encryptionKeys(Storage storage) {
        return embedded(storage).encryptionKeys();
    }

    /** The key database {@code name} of a storage opened here is encrypted with; empty when it is not encrypted. */
    public static Optional<String> encryptionKeyOf(Storage storage, String name) {
        return embedded(storage).encryptionKeyOf(name);
    }

    private static EngineStorage embedded(Storage storage) {
        if (!(storage instanceof EngineStorage engine)) {
            throw new IllegalArgumentException("not an embedded storage: " + storage.getClass().getName());
        }
        return engine;
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
