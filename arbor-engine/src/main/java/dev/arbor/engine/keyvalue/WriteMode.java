package dev.arbor.engine.keyvalue;

/** How operations reach the store: committed one by one ({@link ImmediateMode}) or buffered ({@link LazyMode}). */
sealed interface WriteMode permits ImmediateMode, LazyMode {
    /** Runs {@code operation} on {@code key} atomically and returns its result. */
    <R> R apply(byte[] key, KeyOperation<R> operation);

    /** The key's entry as of the latest operation (expired or not), or null. */
    StoredEntry read(byte[] key);

    /** Commits whatever is buffered and refuses nothing afterwards; the caller stops using the mode. */
    void close();
}
