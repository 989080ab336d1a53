package dev.arbor.engine.view;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.core.collate.KeyEncoding;
import dev.arbor.engine.kv.KvCursor;
import dev.arbor.engine.index.IndexTarget;
import dev.arbor.engine.kv.KvReader;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;

/**
 * Cached reductions per {@code group_level} prefix, beside the per-key ones ({@link KeyReduction}), so a grouped
 * query combines one reduction per group instead of one per distinct key (W8: 50 cities instead of 5,000
 * {@code [city, age]} keys).
 *
 * <p>For an array key {@code k} and a level {@code L < k.length} (up to {@link #MAX_LEVEL}), the group
 * {@code (L, k[0..L))} caches the reduction of every key that <em>extends</em> the prefix: arrays longer than
 * {@code L} whose first {@code L} elements collate equal to it. The array equal to the prefix itself (which
 * {@code group_level=L} puts in the same group) keeps only its per-key reduction, so a key maintains exactly the
 * groups of the levels below its length. Because {@link KeyEncoding} writes an array as its tag, its elements and
 * a closing 0x00, the extensions of a prefix are exactly the per-key reductions in the byte range
 * {@code [tag+elements+0x01, end(tag+elements))}, and a group entry is found and refreshed by range.
 *
 * <p>Entries live in {@link ViewSpaces#REDUCE} under {@code signature + (0x8000 | ordinal) + level + prefix} (with
 * the partition before the prefix in a partitioned index): the
 * high bit keeps them out of every per-key scan of a view, and they go with the index when it is cleared.
 * Maintenance mirrors the per-key reductions: a group whose keys only gained rows in a batch gets
 * {@code rereduce([cached, added...])}; any other change re-reduces the group from its keys' cached reductions (work
 * proportional to the distinct keys of that one group, not to its rows).
 */
final class GroupReductions {
    /** Levels cached: deeper {@code group_level}s combine per-key reductions, as before. */
    static final int MAX_LEVEL = 4;
    private static final int GROUP_ORDINAL_BIT = 0x8000;
    private static final byte ARRAY_END = 0x00;

    private GroupReductions() {}

    /**
     * Where the group of {@code (level, arrayPrefix)} of a view is stored; {@code partitionKey} is the partition's
     * ({@link ViewKeys#partitionKey}) in a partitioned index, else empty.
     */
    static byte[] groupKey(byte[] signature, int ordinal, int level, byte[] partitionKey, byte[] arrayPrefix) {
        byte[] head = Arrays.copyOf(signature, signature.length + ViewKeys.ORDINAL_BYTES + 1);
        int ordinalBits = GROUP_ORDINAL_BIT | ordinal;
        head[signature.length] = (byte) (ordinalBits >>> 8);
        head[signature.length + 1] = (byte) ordinalBits;
        head[signature.length + 2] = (byte) level;
        return ViewKeys.concat(head, partitionKey, arrayPrefix);
    }

    /** The levels whose groups a key belongs to: 1 up to its length - 1 (none for a key that is not an array). */
    static int levels(JsonNode key) {
        return key.isArray() ? Math.min(MAX_LEVEL, key.size() - 1) : 0;
    }

    /** The per-key reduction keys of the extensions of {@code arrayPrefix}: {@code [from, to)}. */
    static byte[][] extensions(byte[] viewPrefix, byte[] arrayPrefix) {
        byte[] at = ViewKeys.concat(viewPrefix, arrayPrefix);
        return new byte[][]{ViewKeys.concat(at, new byte[]{ARRAY_END + 1}), ViewKeys.end(at)};
    }

    /** The array prefix (tag and first {@code level} elements) of the group a key is in at {@code level}. */
    static byte[] arrayPrefix(JsonNode key, int level) {
        return KeyEncoding.arrayPrefixLowerBound(ViewReader.truncate(key, level));
    }

    /** What a batch did to one key's reduction, as {@link Pending} needs it. */
    record KeyChange(JsonNode key, JsonNode addedReduction, long addedRows) {
        /** Whether the key only gained rows (its old reduction still holds, combined with the added ones). */
        boolean onlyAdded() {
            return addedReduction != null;
        }
    }

    /**
     * The groups one batch touched, refreshed at {@link #stage}. Owned by the thread staging the batch.
     */
    static final class Pending {
        private final byte[] signature;
        private final Map<ByteKey, Group> groups = new LinkedHashMap<>();

        Pending(byte[] signature) {
            this.signature = signature;
        }

        private static final class Group {
            final int ordinal;
            final byte[] partitionKey;
            final byte[] arrayPrefix;
            boolean rescan;
            long addedRows;
            final List<JsonNode> added = new ArrayList<>();

            Group(int ordinal, byte[] partitionKey, byte[] arrayPrefix) {
                this.ordinal = ordinal;
                this.partitionKey = partitionKey;
                this.arrayPrefix = arrayPrefix;
            }
        }

        /** Notes a changed key of view {@code ordinal} (in the partition, if any) in each group it belongs to. */
        void changed(int ordinal, byte[] partitionKey, KeyChange change) {
            for (int level = 1; level <= levels(change.key()); level++) {
                byte[] arrayPrefix = arrayPrefix(change.key(), level);
                byte[] groupKey = groupKey(signature, ordinal, level, partitionKey, arrayPrefix);
                Group group = groups.computeIfAbsent(new ByteKey(groupKey),
                        k -> new Group(ordinal, partitionKey, arrayPrefix));
                if (change.onlyAdded()) {
                    group.added.add(change.addedReduction());
                    group.addedRows += change.addedRows();
                } else {
                    group.rescan = true;
                }
            }
        }

        /**
         * Stages the refreshed groups into {@code target}. {@code stagedKeys} are this batch's per-key reductions
         * (null: deleted), which a {@link IndexTarget#separate} target does not show in its scans.
         */
        void stage(IndexTarget target, List<ViewReduce> reduces, byte[][] viewPrefixes,
                   Map<ByteKey, KeyReduction> stagedKeys) {
            for (Map.Entry<ByteKey, Group> entry : groups.entrySet()) {
                byte[] groupKey = entry.getKey().bytes();
                Group group = entry.getValue();
                ViewReduce function = reduces.get(group.ordinal);
                KeyReduction refreshed;
                if (!group.rescan) {
                    byte[] cachedBytes = target.get(ViewSpaces.REDUCE, groupKey);
                    List<JsonNode> parts = new ArrayList<>(group.added.size() + 1);
                    long rows = group.addedRows;
                    if (cachedBytes != null) {
                        KeyReduction cached = KeyReduction.decode(cachedBytes);
                        parts.add(cached.reduction());
                        rows += cached.rows();
                    }
                    parts.addAll(group.added);
                    refreshed = new KeyReduction(null, rows, KeyReduction.rereduce(function, parts));
                } else {
                    refreshed = rescanned(target, function,
                            ViewKeys.concat(viewPrefixes[group.ordinal], group.partitionKey), group.arrayPrefix, stagedKeys);
                }
                if (refreshed == null) {
                    target.delete(ViewSpaces.REDUCE, groupKey);
                } else {
                    target.put(ViewSpaces.REDUCE, groupKey, refreshed.encode());
                }
            }
            groups.clear();
        }

        /** The group re-reduced from its keys' reductions as this batch leaves them; null when it has none left. */
        private static KeyReduction rescanned(IndexTarget target, ViewReduce function, byte[] viewPrefix,
                                              byte[] arrayPrefix, Map<ByteKey, KeyReduction> stagedKeys) {
            byte[][] range = extensions(viewPrefix, arrayPrefix);
            NavigableMap<byte[], byte[]> keys = target.scan(ViewSpaces.REDUCE, range[0], range[1]);
            Map<ByteKey, JsonNode> reductions = new LinkedHashMap<>();
            long rows = 0;
            Map<ByteKey, Long> rowCounts = new java.util.HashMap<>();
            for (Map.Entry<byte[], byte[]> key : keys.entrySet()) {
                KeyReduction cached = KeyReduction.decode(key.getValue());
                reductions.put(new ByteKey(key.getKey()), cached.reduction());
                rowCounts.put(new ByteKey(key.getKey()), cached.rows());
            }
            for (Map.Entry<ByteKey, KeyReduction> staged : stagedKeys.entrySet()) {
                byte[] reduceKey = staged.getKey().bytes();
                if (Arrays.compareUnsigned(reduceKey, range[0]) < 0 || Arrays.compareUnsigned(reduceKey, range[1]) >= 0) {
                    continue;
                }
                if (staged.getValue() == null) {
                    reductions.remove(staged.getKey());
                    rowCounts.remove(staged.getKey());
                } else {
                    reductions.put(staged.getKey(), staged.getValue().reduction());
                    rowCounts.put(staged.getKey(), staged.getValue().rows());
                }
            }
            if (reductions.isEmpty()) {
                return null;
            }
            for (long count : rowCounts.values()) {
                rows += count;
            }
            return new KeyReduction(null, rows, KeyReduction.rereduce(function, new ArrayList<>(reductions.values())));
        }
    }

    /** The cached group of {@code (level, arrayPrefix)}, or null when there is none. */
    static KeyReduction read(KvReader reader, byte[] signature, int ordinal, int level, byte[] partitionKey,
                             byte[] arrayPrefix) {
        byte[] bytes = reader.get(ViewSpaces.REDUCE, groupKey(signature, ordinal, level, partitionKey, arrayPrefix));
        return bytes == null ? null : KeyReduction.decode(bytes);
    }

    /** Every group entry of a view (for the integrity check): the reduction rows they count, per level. */
    static long[] rowsPerLevel(KvReader reader, byte[] signature, int ordinal) {
        long[] rows = new long[MAX_LEVEL + 1];
        byte[] levelZero = groupKey(signature, ordinal, 0, new byte[0], new byte[0]);
        byte[] all = Arrays.copyOf(levelZero, levelZero.length - 1);
        try (KvCursor cursor = reader.scan(ViewSpaces.REDUCE, all, ViewKeys.end(all), false)) {
            while (cursor.next()) {
                int level = cursor.key()[all.length] & 0xFF;
                if (level < rows.length) {
                    rows[level] += KeyReduction.decode(cursor.value()).rows();
                }
            }
        }
        return rows;
    }
}
