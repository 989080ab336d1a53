package dev.arbor.engine.keyvalue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Keys of the {@code KV} space. Entries: {@code 0x00, namespace length (4 bytes), namespace, key}, all
 * UTF-8, so namespaces never run into each other. The expiration index: {@code 0x01, expiry (8 bytes
 * big-endian), entry key}, so the expired entries are one range at the start of the index.
 */
final class KeyLayout {
    private static final byte ENTRY = 0;
    private static final byte EXPIRY = 1;
    private static final int EXPIRY_HEADER = 9;

    private KeyLayout() {}

    static byte[] entry(String namespace, String key) {
        byte[] ns = namespace.getBytes(StandardCharsets.UTF_8);
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(5 + ns.length + k.length).put(ENTRY).putInt(ns.length).put(ns).put(k).array();
    }

    static byte[] expiry(long expiresAt, byte[] entryKey) {
        return ByteBuffer.allocate(EXPIRY_HEADER + entryKey.length).put(EXPIRY).putLong(expiresAt).put(entryKey).array();
    }

    /** The first index key. */
    static byte[] expiryStart() {
        return new byte[] {EXPIRY};
    }

    /** The index keys of entries expiring at or before {@code now} are those below this one. */
    static byte[] expiryEndAfter(long now) {
        return ByteBuffer.allocate(EXPIRY_HEADER).put(EXPIRY).putLong(now + 1).array();
    }

    static long expiresAtOf(byte[] indexKey) {
        return ByteBuffer.wrap(indexKey, 1, 8).getLong();
    }

    static byte[] entryKeyOf(byte[] indexKey) {
        return Arrays.copyOfRange(indexKey, EXPIRY_HEADER, indexKey.length);
    }
}
