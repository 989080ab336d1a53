package dev.arbor.engine.keyvalue;

/** Writes entries and keeps the expiration index in step with them: the one place both change. */
final class EntryTable {
    private EntryTable() {}

    /**
     * Replaces the entry at {@code key}, whose stored form is {@code old} (null if none, expired or not),
     * with {@code next} (null deletes it).
     */
    static void write(KeyValueWrites writes, byte[] key, StoredEntry old, StoredEntry next) {
        if (old != null && old.expires() && (next == null || next.expiresAt() != old.expiresAt())) {
            writes.delete(KeyLayout.expiry(old.expiresAt(), key));
        }
        if (next == null) {
            if (old != null) {
                writes.delete(key);
            }
            return;
        }
        if (next.expires()) {
            writes.put(KeyLayout.expiry(next.expiresAt(), key), new byte[0]);
        }
        writes.put(key, next.encode());
    }

    static StoredEntry read(KeyValueWrites writes, byte[] key) {
        return StoredEntry.decode(writes.get(key));
    }
}
