package dev.arbor.engine.keyvalue;

/**
 * The key-value space as one group commit of the database writer sees it: the committed store plus
 * what the same group staged before. Given to work run by a {@link KeyValueCommitter}; valid only
 * inside that work, on the writer's thread.
 */
public interface KeyValueWrites {
    /** The stored bytes at {@code key}, or null. */
    byte[] get(byte[] key);

    void put(byte[] key, byte[] value);

    void delete(byte[] key);
}
