package dev.arbor.engine.view;

import dev.arbor.engine.kv.KvBatch;
import dev.arbor.engine.kv.KvCursor;
import dev.arbor.engine.kv.KvStore;
import dev.arbor.engine.kv.Space;

import java.util.Arrays;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Where an index update reads the index as it stands and stages its writes: a store batch of its own (queries
 * bring the index up to date, {@link ViewUpdater}) or the writer's group commit (views updated in the same commit as the documents).
 */
interface IndexTarget {
    /** The value as it stands: committed, or staged earlier by someone else in the same commit. */
    byte[] get(Space space, byte[] key);

    void put(Space space, byte[] key, byte[] value);

    void delete(Space space, byte[] key);

    /**
     * Entries in {@code [from, to)} as they stand, in key order. Writes staged through {@link #put} on a
     * {@link #separate} target are not included: its batch overlays them itself.
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
}
