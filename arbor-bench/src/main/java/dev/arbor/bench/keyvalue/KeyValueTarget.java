package dev.arbor.bench.keyvalue;

import java.util.OptionalLong;

/**
 * What K1 asks of a key-value store, once per operation, so Arbor's store and its anchors are driven by the same
 * loop ({@link KeyValuePass}). Every method is called from 16 threads at once in the concurrent phases.
 */
public interface KeyValueTarget extends AutoCloseable {

    /** Stores {@code value} under {@code key}, replacing what was there. */
    void set(String key, long value);

    /** The value of {@code key}, if any. */
    OptionalLong get(String key);

    /** Adds 1 to the number at {@code key} (a vacant key counts as 0) atomically; returns the new value. */
    long increment(String key);

    @Override
    void close();
}
