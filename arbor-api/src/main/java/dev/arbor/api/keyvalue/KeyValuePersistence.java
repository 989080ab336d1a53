package dev.arbor.api.keyvalue;

import java.time.Duration;

/**
 * When key-value changes reach disk, as BonsaiDb's {@code KeyValuePersistence}.
 *
 * <p>{@link Immediate} (the default): every operation is committed through the database's writer
 * before it returns, in the same group commits and with the same durability as document writes, and
 * ordered with them. Nothing acknowledged is ever lost.
 *
 * <p>{@link Lazy}: operations apply in memory and are visible to every reader at once; they are
 * committed together when {@code maxChanges} of them have accumulated, or when the oldest uncommitted
 * one is {@code maxDelay} old, and when the database closes. <b>Loss window:</b> a crash (a killed
 * process, a power loss) loses the changes not yet committed: at most {@code maxChanges - 1}
 * acknowledged operations, and none older than {@code maxDelay} plus the time one commit takes. Lazy
 * changes are atomic and ordered among themselves, not with document writes.
 */
public sealed interface KeyValuePersistence {
    Immediate IMMEDIATE = new Immediate();

    static Lazy lazy(int maxChanges, Duration maxDelay) {
        return new Lazy(maxChanges, maxDelay);
    }

    record Immediate() implements KeyValuePersistence {}

    record Lazy(int maxChanges, Duration maxDelay) implements KeyValuePersistence {
        public Lazy {
            if (maxChanges < 1) {
                throw new IllegalArgumentException("maxChanges must be at least 1: " + maxChanges);
            }
            if (maxDelay.isNegative() || maxDelay.isZero()) {
                throw new IllegalArgumentException("maxDelay must be positive: " + maxDelay);
            }
        }
    }
}
