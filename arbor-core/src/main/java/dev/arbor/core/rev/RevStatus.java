package dev.arbor.core.rev;

/**
 * What the tree knows of one revision: {@code deleted} (a tombstone) and {@code available} (its body
 * is stored; false for ancestors known only by id, e.g. from {@code _revisions}, or after compaction).
 */
public record RevStatus(boolean deleted, boolean available) {
    /** Known by id only: CouchDB's {@code ?REV_MISSING}. */
    public static final RevStatus MISSING = new RevStatus(false, false);
    /** A live revision whose body is stored. */
    public static final RevStatus AVAILABLE = new RevStatus(false, true);
    /** A tombstone whose (usually tiny) body is stored. */
    public static final RevStatus DELETED = new RevStatus(true, true);
    /** A tombstone whose body compaction dropped. */
    static final RevStatus DELETED_UNAVAILABLE = new RevStatus(true, false);

    /** The shared instance for these flags, so hot paths need not allocate. */
    public static RevStatus of(boolean deleted, boolean available) {
        if (deleted) {
            return available ? DELETED : DELETED_UNAVAILABLE;
        }
        return available ? AVAILABLE : MISSING;
    }
}
