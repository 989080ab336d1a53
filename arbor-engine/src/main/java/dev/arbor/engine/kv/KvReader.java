package dev.arbor.engine.kv;

/** Reads of one consistent state of a store (a snapshot), or of its latest committed state. */
public interface KvReader {
    /** The value at {@code key}, or null. */
    byte[] get(Space space, byte[] key);

    /**
     * Keys in {@code [from, to)} (either bound null for open), ascending or descending.
     * The cursor must be closed.
     */
    KvCursor scan(Space space, byte[] from, byte[] to, boolean descending);
}
