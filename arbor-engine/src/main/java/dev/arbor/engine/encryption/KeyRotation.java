package dev.arbor.engine.encryption;

import dev.arbor.engine.kv.KvStore;
import dev.arbor.engine.kv.Space;
import dev.arbor.options.KeyRotationReport;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Rotates a storage's data keys: a new key of the name seals from the moment it is added, while a background pass
 * re-encrypts, database by database, every value still sealed under an older key of the name, then compacts each
 * database so no SST or WAL file keeps the old ciphertext, and only then drops the older keys from the keyring.
 * Until then both keys open what they sealed, so reads and writes go on throughout.
 *
 * <p>A rotation that does not finish (the storage closed, the process died) leaves the older keys in the keyring;
 * the storage resumes it when it next opens ({@link #resumeUnfinished}).
 *
 * <p>Threads: rotations run one at a time on this object's own daemon thread, so two never rewrite one database at
 * once; {@link #rotate} and {@link #resumeUnfinished} may be called from any thread.
 */
public final class KeyRotation implements AutoCloseable {
    /** Values rewritten per durable commit: big enough to amortise the sync, small enough to hold up commits briefly. */
    private static final int STEP = 512;

    /** The storage's databases as the rotation needs them. */
    public interface Databases {
        List<String> names();

        /** The store of {@code database}, opening the database if it is not open. */
        KvStore store(String database);
    }

    private final Keyring keyring;
    private final Databases databases;
    private final List<Space> spaces;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "arbor-key-rotation");
        thread.setDaemon(true);
        return thread;
    });

    public KeyRotation(StorageEncryption encryption, Databases databases, List<Space> spaces) {
        this.keyring = encryption.keyring();
        this.databases = databases;
        this.spaces = spaces.stream().filter(Space::valuesHoldUserData).toList();
    }

    /**
     * Adds a new key called {@code keyName}, seals with it from now on in every open database, and re-encrypts in the
     * background.
     */
    public CompletableFuture<KeyRotationReport> rotate(String keyName, List<KvStore> openStores) {
        Keyring.validateName(keyName);
        if (!keyring.names().contains(keyName)) {
            throw new dev.arbor.core.error.ArborException.NotFound("No encryption key is called " + keyName + ".");
        }
        keyring.rotate(keyName);
        for (KvStore store : openStores) {
            if (store instanceof EncryptingKvStore encrypted) {
                encrypted.keysChanged();
            }
        }
        return CompletableFuture.supplyAsync(() -> reencrypt(keyName), worker);
    }

    /** Resumes, in the background, the rotations the keyring shows were begun and not finished. */
    public void resumeUnfinished() {
        for (String name : keyring.unfinishedRotations()) {
            CompletableFuture.supplyAsync(() -> reencrypt(name), worker).exceptionally(failure -> {
                System.getLogger(KeyRotation.class.getName()).log(System.Logger.Level.WARNING,
                        "re-encryption under the new key " + name + " stopped; it resumes at the next start", failure);
                return null;
            });
        }
    }

    private KeyRotationReport reencrypt(String keyName) {
        List<Integer> retiring = keyring.retiring(keyName);
        Set<Integer> stale = new HashSet<>(retiring);
        int visited = 0;
        long rewritten = 0;
        if (!stale.isEmpty()) {
            for (String name : databases.names()) {
                try {
                    if (databases.store(name) instanceof EncryptingKvStore store) {
                        rewritten += reencrypt(store, stale);
                        visited++;
                    }
                } catch (dev.arbor.core.error.ArborException.NotFound deleted) {
                    // Deleted before or while it was rewritten: nothing of it is left to hold old ciphertext.
                }
            }
            keyring.retire(retiring);
        }
        return new KeyRotationReport(keyName, keyring.sealing(keyName).number(), retiring, visited, rewritten);
    }

    private long reencrypt(EncryptingKvStore store, Set<Integer> stale) {
        long rewritten = 0;
        for (Space space : spaces) {
            rewritten += store.reseal(space, stale, STEP);
        }
        // Flushes the memtables (so the WAL files holding old ciphertext are dropped) and rewrites every SST file
        // without the old versions of the rewritten values.
        store.compactStorage();
        return rewritten;
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
