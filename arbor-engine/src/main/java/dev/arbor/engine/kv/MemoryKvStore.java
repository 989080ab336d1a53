package dev.arbor.engine.kv;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link KvStore} in memory with the same atomicity and snapshot semantics as RocksDB, for tests and
 * throw-away databases.
 *
 * <p>Each key holds a chain of versions, newest first. A commit stamps its writes with the next version
 * number and publishes that number last, so readers never see half a commit; a snapshot reads as of
 * the version that was published when it was taken. Versions no open snapshot can see are pruned when
 * their key is next written.
 */
public final class MemoryKvStore implements KvStore {

    private record Version(long version, byte[] value, Version older) {}

    /** A map per space, created at construction: commits and readers only look their space's map up. */
    private final SpaceTable<ConcurrentSkipListMap<byte[], Version>> spaces;
    /** Guards commits and the registry of open snapshots. */
    private final Object lock = new Object();
    /** Open snapshot versions → how many snapshots read at that version. Guarded by {@link #lock}. */
    private final TreeMap<Long, Integer> openSnapshots = new TreeMap<>();
    private volatile long published;
    private final AtomicLong bytes = new AtomicLong();

    /** An empty store holding {@code spaces}: those of the features its database wires. */
    public MemoryKvStore(List<Space> spaces) {
        this.spaces = new SpaceTable<>(spaces, i -> new ConcurrentSkipListMap<>(Arrays::compareUnsigned));
    }

    private ConcurrentSkipListMap<byte[], Version> map(Space space) {
        return spaces.get(space);
    }

    private static byte[] valueAt(Version newest, long version) {
        for (Version v = newest; v != null; v = v.older) {
            if (v.version <= version) {
                return v.value;
            }
        }
        return null;
    }

    private byte[] getAt(Space space, byte[] key, long version) {
        byte[] value = valueAt(map(space).get(key), version);
        return value == null ? null : value.clone();
    }

    private KvCursor scanAt(Space space, byte[] from, byte[] to, boolean descending, long version) {
        NavigableMap<byte[], Version> range = map(space);
        if (from != null && to != null) {
            if (Arrays.compareUnsigned(from, to) >= 0) {
                range = new TreeMap<>(Arrays::compareUnsigned);
            } else {
                range = range.subMap(from, true, to, false);
            }
        } else if (from != null) {
            range = range.tailMap(from, true);
        } else if (to != null) {
            range = range.headMap(to, false);
        }
        Iterator<Map.Entry<byte[], Version>> entries = (descending ? range.descendingMap() : range).entrySet().iterator();
        return new KvCursor() {
            private byte[] key;
            private byte[] value;

            @Override
            public boolean next() {
                while (entries.hasNext()) {
                    Map.Entry<byte[], Version> entry = entries.next();
                    byte[] v = valueAt(entry.getValue(), version);
                    if (v != null) {
                        key = entry.getKey();
                        value = v;
                        return true;
                    }
                }
                key = null;
                value = null;
                return false;
            }

            @Override
            public byte[] key() {
                return key.clone();
            }

            @Override
            public byte[] value() {
                return value.clone();
            }

            @Override
            public void close() {}
        };
    }

    @Override
    public byte[] get(Space space, byte[] key) {
        return getAt(space, key, published);
    }

    @Override
    public KvCursor scan(Space space, byte[] from, byte[] to, boolean descending) {
        return scanAt(space, from, to, descending, published);
    }

    @Override
    public KvSnapshot snapshot() {
        long version;
        synchronized (lock) {
            version = published;
            openSnapshots.merge(version, 1, Integer::sum);
        }
        return new KvSnapshot() {
            private boolean closed;

            @Override
            public byte[] get(Space space, byte[] key) {
                return getAt(space, key, version);
            }

            @Override
            public KvCursor scan(Space space, byte[] from, byte[] to, boolean descending) {
                return scanAt(space, from, to, descending, version);
            }

            @Override
            public void close() {
                synchronized (lock) {
                    if (!closed) {
                        closed = true;
                        openSnapshots.computeIfPresent(version, (v, n) -> n == 1 ? null : n - 1);
                    }
                }
            }
        };
    }

    /** One staged write, its space resolved when staged: a space this store lacks fails the put, never the commit. */
    private record Op(ConcurrentSkipListMap<byte[], Version> map, byte[] key, byte[] value) {}

    @Override
    public KvBatch newBatch() {
        return new MemoryBatch();
    }

    private final class MemoryBatch implements KvBatch {
        final List<Op> ops = new ArrayList<>();
        long bytes;

        @Override
        public void put(Space space, byte[] key, byte[] value) {
            ops.add(new Op(map(space), key.clone(), value.clone()));
            bytes += key.length + value.length;
        }

        @Override
        public void delete(Space space, byte[] key) {
            ops.add(new Op(map(space), key.clone(), null));
            bytes += key.length;
        }

        @Override
        public int size() {
            return ops.size();
        }

        @Override
        public long byteSize() {
            return bytes;
        }

        @Override
        public void close() {}

        MemoryKvStore store() {
            return MemoryKvStore.this;
        }
    }

    @Override
    public void commit(KvBatch batch, boolean sync) {
        if (!(batch instanceof MemoryBatch memoryBatch) || memoryBatch.store() != this) {
            throw new IllegalArgumentException("not a batch of this store");
        }
        synchronized (lock) {
            long version = published + 1;
            long oldestVisible = openSnapshots.isEmpty() ? published : Math.min(openSnapshots.firstKey(), published);
            for (Op op : memoryBatch.ops) {
                bytes.addAndGet(op.key.length + (op.value == null ? 0 : op.value.length));
                op.map.compute(op.key, (k, newest) -> pruned(new Version(version, op.value, newest), oldestVisible));
            }
            published = version;
        }
    }

    /**
     * Drops versions older than the newest one at or below {@code oldestVisible}: no reader can reach
     * them. Chains are immutable (readers walk them without locks), so the kept part is copied.
     */
    private static Version pruned(Version head, long oldestVisible) {
        List<Version> kept = new ArrayList<>(2);
        for (Version v = head; v != null; v = v.older) {
            kept.add(v);
            if (v.version <= oldestVisible) {
                break;
            }
        }
        if (kept.size() == 1 || kept.get(kept.size() - 1).older == null) {
            return head;
        }
        Version chain = null;
        for (int i = kept.size() - 1; i >= 0; i--) {
            chain = new Version(kept.get(i).version, kept.get(i).value, chain);
        }
        return chain;
    }

    @Override
    public long sizeOnDisk() {
        return bytes.get();
    }

    @Override
    public long liveDataSize() {
        long total = 0;
        for (var space : spaces.values()) {
            for (var entry : space.entrySet()) {
                byte[] value = valueAt(entry.getValue(), published);
                if (value != null) {
                    total += entry.getKey().length + value.length;
                }
            }
        }
        return total;
    }

    @Override
    public void compactStorage() {
        bytes.set(liveDataSize());
    }

    @Override
    public void close() {
        // The data belongs to the in-memory storage, which may open this database again; it is
        // dropped when the storage deletes the database or is itself discarded.
    }
}
