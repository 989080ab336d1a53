package dev.arbor.engine.keyvalue;

import dev.arbor.engine.kv.Space;

import java.util.List;

/** The key-value store's space. */
public final class KeyValueSpaces {
    /** (namespace, key) → entry, and the expiration index (see {@link KeyLayout}). */
    public static final Space KV = Space.register("kv", true);

    public static final List<Space> ALL = List.of(KV);

    private KeyValueSpaces() {
    }
}
