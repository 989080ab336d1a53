package dev.arbor.core.collate;

import com.ibm.icu.text.RawCollationKey;

import java.util.Arrays;

/**
 * The ICU sort keys of strings an encoding thread saw recently. Index passes encode the same few strings over and
 * over (W8: 50 city names in 100,000 keys, and again in every group prefix), and an ICU sort key costs far more
 * than a hash lookup: profiles of view builds put it at a tenth of their CPU.
 *
 * <p>Direct-mapped by the string's hash, so a lookup is one slot and a miss replaces that slot: bounded memory, no
 * bookkeeping, and strings that never repeat (document ids) only cost the hash. Long strings are not cached, which
 * bounds each slot. One cache per thread ({@link #forThread}), so nothing is shared or locked.
 */
final class SortKeyCache {
    private static final int SLOTS = 256;
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
        int slot = spread(s.hashCode()) & (SLOTS - 1);
        if (s.equals(strings[slot])) {
            return sortKeys[slot];
        }
        byte[] sortKey = computed(s);
        strings[slot] = s;
        sortKeys[slot] = sortKey;
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
