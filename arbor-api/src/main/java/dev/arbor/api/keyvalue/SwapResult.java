package dev.arbor.api.keyvalue;

import java.util.Optional;

/** The outcome of {@link KeyValueStore#compareAndSwap}: swapped, or not because the key held something else. */
public sealed interface SwapResult {
    record Swapped() implements SwapResult {}

    /** @param current what the key held instead of the expected value (empty: it was vacant) */
    record Mismatch(Optional<Value> current) implements SwapResult {}

    default boolean swapped() {
        return this instanceof Swapped;
    }
}
