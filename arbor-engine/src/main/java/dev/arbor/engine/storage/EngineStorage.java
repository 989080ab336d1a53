package dev.arbor.engine.storage;

import dev.arbor.options.KeyValueOptions;
import dev.arbor.options.WriteLimits;
import dev.arbor.api.Database;
import dev.arbor.api.view.typed.TypedView;
import dev.arbor.api.Storage;
import dev.arbor.api.hook.DatabaseHook;
import dev.arbor.core.doc.DatabaseNames;
import dev.arbor.core.error.ArborException;
import dev.arbor.api.pubsub.PubSub;
import dev.arbor.api.pubsub.Topic;
import dev.arbor.engine.store.DatabaseProps;
import dev.arbor.engine.db.EngineDatabase;
import dev.arbor.engine.kv.KvStore;
import dev.arbor.engine.kv.MemoryKvStore;
import dev.arbor.engine.kv.RocksKvStore;
import dev.arbor.engine.encryption.KeyRotation;
import dev.arbor.engine.encryption.StorageEncryption;
import dev.arbor.engine.store.DatabaseKeys;
import dev.arbor.engine.store.DocSpaces;
import dev.arbor.options.EncryptionOptions;
import dev.arbor.options.KeyRotationReport;
import dev.arbor.engine.pubsub.EnginePubSub;
import dev.arbor.js.JsOptions;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The embedded {@link Storage}: named databases, each on its own {@link KvStore}. On disk each database
 * is a RocksDB instance in {@code <dir>/dbs/<name>} (like CouchDB's file per database), all sharing one
 * block cache; in memory each is a {@link MemoryKvStore}.
 *
 * <p>Threads: any. Open databases are shared: {@link #database} returns the same instance to every
 * caller. Creating and deleting databases is serialised on this object (rare operations).
 */
public final class EngineStorage implements Storage {
    private final Path dbsDir;
    private final boolean sync;
    private final Cache cache;
    private final Map<String, MemoryKvStore> memory;
    private final KeyValueOptions keyValueOptions;
    private final WriteLimits limits;
    private final EnginePubSub pubSub = new EnginePubSub();
    private final Map<String, EngineDatabase> open = new ConcurrentHashMap<>();
    /** Hooks run on every database of this storage; set before the first database opens. */
    private volatile List<DatabaseHook> hooks = List.of();
    /** How design documents' JavaScript runs in every database of this storage; set before the first database opens. */
    private volatile JsOptions designFunctions = JsOptions.defaults();
    private volatile boolean closeWithDatabase;
    private volatile boolean closed;

    /** The OS lock on {@code <dir>/arbor.lock} that makes this storage its directory's only owner; null in memory. */
    private final DirectoryLock directoryLock;
    /** At-rest encryption; null when the storage is not encrypted (and always in memory). */
    private final StorageEncryption encryption;
    /** Re-encrypts after a key rotation; null when the storage is not encrypted. */
    private final KeyRotation keyRotation;

    /** Row keys that name a document, for collection keys: the id is the row key in DOCS, its first block in REVS. */
    private static final Map<dev.arbor.engine.kv.Space, java.util.function.Function<byte[], String>> DOCUMENT_IDS = Map.of(
            DocSpaces.DOCS, DatabaseKeys::docId, DocSpaces.REVS, DatabaseKeys::docIdOfRev);

    private EngineStorage(Path dbsDir, boolean sync, Cache cache, Map<String, MemoryKvStore> memory,
                          KeyValueOptions keyValueOptions, WriteLimits limits, DirectoryLock directoryLock,
                          StorageEncryption encryption) {
        this.directoryLock = directoryLock;
        this.encryption = encryption;
        this.keyRotation = encryption == null ? null : new KeyRotation(encryption, new KeyRotation.Databases() {
            @Override
            public List<String> names() {
                return listDatabases();
            }

            @Override
            public KvStore store(String database) {
                return ((EngineDatabase) database(database)).kvStore();
            }
        }, EngineSpaces.ALL);
        this.limits = limits;
        this.keyValueOptions = keyValueOptions;
        this.dbsDir = dbsDir;
        this.sync = sync;
        this.cache = cache;
        this.memory = memory;
    }

    /** A storage in {@code dir} (created if missing). */
    public static EngineStorage onDisk(Path dir, boolean sync, long blockCacheBytes) {
        return onDisk(dir, sync, blockCacheBytes, KeyValueOptions.DEFAULT);
    }

    /** A storage in {@code dir} (created if missing) whose databases' key-value stores follow {@code keyValueOptions}. */
    public static EngineStorage onDisk(Path dir, boolean sync, long blockCacheBytes, KeyValueOptions keyValueOptions) {
        return onDisk(dir, sync, blockCacheBytes, keyValueOptions, WriteLimits.DEFAULT);
    }

    /** Like {@link #onDisk(Path, boolean, long, KeyValueOptions)}, its databases refusing writes over {@code limits}. */
    public static EngineStorage onDisk(Path dir, boolean sync, long blockCacheBytes, KeyValueOptions keyValueOptions,
                                       WriteLimits limits) {
        return onDisk(dir, sync, blockCacheBytes, keyValueOptions, limits, null);
    }

    /**
     * Like {@link #onDisk(Path, boolean, long, KeyValueOptions, WriteLimits)}, encrypted at rest with {@code encryption}
     * (null for none). The master key is checked before anything in {@code dir} is created or changed.
     */
    public static EngineStorage onDisk(Path dir, boolean sync, long blockCacheBytes, KeyValueOptions keyValueOptions,
                                       WriteLimits limits, EncryptionOptions encryption) {
        StorageEncryption storageEncryption = StorageEncryption.open(dir, encryption);
        Path dbs = dir.resolve("dbs");
        try {
            Files.createDirectories(dbs);
        } catch (IOException e) {
            throw new ArborException.Internal("cannot create storage directory " + dir + ": " + e.getMessage(), e);
        }
        DirectoryLock lock = DirectoryLock.acquire(dir);
        try {
            org.rocksdb.RocksDB.loadLibrary();
            EngineStorage storage = new EngineStorage(dbs, sync, new LRUCache(blockCacheBytes), null, keyValueOptions,
                    limits, lock, storageEncryption);
            if (storage.keyRotation != null) {
                storage.keyRotation.resumeUnfinished();
            }
            return storage;
        } catch (RuntimeException | Error e) {
            lock.release();
            throw e;
        }
    }

    public static EngineStorage inMemory() {
        return inMemory(KeyValueOptions.DEFAULT);
    }

    public static EngineStorage inMemory(KeyValueOptions keyValueOptions) {
        return inMemory(keyValueOptions, WriteLimits.DEFAULT);
    }

    public static EngineStorage inMemory(KeyValueOptions keyValueOptions, WriteLimits limits) {
        return new EngineStorage(null, false, null, new ConcurrentHashMap<>(), keyValueOptions, limits, null, null);
    }

    /** Typed views every database of this storage registers when it opens; set before the first open. */
    private volatile List<TypedView<?, ?>> typedViews = List.of();
    private volatile boolean verifyTypedViews;

    /**
     * Typed views each database registers as it opens, before anything can write to it (so eager and unique views
     * see every write); with {@code verify}, each view's index, and each JavaScript design document's, is checked
     * against its checkpoint and rebuilt when they disagree.
     */
    public EngineStorage typedViews(List<TypedView<?, ?>> views, boolean verify) {
        this.typedViews = List.copyOf(views);
        this.verifyTypedViews = verify;
        return this;
    }

    /** Registers the hooks every database of this storage runs on its writes; call before opening databases. */
    public EngineStorage withHooks(List<DatabaseHook> databaseHooks) {
        this.hooks = List.copyOf(databaseHooks);
        return this;
    }

    /**
     * Gives each call of a design function (map, reduce, validate_doc_update, filter) in the databases of this storage
     * {@code bytes} of heap to allocate ({@link JsOptions#memoryBudget()}); call before opening databases.
     */
    public EngineStorage designFunctionMemoryBudget(long bytes) {
        this.designFunctions = JsOptions.defaults().withMemoryBudget(bytes);
        return this;
    }

    /** Opens (creating if needed) {@code name} as a database whose {@code close()} also closes this storage. */
    public Database openOwned(String name) {
        closeWithDatabase = true;
        return databaseOrCreate(name);
    }

    @Override
    public synchronized Database createDatabase(String name, boolean partitioned) {
        ensureOpen();
        DatabaseNames.validate(name);
        if (partitioned && isSystemDatabase(name)) {
            throw new ArborException.BadRequest("bad_request", "Cannot partition a system database");
        }
        if (exists(name)) {
            throw new ArborException.PreconditionFailed("file_exists", "The database could not be created, the file already exists.");
        }
        return openDatabase(name, new DatabaseProps(partitioned));
    }

    /** CouchDB's rule ({@code couch_partition:validate_dbname}): {@code _users}, {@code _replicator} and the like stay global. */
    private static boolean isSystemDatabase(String name) {
        String suffix = name.substring(name.lastIndexOf('/') + 1);
        return name.startsWith("_") || suffix.equals("_users") || suffix.equals("_replicator");
    }

    @Override
    public Database database(String name) {
        ensureOpen();
        EngineDatabase db = open.get(name);
        if (db != null) {
            return db;
        }
        synchronized (this) {
            if (!exists(name)) {
                throw new ArborException.NotFound("Database does not exist.");
            }
            return openDatabase(name, null);
        }
    }

    @Override
    public synchronized Database databaseOrCreate(String name) {
        ensureOpen();
        EngineDatabase db = open.get(name);
        if (db != null) {
            return db;
        }
        DatabaseNames.validate(name);
        return openDatabase(name, exists(name) ? null : DatabaseProps.NONE);
    }

    /**
     * Caller holds this object's monitor.
     *
     * @param creating the props of a database being created here; null when it exists already
     */
    private EngineDatabase openDatabase(String name, DatabaseProps creating) {
        EngineDatabase existing = open.get(name);
        if (existing != null) {
            return existing;
        }
        KvStore store;
        if (memory != null) {
            store = memory.computeIfAbsent(name, n -> new MemoryKvStore(EngineSpaces.ALL));
        } else {
            Path dir = dbsDir.resolve(directoryName(name));
            if (encryption == null) {
                StorageEncryption.refuseIfEncrypted(dir, name);
            } else if (creating != null) {
                encryption.prepareNewDatabase(dir, name);
            }
            store = new RocksKvStore(dir, cache, EngineSpaces.ALL);
            if (encryption != null) {
                store = encryption.wrap(dir, store, DOCUMENT_IDS);
            }
        }
        if (creating != null && creating.partitioned()) {
            creating.writeTo(store);
        }
        EngineDatabase[] self = new EngineDatabase[1];
        self[0] = new EngineDatabase(name, store, sync, keyValueOptions, limits, designFunctions, () -> forget(name, self[0]));
        self[0].useHooks(hooks);
        // The storage's pub/sub carries the commits of all its databases on the changes topic.
        self[0].onCommit(event -> pubSub.publishSystem(Topic.CHANGES, event));
        try {
            // Registered together: they share their index passes.
            self[0].views(typedViews, verifyTypedViews);
            if (verifyTypedViews) {
                self[0].verifyDesignViews();
            }
        } catch (RuntimeException e) {
            self[0].close();
            throw e;
        }
        open.put(name, self[0]);
        return self[0];
    }

    /**
     * Rotates the encryption key called {@code keyName}: a new key seals from now on, and every value sealed under the
     * old one is re-encrypted in the background; the future completes when the old key is gone from the keyring.
     *
     * @throws ArborException.PreconditionFailed {@code not_encrypted} when the storage is not encrypted
     */
    public java.util.concurrent.CompletableFuture<KeyRotationReport> rotateKey(String keyName) {
        ensureOpen();
        if (keyRotation == null) {
            throw new ArborException.PreconditionFailed("not_encrypted", "This storage is not encrypted.");
        }
        List<KvStore> stores = open.values().stream().map(EngineDatabase::kvStore).toList();
        return keyRotation.rotate(keyName, stores);
    }

    /** The encryption key names of this storage, sorted; empty when it is not encrypted. */
    public List<String> encryptionKeys() {
        return encryption == null ? List.of() : encryption.keyring().names();
    }

    /** The name of the key database {@code name} is encrypted with, or empty when it is not encrypted. */
    public java.util.Optional<String> encryptionKeyOf(String name) {
        return java.util.Optional.ofNullable(StorageEncryption.keyOf(((EngineDatabase) database(name)).kvStore()));
    }

    /** Publish/subscribe across the storage; its {@link Topic#CHANGES} carries every database's commits. */
    @Override
    public java.util.Optional<PubSub> pubSub() {
        return java.util.Optional.of(pubSub);
    }

    private void forget(String name, EngineDatabase db) {
        open.remove(name, db);
        if (closeWithDatabase) {
            close();
        }
    }

    @Override
    public boolean exists(String name) {
        if (memory != null) {
            return memory.containsKey(name);
        }
        return Files.exists(dbsDir.resolve(directoryName(name)).resolve("CURRENT"));
    }

    @Override
    public List<String> listDatabases() {
        ensureOpen();
        if (memory != null) {
            return memory.keySet().stream().sorted().toList();
        }
        List<String> names = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(dbsDir)) {
            dirs.filter(d -> Files.exists(d.resolve("CURRENT")))
                    .forEach(d -> names.add(databaseName(d.getFileName().toString())));
        } catch (IOException e) {
            throw new ArborException.Internal("cannot list databases: " + e.getMessage(), e);
        }
        names.sort(null);
        return names;
    }

    @Override
    public synchronized void deleteDatabase(String name) {
        ensureOpen();
        if (!exists(name)) {
            throw new ArborException.NotFound("Database does not exist.");
        }
        EngineDatabase db = open.remove(name);
        if (db != null) {
            db.markDeleted();
            boolean closeStorage = closeWithDatabase;
            closeWithDatabase = false;
            db.close();
            closeWithDatabase = closeStorage;
        }
        if (memory != null) {
            memory.remove(name);
        } else {
            deleteRecursively(dbsDir.resolve(directoryName(name)));
        }
        for (DatabaseHook hook : hooks) {
            try {
                hook.onDestroy(name);
            } catch (RuntimeException e) {
                // The database is gone already; a failing hook cannot bring it back.
                System.getLogger(EngineStorage.class.getName()).log(System.Logger.Level.WARNING,
                        "on-destroy hook of " + name + " failed", e);
            }
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Database names may hold {@code / $ ( ) +}: on disk every byte outside {@code [a-z0-9_-]} is
     * written {@code %XX}, so each name is one directory and the mapping is reversible.
     */
    static String directoryName(String name) {
        StringBuilder out = new StringBuilder();
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-') {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xFF));
            }
        }
        return out.toString();
    }

    static String databaseName(String directory) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < directory.length(); i++) {
            char c = directory.charAt(i);
            if (c == '%' && i + 2 < directory.length()) {
                out.write(Integer.parseInt(directory.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private void ensureOpen() {
        if (closed) {
            throw new ArborException.Internal("storage is closed", null);
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            closeWithDatabase = false;
        }
        if (keyRotation != null) {
            keyRotation.close(); // an unfinished rotation resumes at the next open
        }
        for (EngineDatabase db : List.copyOf(open.values())) {
            db.close();
        }
        open.clear();
        if (cache != null) {
            cache.close();
        }
        if (directoryLock != null) {
            directoryLock.release();
        }
    }
}
