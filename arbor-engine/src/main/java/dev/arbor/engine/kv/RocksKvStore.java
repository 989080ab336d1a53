package dev.arbor.engine.kv;

import dev.arbor.core.error.ArborException;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.Cache;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Snapshot;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A {@link KvStore} on one RocksDB instance: a column family per {@link Space}. Every commit is one
 * {@link WriteBatch} (atomic, one WAL record); a durable commit syncs the WAL before returning.
 *
 * <p>Threads: any thread reads (RocksDB gets and iterators are thread-safe); only the database's
 * writer thread commits. Native option objects are created once here and reused, because each JNI
 * allocation costs more than the read it configures.
 */
public final class RocksKvStore implements KvStore {
    static {
        RocksDB.loadLibrary();
    }

    private final RocksDB db;
    private final DBOptions dbOptions;
    private final List<ColumnFamilyOptions> cfOptions = new ArrayList<>();
    private final ColumnFamilyHandle[] handles = new ColumnFamilyHandle[Space.values().length];
    private final List<ColumnFamilyHandle> allHandles = new ArrayList<>();
    private final WriteOptions syncWrites = new WriteOptions().setSync(true);
    private final WriteOptions asyncWrites = new WriteOptions().setSync(false);
    private final ReadOptions latestReads = new ReadOptions();
    /**
     * Native calls, open cursors and open snapshots in progress. {@link #close()} waits for them: a
     * RocksDB handle used after it is closed crashes the JVM instead of throwing.
     */
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean closed;

    private void enter() {
        inFlight.incrementAndGet();
        if (closed) {
            inFlight.decrementAndGet();
            throw new ArborException.Internal("database is closed", null);
        }
    }

    private void exit() {
        inFlight.decrementAndGet();
    }

    /** Opens (creating if needed) the store in {@code dir}, its blocks cached in the storage-wide {@code cache}. */
    public RocksKvStore(Path dir, Cache cache) {
        dbOptions = new DBOptions()
                .setCreateIfMissing(true)
                .setCreateMissingColumnFamilies(true)
                .setMaxBackgroundJobs(2)
                .setBytesPerSync(1 << 20)
                .setKeepLogFileNum(3);
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, newCfOptions(cache, false)));
        for (Space space : Space.values()) {
            descriptors.add(new ColumnFamilyDescriptor(space.name().toLowerCase().getBytes(StandardCharsets.UTF_8),
                    newCfOptions(cache, space.pointLookups())));
        }
        try {
            db = RocksDB.open(dbOptions, dir.toString(), descriptors, allHandles);
        } catch (RocksDBException e) {
            closeOptions();
            throw new ArborException.Internal("cannot open storage at " + dir + ": " + e.getMessage(), e);
        }
        for (Space space : Space.values()) {
            handles[space.ordinal()] = allHandles.get(space.ordinal() + 1);
        }
    }

    private ColumnFamilyOptions newCfOptions(Cache cache, boolean bloom) {
        BlockBasedTableConfig table = new BlockBasedTableConfig()
                .setBlockCache(cache)
                .setBlockSize(16 * 1024)
                .setCacheIndexAndFilterBlocks(true)
                .setPinL0FilterAndIndexBlocksInCache(true);
        if (bloom) {
            table.setFilterPolicy(new BloomFilter(10, false));
        }
        ColumnFamilyOptions options = new ColumnFamilyOptions()
                .setTableFormatConfig(table)
                .setCompressionType(CompressionType.LZ4_COMPRESSION)
                .setLevelCompactionDynamicLevelBytes(true);
        if (bloom) {
            // A bloom filter over the memtable's whole keys too: every new document's write first looks
            // its id up, and a miss in a skip list of 100,000 entries costs more than the rest of the get.
            options.setMemtablePrefixBloomSizeRatio(0.1).setMemtableWholeKeyFiltering(true);
        }
        cfOptions.add(options);
        return options;
    }

    private ColumnFamilyHandle cf(Space space) {
        return handles[space.ordinal()];
    }

    @Override
    public byte[] get(Space space, byte[] key) {
        enter();
        try {
            return db.get(cf(space), latestReads, key);
        } catch (RocksDBException e) {
            throw ioError(e);
        } finally {
            exit();
        }
    }

    @Override
    public List<byte[]> getAll(Space space, List<byte[]> keys) {
        enter();
        try {
            return multiGet(latestReads, space, keys);
        } finally {
            exit();
        }
    }

    private List<byte[]> multiGet(ReadOptions options, Space space, List<byte[]> keys) {
        if (keys.isEmpty()) {
            return new ArrayList<>();
        }
        try {
            return db.multiGetAsList(options, Collections.nCopies(keys.size(), cf(space)), keys);
        } catch (RocksDBException e) {
            throw ioError(e);
        }
    }

    @Override
    public KvCursor scan(Space space, byte[] from, byte[] to, boolean descending) {
        enter();
        return new RocksCursor(db.newIterator(cf(space), latestReads), from, to, descending);
    }

    @Override
    public KvSnapshot snapshot() {
        enter();
        Snapshot snapshot = db.getSnapshot();
        ReadOptions options = new ReadOptions().setSnapshot(snapshot);
        return new KvSnapshot() {
            @Override
            public byte[] get(Space space, byte[] key) {
                try {
                    return db.get(cf(space), options, key);
                } catch (RocksDBException e) {
                    throw ioError(e);
                }
            }

            @Override
            public List<byte[]> getAll(Space space, List<byte[]> keys) {
                return multiGet(options, space, keys);
            }

            @Override
            public KvCursor scan(Space space, byte[] from, byte[] to, boolean descending) {
                enter();
                return new RocksCursor(db.newIterator(cf(space), options), from, to, descending);
            }

            private boolean released;

            @Override
            public void close() {
                if (!released) {
                    released = true;
                    db.releaseSnapshot(snapshot);
                    options.close();
                    exit();
                }
            }
        };
    }

    @Override
    public KvBatch newBatch() {
        return new RocksBatch();
    }

    @Override
    public void commit(KvBatch batch, boolean sync) {
        if (!(batch instanceof RocksBatch rocksBatch) || rocksBatch.store() != this) {
            throw new IllegalArgumentException("not a batch of this store");
        }
        enter();
        try {
            db.write(sync ? syncWrites : asyncWrites, rocksBatch.batch);
        } catch (RocksDBException e) {
            throw ioError(e);
        } finally {
            exit();
        }
    }

    private final class RocksBatch implements KvBatch {
        final WriteBatch batch = new WriteBatch();

        RocksKvStore store() {
            return RocksKvStore.this;
        }

        @Override
        public void put(Space space, byte[] key, byte[] value) {
            try {
                batch.put(cf(space), key, value);
            } catch (RocksDBException e) {
                throw ioError(e);
            }
        }

        @Override
        public void delete(Space space, byte[] key) {
            try {
                batch.delete(cf(space), key);
            } catch (RocksDBException e) {
                throw ioError(e);
            }
        }

        @Override
        public int size() {
            return batch.count();
        }

        @Override
        public void close() {
            batch.close();
        }
    }

    @Override
    public long sizeOnDisk() {
        long total = 0;
        for (ColumnFamilyHandle handle : handles) {
            total += longProperty(handle, "rocksdb.total-sst-files-size") + longProperty(handle, "rocksdb.cur-size-all-mem-tables");
        }
        return total;
    }

    @Override
    public long liveDataSize() {
        long total = 0;
        for (ColumnFamilyHandle handle : handles) {
            total += longProperty(handle, "rocksdb.estimate-live-data-size") + longProperty(handle, "rocksdb.cur-size-all-mem-tables");
        }
        return total;
    }

    private long longProperty(ColumnFamilyHandle handle, String property) {
        try {
            return db.getLongProperty(handle, property);
        } catch (RocksDBException e) {
            return 0;
        }
    }

    @Override
    public void compactStorage() {
        try {
            for (ColumnFamilyHandle handle : handles) {
                db.compactRange(handle);
            }
        } catch (RocksDBException e) {
            throw ioError(e);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            Thread.yield();
        }
        if (inFlight.get() > 0) {
            // A reader still holds a cursor or snapshot (e.g. an attachment stream never closed):
            // leave the native handles open rather than crash the JVM under it.
            return;
        }
        try {
            db.syncWal();
        } catch (RocksDBException ignored) {
            // Closing anyway: every durable commit was already synced when it returned.
        }
        for (ColumnFamilyHandle handle : allHandles) {
            handle.close();
        }
        db.close();
        syncWrites.close();
        asyncWrites.close();
        latestReads.close();
        closeOptions();
    }

    private void closeOptions() {
        dbOptions.close();
        cfOptions.forEach(ColumnFamilyOptions::close);
    }

    static ArborException ioError(RocksDBException e) {
        String status = e.getStatus() == null ? "" : " (" + e.getStatus().getCodeString() + ")";
        return new ArborException.Internal("storage error" + status + ": " + e.getMessage(), e);
    }

    /** Walks a RocksDB iterator over {@code [from, to)}, checking the bounds in Java (cheaper than native bound slices per scan). */
    private final class RocksCursor implements KvCursor {
        private final RocksIterator it;
        private final byte[] from;
        private final byte[] to;
        private final boolean descending;
        private boolean started;
        private byte[] key;

        RocksCursor(RocksIterator it, byte[] from, byte[] to, boolean descending) {
            this.it = it;
            this.from = from;
            this.to = to;
            this.descending = descending;
        }

        @Override
        public boolean next() {
            if (!started) {
                started = true;
                if (descending) {
                    if (to == null) {
                        it.seekToLast();
                    } else {
                        it.seekForPrev(to);
                        if (it.isValid() && Arrays.equals(it.key(), to)) {
                            it.prev();
                        }
                    }
                } else if (from == null) {
                    it.seekToFirst();
                } else {
                    it.seek(from);
                }
            } else if (descending) {
                it.prev();
            } else {
                it.next();
            }
            if (!it.isValid()) {
                key = null;
                return false;
            }
            key = it.key();
            if (descending ? (from != null && Arrays.compareUnsigned(key, from) < 0)
                    : (to != null && Arrays.compareUnsigned(key, to) >= 0)) {
                key = null;
                return false;
            }
            return true;
        }

        @Override
        public byte[] key() {
            return key;
        }

        @Override
        public byte[] value() {
            return it.value();
        }

        private boolean released;

        @Override
        public void close() {
            if (!released) {
                released = true;
                it.close();
                exit();
            }
        }
    }
}
