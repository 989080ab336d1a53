package dev.arbor.options;

import dev.arbor.api.keyvalue.KeyValuePersistence;

import java.time.Duration;
import java.time.InstantSource;

/**
 * How the embedded key-value stores of a storage behave.
 *
 * @param persistence     when changes are committed (see {@link KeyValuePersistence} for the loss window)
 * @param clock           the time expirations are measured against; tests inject one they control
 * @param reclaimInterval how often expired keys' storage is reclaimed in the background (an expired key
 *                        is never returned, reclaimed or not)
 */
public record KeyValueOptions(KeyValuePersistence persistence, InstantSource clock, Duration reclaimInterval) {
    public static final KeyValueOptions DEFAULT =
            new KeyValueOptions(KeyValuePersistence.IMMEDIATE, InstantSource.system(), Duration.ofSeconds(1));

    public KeyValueOptions {
        if (reclaimInterval.isNegative() || reclaimInterval.isZero()) {
            throw new IllegalArgumentException("reclaimInterval must be positive: " + reclaimInterval);
        }
    }

    public KeyValueOptions persistence(KeyValuePersistence value) {
        return new KeyValueOptions(value, clock, reclaimInterval);
    }

    public KeyValueOptions clock(InstantSource value) {
        return new KeyValueOptions(persistence, value, reclaimInterval);
    }

    public KeyValueOptions reclaimInterval(Duration value) {
        return new KeyValueOptions(persistence, clock, value);
    }
}
