package dev.arbor.engine.store;

import dev.arbor.engine.kv.Space;

import java.util.NavigableMap;

/**
 * The writes of a group commit in progress, as an index updated inside that commit ({@link CommitIndexer}) sees
 * them: reads see what is committed plus what the group staged so far. Used only by the writer's thread.
 */
public interface StagedWrites {
    byte[] get(Space space, byte[] key);

    void put(Space space, byte[] key, byte[] value);

    void delete(Space space, byte[] key);

    /** The entries in {@code [from, to)} (committed, overlaid with the group's staged writes), in key order. */
    NavigableMap<byte[], byte[]> scan(Space space, byte[] from, byte[] to);
}
