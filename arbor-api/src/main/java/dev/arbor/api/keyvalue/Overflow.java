package dev.arbor.api.keyvalue;

/**
 * What an integer {@link KeyValueStore#increment increment} or decrement does when the result does not
 * fit in a long. Float arithmetic never overflows this way (it reaches infinity, as IEEE 754 says).
 */
public enum Overflow {
    /** Stop at {@link Long#MAX_VALUE} or {@link Long#MIN_VALUE}: BonsaiDb's default. */
    SATURATE,
    /** Wrap around in two's complement: BonsaiDb's {@code allow_overflow()}. */
    WRAP,
    /** Refuse: the operation fails with {@code bad_request} and the stored value is unchanged. */
    CHECKED
}
