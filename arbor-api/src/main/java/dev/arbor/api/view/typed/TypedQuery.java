package dev.arbor.api.view.typed;

import java.util.List;

/**
 * Which rows of a typed view a query reads: all, one key, some keys, or a range; in key order or descending; with
 * skip, limit and an {@link AccessPolicy}. Immutable: every {@code with} method returns a new query.
 *
 * <p>A range is written low to high whatever the direction, as BonsaiDb writes it ({@code descending} only reverses
 * the order of the answer); its end is inclusive unless {@link #exclusiveEnd()} says otherwise. A null bound is
 * open.
 *
 * @param key   the one key to read, or null
 * @param keys  the keys to read, each one's rows in turn, or null
 * @param limitRows the most rows answered, or -1 for all
 */
public record TypedQuery<K>(K key, List<K> keys, K start, K end, boolean inclusiveEnd, boolean descendingOrder,
                            long skipRows, long limitRows, AccessPolicy accessPolicy) {
    public TypedQuery {
        keys = keys == null ? null : List.copyOf(keys);
        if (accessPolicy == null) {
            accessPolicy = AccessPolicy.UPDATE_BEFORE;
        }
        int selections = (key != null ? 1 : 0) + (keys != null ? 1 : 0) + (start != null || end != null ? 1 : 0);
        if (selections > 1) {
            throw new IllegalArgumentException("a query selects one key, some keys or a range, not several");
        }
        if (skipRows < 0 || limitRows < -1) {
            throw new IllegalArgumentException("skip must be >= 0 and limit >= 0 (or -1 for no limit)");
        }
    }

    /** Every row. */
    public static <K> TypedQuery<K> all() {
        return new TypedQuery<>(null, null, null, null, true, false, 0, -1, AccessPolicy.UPDATE_BEFORE);
    }

    /** The rows with one key. */
    public static <K> TypedQuery<K> key(K key) {
        return new TypedQuery<>(java.util.Objects.requireNonNull(key, "key"), null, null, null, true, false, 0, -1, null);
    }

    /** The rows of each key, key by key in the order given. */
    public static <K> TypedQuery<K> keys(List<K> keys) {
        return new TypedQuery<>(null, keys, null, null, true, false, 0, -1, null);
    }

    /** The rows from {@code start} to {@code end} inclusive; a null bound is open. */
    public static <K> TypedQuery<K> range(K start, K end) {
        return new TypedQuery<>(null, null, start, end, true, false, 0, -1, null);
    }

    /** The same range with its end left out. */
    public TypedQuery<K> exclusiveEnd() {
        return new TypedQuery<>(key, keys, start, end, false, descendingOrder, skipRows, limitRows, accessPolicy);
    }

    /** The same rows from the highest key down. */
    public TypedQuery<K> descending() {
        return new TypedQuery<>(key, keys, start, end, inclusiveEnd, true, skipRows, limitRows, accessPolicy);
    }

    public TypedQuery<K> skip(long rows) {
        return new TypedQuery<>(key, keys, start, end, inclusiveEnd, descendingOrder, rows, limitRows, accessPolicy);
    }

    public TypedQuery<K> limit(long rows) {
        return new TypedQuery<>(key, keys, start, end, inclusiveEnd, descendingOrder, skipRows, rows, accessPolicy);
    }

    public TypedQuery<K> access(AccessPolicy policy) {
        return new TypedQuery<>(key, keys, start, end, inclusiveEnd, descendingOrder, skipRows, limitRows, policy);
    }
}
