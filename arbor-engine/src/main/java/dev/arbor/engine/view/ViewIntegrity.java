package dev.arbor.engine.view;

import dev.arbor.engine.store.StoredDocs;
import dev.arbor.engine.index.IndexCheckpoint;
import dev.arbor.engine.kv.KvCursor;
import dev.arbor.engine.kv.KvSnapshot;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The integrity check of a view index ({@link ViewDefinition#problem}), on one snapshot while the index's lock is
 * held: each view has as many rows as the checkpoint counts, and as many as its cached reductions and group
 * reductions count; every row the back-index names exists, and the back-index names as many rows as there are; every
 * document with rows is live as of the checkpoint, unless it changed after it; in a partitioned index, every
 * partition's row count is that of its rows.
 */
final class ViewIntegrity {
    private ViewIntegrity() {
    }

    static String problem(ViewDefinition design, KvSnapshot snapshot, IndexCheckpoint stored) {
        ViewKeys.Checkpoint checkpoint = ViewKeys.Checkpoint.of(stored);
        long rows = 0;
        for (int ordinal = 0; ordinal < design.views().size(); ordinal++) {
            byte[] prefix = ViewKeys.viewPrefix(design.signature(), ordinal);
            long count = 0;
            Map<ByteKey, Long> perPartition = new HashMap<>();
            try (KvCursor cursor = snapshot.scan(ViewSpaces.ROWS, prefix, ViewKeys.end(prefix), false)) {
                while (cursor.next()) {
                    count++;
                    if (design.partitioned()) {
                        perPartition.merge(partitionOfRow(cursor.key(), prefix.length), 1L, Long::sum);
                    }
                }
            }
            if (count != checkpoint.rowCounts()[ordinal]) {
                return "view " + design.views().get(ordinal) + " has " + count + " rows, checkpoint says "
                        + checkpoint.rowCounts()[ordinal];
            }
            if (design.partitioned()) {
                String partitions = partitionCountsProblem(snapshot, design, ordinal, perPartition);
                if (partitions != null) {
                    return partitions;
                }
            }
            rows += count;
            if (design.reduce(ordinal).isPresent()) {
                long reduced = 0;
                long[] grouped = new long[GroupReductions.MAX_LEVEL + 1];
                try (KvCursor cursor = snapshot.scan(ViewSpaces.REDUCE, prefix, ViewKeys.end(prefix), false)) {
                    while (cursor.next()) {
                        KeyReduction reduction = KeyReduction.decode(cursor.value());
                        reduced += reduction.rows();
                        for (int level = 1; level <= GroupReductions.levels(reduction.key()); level++) {
                            grouped[level] += reduction.rows();
                        }
                    }
                }
                if (reduced != count) {
                    return "reductions of view " + design.views().get(ordinal) + " count " + reduced + " rows";
                }
                if (!Arrays.equals(grouped, GroupReductions.rowsPerLevel(snapshot, design.signature(), ordinal))) {
                    return "group reductions of view " + design.views().get(ordinal) + " disagree with its keys'";
                }
            }
        }
        long referenced = 0;
        byte[] signature = design.signature();
        try (KvCursor cursor = snapshot.scan(ViewSpaces.DOCS, signature, ViewKeys.end(signature), false)) {
            while (cursor.next()) {
                String id = new String(cursor.key(), signature.length, cursor.key().length - signature.length,
                        java.nio.charset.StandardCharsets.UTF_8);
                for (ViewKeys.DocRow row : ViewKeys.DocRow.decodeAll(cursor.value())) {
                    if (snapshot.get(ViewSpaces.ROWS, row.rowKey()) == null) {
                        return "a row of " + id + " is missing";
                    }
                    referenced++;
                }
                if (StoredDocs.winner(snapshot, id, false) == null && !changedAfter(snapshot, id, checkpoint.seq())) {
                    return "deleted document " + id + " still has rows";
                }
            }
        }
        return referenced == rows ? null : "the back-index names " + referenced + " rows of " + rows;
    }

    /** The partition key ({@link ViewKeys#partitionKey}: length, then name) of a row of a partitioned index. */
    private static ByteKey partitionOfRow(byte[] rowKey, int viewPrefixLength) {
        int length = ((rowKey[viewPrefixLength] & 0xFF) << 8) | (rowKey[viewPrefixLength + 1] & 0xFF);
        return new ByteKey(Arrays.copyOfRange(rowKey, viewPrefixLength, viewPrefixLength + 2 + length));
    }

    /** Whether every partition's stored row count ({@link ViewKeys#partitionCountKey}) is that of its rows. */
    private static String partitionCountsProblem(KvSnapshot snapshot, ViewDefinition design, int ordinal,
                                                 Map<ByteKey, Long> counted) {
        byte[] prefix = ViewKeys.partitionCountsPrefix(design.signature(), ordinal);
        Map<ByteKey, Long> stored = new HashMap<>();
        try (KvCursor cursor = snapshot.scan(ViewSpaces.REDUCE, prefix, ViewKeys.end(prefix), false)) {
            while (cursor.next()) {
                stored.put(new ByteKey(Arrays.copyOfRange(cursor.key(), prefix.length, cursor.key().length)),
                        ViewKeys.decodeCount(cursor.value()));
            }
        }
        if (stored.equals(counted)) {
            return null;
        }
        for (Map.Entry<ByteKey, Long> partition : counted.entrySet()) {
            Long count = stored.get(partition.getKey());
            if (!partition.getValue().equals(count)) {
                return "partition " + partitionName(partition.getKey()) + " of view " + design.views().get(ordinal)
                        + " has " + partition.getValue() + " rows, its count says " + (count == null ? 0 : count);
            }
        }
        return "view " + design.views().get(ordinal) + " counts rows of a partition that has none";
    }

    private static String partitionName(ByteKey partitionKey) {
        byte[] bytes = partitionKey.bytes();
        return new String(bytes, 2, bytes.length - 2, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Whether the by-seq log has a change of {@code id} after {@code seq} (the index has not seen it yet). */
    private static boolean changedAfter(KvSnapshot snapshot, String id, long seq) {
        boolean[] found = {false};
        StoredDocs.changesSince(snapshot, seq, change -> {
            found[0] = change.id().equals(id);
            return !found[0];
        });
        return found[0];
    }
}
