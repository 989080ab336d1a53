package dev.arbor.engine.kv;

/** A point-in-time view of a store; writes committed after it was taken are invisible through it. Close it. */
public interface KvSnapshot extends KvReader, AutoCloseable {
    @Override
    void close();
}
