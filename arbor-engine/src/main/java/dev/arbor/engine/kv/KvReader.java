package dev.arbor.engine.kv;

import java.util.ArrayList;
import java.util.List;

/** Reads of one consistent state of a store (a snapshot), or of its latest committed state. */
public interface KvReader {
    /** The value at {@code key}, or null. */
    byte[] get(Space space, byte[] key);

    /**
     * The values at {@code keys}, in their order, null where missing: what one {@link #get} per key gives, in
     * one call a store may serve faster (RocksDB's MultiGet: one native call, lookups batched per block).
     */
    default List<byte[]> getAll(Space space, List<byte[]> keys) {
        List<byte[]> values = new ArrayList<>(keys.size());
        for (byte[] key : keys) {
            values.add(get(space, key));
        }
        return values;
    }

    /**
     * Keys in {@code [from, to)} (either bound null for open), ascending or descending.
     * The cursor must be closed.
     */
    KvCursor scan(Space space, byte[] from, byte[] to, boolean descending);
}
