package dev.arbor.engine.kv;

/** Writes applied together by {@link KvStore#commit}: all or none. Owned by one thread until committed. */
public interface KvBatch extends AutoCloseable {
    void put(Space space, byte[] key, byte[] value);

    void delete(Space space, byte[] key);

    /** Number of operations staged. */
    int size();

    /** Bytes staged, keys and values (and a store's own framing of them), approximately: what the batch holds in memory. */
    long byteSize();

    @Override
    void close();
}
