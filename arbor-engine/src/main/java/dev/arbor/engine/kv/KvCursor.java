package dev.arbor.engine.kv;

/** A forward-only walk over a range of keys: {@code while (c.next()) use(c.key(), c.value());}. Single-threaded. */
public interface KvCursor extends AutoCloseable {
    boolean next();

    byte[] key();

    byte[] value();

    /**
     * The {@link Space#summaryOf summary} of the current value of {@code space}, the space this cursor walks: a store
     * that keeps the summary apart (an encrypted one) answers it without reading the value.
     */
    default int summary(Space space) {
        return space.summaryOf(value());
    }

    @Override
    void close();
}
