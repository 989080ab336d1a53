package dev.arbor.engine.index;

import dev.arbor.engine.kv.Space;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A kind of index (Mango's, views', a full-text one): where its indexes keep their data. Every key an index of the
 * kind writes to {@link #spaces} starts with the index's signature; its checkpoint is kept in the document store's
 * meta space under {@code name + "/" + signature}, so it commits in the same batch as the rows it covers.
 *
 * @param name   short, stable, and part of stored keys: never renamed
 * @param spaces the spaces the kind registered for its data
 */
public record IndexKind(String name, List<Space> spaces) {
    public IndexKind {
        Objects.requireNonNull(name);
        if (name.isEmpty() || name.contains("/")) {
            throw new IllegalArgumentException("an index kind's name is one non-empty segment: " + name);
        }
        spaces = List.copyOf(spaces);
    }

    /** The meta-space key of the checkpoint of this kind's index {@code signature}. */
    public byte[] checkpointKey(byte[] signature) {
        byte[] prefix = checkpointPrefix();
        byte[] key = Arrays.copyOf(prefix, prefix.length + signature.length);
        System.arraycopy(signature, 0, key, prefix.length, signature.length);
        return key;
    }

    /** The prefix every checkpoint key of this kind starts with. */
    public byte[] checkpointPrefix() {
        return (name + "/").getBytes(StandardCharsets.UTF_8);
    }
}
