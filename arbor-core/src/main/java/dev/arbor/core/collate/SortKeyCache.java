package dev.arbor.core.collate;

import com.ibm.icu.text.RawCollationKey;

import java.util.Arrays;

/**
 * The ICU sort keys of strings an encoding thread saw recently. Index passes encode the same few strings over and
 * over (W8: 50 city names in 100,000 keys, and again in every group prefix), and an ICU sort key costs far more
 * than a hash lookup: profiles of view builds put it at a tenth of their CPU.
 *
 * <p>Two-way set associative by the string's hash: a lookup looks at two slots, and a miss moves the set's newer
 * entry to the older slot and takes the newer one, so two strings sharing a set (W8's 50 cities fill a fifth of the
 * sets) do not evict each other. Bounded memory, no other bookkeeping, and strings that never repeat (document ids)
 * only cost the hash. Long strings are not cached, which bounds each slot. One cache per thread
 * ({@link #forThread}), so nothing is shared or locked.
 */
final class SortKeyCache {
    private static final int SLOTS = 512;
    /** Strings longer than this are encoded every time: they repeat rarely and would make slots large. */
    private static final int MAX_CACHED_LENGTH = 64;
    private static final ThreadLocal<SortKeyCache> PER_THREAD = ThreadLocal.withInitial(SortKeyCache::new);

    private final String[] strings = new String[SLOTS];
    private final byte[][] sortKeys = new byte[SLOTS][];

    private SortKeyCache() {}

    static SortKeyCache forThread() {
        return PER_THREAD.get();
    }

    /** The sort key of {@code s} including ICU's terminating 0x00 ({@link RootCollator#sortKey}). */
    byte[] sortKey(String s) {
        if (s.length() > MAX_CACHED_LENGTH) {
            return computed(s);
        }
        int newer = spread(s.hashCode()) & (SLOTS - 2);
        int older = newer + 1;
        if (s.equals(strings[newer])) {
            return sortKeys[newer];
        }
        if (s.equals(strings[older])) {
            return sortKeys[older];
        }
        byte[] sortKey = computed(s);
        strings[older] = strings[newer];
        sortKeys[older] = sortKeys[newer];
        strings[newer] = s;
        sortKeys[newer] = sortKey;
        return sortKey;
    }

    private static int spread(int hash) {
        return hash ^ (hash >>> 16);
    }

    private static byte[] computed(String s) {
        RawCollationKey key = RootCollator.sortKey(s);
        return Arrays.copyOf(key.bytes, key.size); // size counts the terminating 0x00
    }
}
