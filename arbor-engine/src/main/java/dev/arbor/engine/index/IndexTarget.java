package dev.arbor.engine.index;

import dev.arbor.engine.kv.KvBatch;
import dev.arbor.engine.kv.KvCursor;
import dev.arbor.engine.kv.KvStore;
import dev.arbor.engine.kv.Space;
import dev.arbor.engine.store.StagedWrites;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Where an index pass reads the index as it stands and stages its writes: a batch of the index's own (the updater's
 * batches) or the writer's group commit (indexes kept in the same commit as the documents).
 */
public interface IndexTarget {
    /** The value as it stands: committed, or staged earlier by someone else in the same commit. */
    byte[] get(Space space, byte[] key);

    /** {@link #get} of many keys, in one batched read where the store has one; in the order of {@code keys}. */
    List<byte[]> getAll(Space space, List<byte[]> keys);

    void put(Space space, byte[] key, byte[] value);

    void delete(Space space, byte[] key);

    /**
     * Entries in {@code [from, to)} as they stand, in key order. Writes staged through {@link #put} on a
     * {@link #separate} target are not included: the pass overlays them itself.
     */
    NavigableMap<byte[], byte[]> scan(Space space, byte[] from, byte[] to);

    /** A target that reads the committed store and stages into a batch of its own. */
    static IndexTarget separate(KvStore store, KvBatch batch) {
        return new IndexTarget() {
            @Override
            public byte[] get(Space space, byte[] key) {
                return store.get(space, key);
            }

            @Override
            public List<byte[]> getAll(Space space, List<byte[]> keys) {
                return store.getAll(space, keys);
            }

            @Override
            public void put(Space space, byte[] key, byte[] value) {
                batch.put(space, key, value);
            }

            @Override
            public void delete(Space space, byte[] key) {
                batch.delete(space, key);
            }

            @Override
            public NavigableMap<byte[], byte[]> scan(Space space, byte[] from, byte[] to) {
                NavigableMap<byte[], byte[]> out = new TreeMap<>(Arrays::compareUnsigned);
                try (KvCursor cursor = store.scan(space, from, to, false)) {
                    while (cursor.next()) {
                        out.put(cursor.key(), cursor.value());
                    }
                }
                return out;
            }
        };
    }

    /** A target inside the writer's group commit: reads see what is committed plus what the group staged so far. */
    static IndexTarget staged(StagedWrites writes) {
        return new IndexTarget() {
            @Override
            public byte[] get(Space space, byte[] key) {
                return writes.get(space, key);
            }

            @Override
            public List<byte[]> getAll(Space space, List<byte[]> keys) {
                List<byte[]> values = new ArrayList<>(keys.size());
                keys.forEach(key -> values.add(writes.get(space, key)));
                return values;
            }

            @Override
            public void put(Space space, byte[] key, byte[] value) {
                writes.put(space, key, value);
            }

            @Override
            public void delete(Space space, byte[] key) {
                writes.delete(space, key);
            }

            @Override
            public NavigableMap<byte[], byte[]> scan(Space space, byte[] from, byte[] to) {
                return writes.scan(space, from, to);
            }
        };
    }
}
