package dev.arbor.engine.view;

import java.util.Arrays;

/**
 * A byte array as a hash map key, hashed once. {@code ByteBuffer.wrap} keys rehash byte by byte through the
 * buffer's accessors on every lookup, which a view build profile showed at several percent of its CPU. The array
 * must not change while it is a key.
 */
final class ByteKey {
    private final byte[] bytes;
    private final int hash;

    ByteKey(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    byte[] bytes() {
        return bytes;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ByteKey key && hash == key.hash && Arrays.equals(bytes, key.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }
}
