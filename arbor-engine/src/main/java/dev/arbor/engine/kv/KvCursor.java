package dev.arbor.engine.kv;

/** A forward-only walk over a range of keys: {@code while (c.next()) use(c.key(), c.value());}. Single-threaded. */
public interface KvCursor extends AutoCloseable {
    boolean next();

    byte[] key();

    byte[] value();

    @Override
    void close();
}
