package dev.arbor.api.keyvalue;

import java.time.Duration;
import java.time.Instant;

/**
 * When a key written by {@link KeyValueStore#set set} expires. An expired key reads as absent at once
 * (it is never returned), and its storage is reclaimed in the background later.
 */
public sealed interface Expiration {
    /** The key never expires (the default; it also clears an expiration the key had). */
    Never NEVER = new Never();
    /** The key keeps the expiration it had (none when it was vacant): BonsaiDb's {@code keep_existing_expiration}. */
    KeepExisting KEEP_EXISTING = new KeepExisting();

    static Expiration in(Duration ttl) {
        return new After(ttl);
    }

    static Expiration at(Instant instant) {
        return new At(instant);
    }

    record Never() implements Expiration {}

    record KeepExisting() implements Expiration {}

    /** A time to live, counted from the moment the write is applied. */
    record After(Duration ttl) implements Expiration {
        public After {
            if (ttl.isNegative()) {
                throw new IllegalArgumentException("a time to live cannot be negative: " + ttl);
            }
        }
    }

    /** An absolute time; one already past makes the write a no-op that reads as absent. */
    record At(Instant instant) implements Expiration {}
}
