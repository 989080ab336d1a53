package dev.arbor.engine.encryption;

import dev.arbor.engine.kv.KvBatch;
import dev.arbor.engine.kv.KvCursor;
import dev.arbor.engine.kv.KvReader;
import dev.arbor.engine.kv.KvSnapshot;
import dev.arbor.engine.kv.KvStore;
import dev.arbor.engine.kv.Space;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A {@link KvStore} that seals every value of the spaces whose values hold user data
 * ({@link Space#valuesHoldUserData()}) with AES-GCM before the store underneath sees it, and opens them on the way
 * out. Keys pass through as they are: their byte order is what scans and indexes rely on. So RocksDB, its WAL, its
 * memtables, SST files and logs only ever hold sealed values.
 *
 * <p>A batch keeps what it is given and seals it when committed, with the keys newest at that moment. A commit holds
 * the read side of {@link #rewriteLock}, a {@link #reseal re-encryption} step the write side: a step reads the newest
 * value of each key and rewrites it, so it must not interleave with a commit that writes the same key, or it would put
 * back an older value. Commits share the read side, so they still run concurrently with each other.
 *
 * <p>Threads: any, as the store underneath. Sealing happens on the committing thread (the database's writer for
 * documents, an index's updater for its rows).
 */
public final class EncryptingKvStore implements KvStore {
    private final KvStore inner;
    private final Keyring keyring;
    private final SealingKeys keys;
    private final ValueSealer sealer;
    private final ReentrantReadWriteLock rewriteLock = new ReentrantReadWriteLock();

    EncryptingKvStore(KvStore inner, Keyring keyring, SealingKeys keys, ValueSealer sealer) {
        this.inner = inner;
        this.keyring = keyring;
        this.keys = keys;
        this.sealer = sealer;
    }

    /** The name of the database's own key (collections may have theirs). */
    String databaseKeyName() {
        return keys.databaseKey();
    }

    @Override
    public byte[] get(Space space, byte[] key) {
        return open(space, key, inner.get(space, key));
    }

    @Override
    public List<byte[]> getAll(Space space, List<byte[]> keys) {
        return openAll(space, keys, inner.getAll(space, keys));
    }

    @Override
    public KvCursor scan(Space space, byte[] from, byte[] to, boolean descending) {
        return opening(space, inner.scan(space, from, to, descending));
    }

    @Override
    public KvSnapshot snapshot() {
        KvSnapshot snapshot = inner.snapshot();
        return new KvSnapshot() {
            @Override
            public byte[] get(Space space, byte[] key) {
                return open(space, key, snapshot.get(space, key));
            }

            @Override
            public List<byte[]> getAll(Space space, List<byte[]> keys) {
                return openAll(space, keys, snapshot.getAll(space, keys));
            }

            @Override
            public KvCursor scan(Space space, byte[] from, byte[] to, boolean descending) {
                return opening(space, snapshot.scan(space, from, to, descending));
            }

            @Override
            public void close() {
                snapshot.close();
            }
        };
    }

    @Override
    public KvBatch newBatch() {
        return new PlainBatch();
    }

    @Override
    public void commit(KvBatch batch, boolean sync) {
        if (!(batch instanceof PlainBatch plain) || plain.store() != this) {
            throw new IllegalArgumentException("not a batch of this store");
        }
        rewriteLock.readLock().lock();
        try (KvBatch sealed = inner.newBatch()) {
            for (Write write : plain.writes) {
                if (write.value() == null) {
                    sealed.delete(write.space(), write.key());
                } else if (write.space().valuesHoldUserData()) {
                    sealed.put(write.space(), write.key(),
                            sealer.seal(keys.forValue(write.space(), write.key()), write.space(), write.key(), write.value()));
                } else {
                    sealed.put(write.space(), write.key(), write.value());
                }
            }
            inner.commit(sealed, sync);
        } finally {
            rewriteLock.readLock().unlock();
        }
    }

    /**
     * Rewrites, under the newest key of its name, every value of {@code space} sealed under one of {@code retiring},
     * in steps of at most {@code step} values, each committed durably.
     *
     * @return how many values it rewrote
     */
    long reseal(Space space, Set<Integer> retiring, int step) {
        long rewritten = 0;
        byte[] from = null;
        while (true) {
            if (Thread.currentThread().isInterrupted()) {
                // The storage is closing: stop between steps; the rotation resumes when it next opens.
                throw new java.util.concurrent.CancellationException("the storage closed during the re-encryption");
            }
            List<byte[]> stale = new ArrayList<>(step);
            byte[] next = null;
            try (KvCursor cursor = inner.scan(space, from, null, false)) {
                while (cursor.next()) {
                    if (stale.size() == step) {
                        next = cursor.key();
                        break;
                    }
                    byte[] value = cursor.value();
                    if (value.length > ValueSealer.HEADER && retiring.contains(ValueSealer.keyNumber(value))) {
                        stale.add(cursor.key());
                    }
                }
            }
            rewritten += rewrite(space, stale, retiring);
            if (next == null) {
                return rewritten;
            }
            from = next;
        }
    }

    private int rewrite(Space space, List<byte[]> stale, Set<Integer> retiring) {
        if (stale.isEmpty()) {
            return 0;
        }
        int count = 0;
        rewriteLock.writeLock().lock();
        try (KvBatch batch = inner.newBatch()) {
            List<byte[]> current = inner.getAll(space, stale);
            for (int i = 0; i < stale.size(); i++) {
                byte[] value = current.get(i);
                // A commit since the scan may have deleted the key or sealed it anew: leave those as they are.
                if (value != null && retiring.contains(ValueSealer.keyNumber(value))) {
                    byte[] key = stale.get(i);
                    byte[] plain = sealer.open(keyring, space, key, value);
                    batch.put(space, key, sealer.seal(keys.forValue(space, key), space, key, plain));
                    count++;
                }
            }
            if (count > 0) {
                inner.commit(batch, true);
            }
        } finally {
            rewriteLock.writeLock().unlock();
        }
        return count;
    }

    /** A rotation added a key: commits from now on seal with it. */
    void keysChanged() {
        rewriteLock.writeLock().lock();
        try {
            keys.forget();
        } finally {
            rewriteLock.writeLock().unlock();
        }
    }

    private byte[] open(Space space, byte[] key, byte[] value) {
        return value == null || !space.valuesHoldUserData() ? value : sealer.open(keyring, space, key, value);
    }

    private List<byte[]> openAll(Space space, List<byte[]> keys, List<byte[]> values) {
        if (space.valuesHoldUserData()) {
            for (int i = 0; i < values.size(); i++) {
                byte[] value = values.get(i);
                if (value != null) {
                    values.set(i, sealer.open(keyring, space, keys.get(i), value));
                }
            }
        }
        return values;
    }

    private KvCursor opening(Space space, KvCursor cursor) {
        if (!space.valuesHoldUserData()) {
            return cursor;
        }
        return new KvCursor() {
            private byte[] opened;

            @Override
            public boolean next() {
                opened = null;
                return cursor.next();
            }

            @Override
            public byte[] key() {
                return cursor.key();
            }

            @Override
            public int summary(Space scanned) {
                // Read beside the seal: counting live documents over a range opens none of them.
                return space.hasSummary() ? ValueSealer.summary(cursor.value()) : KvCursor.super.summary(scanned);
            }

            @Override
            public byte[] value() {
                // Opened on demand: a scan that reads only keys (counting rows, finding a range's end) pays nothing.
                if (opened == null) {
                    opened = sealer.open(keyring, space, cursor.key(), cursor.value());
                }
                return opened;
            }

            @Override
            public void close() {
                cursor.close();
            }
        };
    }

    @Override
    public long generation() {
        return inner.generation();
    }

    @Override
    public long sizeOnDisk() {
        return inner.sizeOnDisk();
    }

    @Override
    public long liveDataSize() {
        return inner.liveDataSize();
    }

    @Override
    public void compactStorage() {
        inner.compactStorage();
    }

    @Override
    public void markDeleted() {
        inner.markDeleted();
    }

    @Override
    public void close() {
        inner.close();
    }

    private record Write(Space space, byte[] key, byte[] value) {}

    /** Writes kept until the commit seals them. Owned by one thread until committed, as every batch. */
    private final class PlainBatch implements KvBatch {
        private final List<Write> writes = new ArrayList<>();
        private long bytes;

        EncryptingKvStore store() {
            return EncryptingKvStore.this;
        }

        @Override
        public void put(Space space, byte[] key, byte[] value) {
            writes.add(new Write(space, key, value));
            bytes += key.length + value.length + (space.valuesHoldUserData() ? ValueSealer.HEADER + ValueSealer.TAG_BYTES : 0);
        }

        @Override
        public void delete(Space space, byte[] key) {
            writes.add(new Write(space, key, null));
            bytes += key.length;
        }

        @Override
        public int size() {
            return writes.size();
        }

        @Override
        public long byteSize() {
            return bytes;
        }

        @Override
        public void close() {
            writes.clear();
        }
    }
}
