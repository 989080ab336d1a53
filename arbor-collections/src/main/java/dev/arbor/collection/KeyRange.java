package dev.arbor.collection;

/**
 * A range of primary keys for {@link CollectionHandle#list}: bounds in the key type's order (the byte order of
 * {@link dev.arbor.api.key.Key#toId}). A null bound is open.
 *
 * @param start         the lowest key listed (inclusive), or null from the first
 * @param end           the highest key, or null to the last
 * @param inclusiveEnd  whether {@code end} itself is listed
 */
public record KeyRange<K>(K start, K end, boolean inclusiveEnd) {

    public static <K> KeyRange<K> all() {
        return new KeyRange<>(null, null, true);
    }

    /** {@code start <= key <= end}. */
    public static <K> KeyRange<K> between(K start, K end) {
        return new KeyRange<>(start, end, true);
    }

    /** {@code start <= key < end}. */
    public static <K> KeyRange<K> from(K start, K endExclusive) {
        return new KeyRange<>(start, endExclusive, false);
    }

    public static <K> KeyRange<K> atLeast(K start) {
        return new KeyRange<>(start, null, true);
    }

    public static <K> KeyRange<K> atMost(K end) {
        return new KeyRange<>(null, end, true);
    }
}
