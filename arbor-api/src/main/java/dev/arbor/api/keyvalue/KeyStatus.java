package dev.arbor.api.keyvalue;

/** What a write did to its key, as BonsaiDb's {@code KeyStatus}. */
public enum KeyStatus {
    /** The key was vacant (or expired) and now has a value. */
    INSERTED,
    /** The key had a value and now has another (or the same one again). */
    UPDATED,
    /** The key had a value and now has none. */
    DELETED,
    /** Nothing was written: a condition was not met, or there was nothing to delete. */
    NOT_CHANGED
}
