package dev.arbor.api.keyvalue;

import java.util.Optional;

/**
 * The atomic key-value store of a database, as BonsaiDb's {@code KeyValue}: for counters, locks,
 * caches and other small fast-changing state that does not need documents' revision trees. It is
 * neither replicated nor in the changes feed.
 *
 * <p>Keys are strings within a namespace ({@link #namespace(String)}; the default namespace is the
 * empty one). Values are {@link Value}s: bytes, text, numbers or Jackson-serialised objects. Every
 * operation is atomic: concurrent operations on one key behave as if run one after the other, and an
 * expired key behaves exactly as a vacant one. Durability follows the storage's
 * {@link KeyValuePersistence}.
 *
 * <pre>{@code
 * KeyValueStore kv = db.keyValue();
 * kv.set("mykey", 1);
 * SetResult r = kv.set("mykey", 2, SetOptions.DEFAULT.onlyIfExists().returnPrevious());   // previous: 1
 * long visits = kv.increment("visits", 1);
 * }</pre>
 *
 * <p>Thread-safety: every method may be called from any thread.
 */
public interface KeyValueStore {

    /** The same store seen through another namespace: keys of different namespaces never meet. */
    KeyValueStore namespace(String namespace);

    /** This view's namespace ({@code ""} for the default one). */
    String namespace();

    /** Writes {@code value} under {@code key} as {@code options} say. */
    SetResult set(String key, Value value, SetOptions options);

    /** Writes {@code value} ({@link Value#of converted}) under {@code key} as {@code options} say. */
    default SetResult set(String key, Object value, SetOptions options) {
        return set(key, Value.of(value), options);
    }

    /** Writes {@code value} ({@link Value#of converted}) under {@code key}, never expiring; returns inserted or updated. */
    default KeyStatus set(String key, Object value) {
        return set(key, Value.of(value), SetOptions.DEFAULT).status();
    }

    /** The value of {@code key}; empty when vacant or expired. */
    Optional<Value> get(String key);

    /** The value of {@code key} {@link Value#as as} {@code type}; empty when vacant or expired. */
    default <T> Optional<T> get(String key, Class<T> type) {
        return get(key).map(v -> v.as(type));
    }

    /** Removes {@code key} and returns the value it had, atomically (BonsaiDb's {@code get_key().and_delete()}). */
    Optional<Value> take(String key);

    /** Removes {@code key}: {@link KeyStatus#DELETED}, or {@link KeyStatus#NOT_CHANGED} when it was vacant. */
    KeyStatus delete(String key);

    /**
     * Adds {@code amount} to the integer at {@code key} and returns the new value. A vacant key counts as
     * 0; a float is first cast to a long; any other kind of value is a {@code bad_request}. The key keeps
     * its expiration.
     */
    long increment(String key, long amount, Overflow overflow);

    default long increment(String key, long amount) {
        return increment(key, amount, Overflow.SATURATE);
    }

    /** Subtracts {@code amount}, as {@link #increment(String, long, Overflow)} adds. */
    long decrement(String key, long amount, Overflow overflow);

    default long decrement(String key, long amount) {
        return decrement(key, amount, Overflow.SATURATE);
    }

    /** Adds {@code amount} to the number at {@code key} as a float (an integer is widened first); a vacant key counts as 0.0. */
    double increment(String key, double amount);

    /** Subtracts {@code amount} as a float. */
    double decrement(String key, double amount);

    /**
     * Replaces the value of {@code key} with {@code replacement} only if it currently {@link Value#equals
     * equals} {@code expected} (or, with {@code expected} empty, only if the key is vacant). A swapped
     * key keeps its expiration. Of several racing swaps from one value, exactly one succeeds.
     */
    SwapResult compareAndSwap(String key, Optional<Value> expected, Value replacement);
}
