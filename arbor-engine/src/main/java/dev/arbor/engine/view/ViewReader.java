package dev.arbor.engine.view;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.arbor.api.Seq;
import dev.arbor.api.view.ViewQuery;
import dev.arbor.api.view.ViewRow;
import dev.arbor.api.view.ViewSink;
import dev.arbor.core.collate.KeyEncoding;
import dev.arbor.core.json.Json;
import dev.arbor.engine.store.StoredDocs;
import dev.arbor.engine.kv.KvCursor;
import dev.arbor.engine.kv.KvReader;
import dev.arbor.js.MapRow;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Answers one view query from one snapshot of the index: map rows straight from the row range, reduce rows by
 * combining the cached per-key reductions of the range (see {@link KeyReduction}) group by group.
 */
final class ViewReader {
    private final KvReader reader;
    private final ViewDefinition design;
    private final int ordinal;
    /** The queried partition's key in a partitioned index ({@link ViewKeys#partitionKey}), else empty. */
    private final byte[] partitionKey;
    /** Where the view's rows (of the partition, if any) start: every range of the query lies under it. */
    private final byte[] prefix;
    private final ViewQuery query;
    /** Which documents' rows a reduction counts (a caller who may read only those); null for every row. */
    private final java.util.function.Predicate<String> emittedBy;
    private final ViewSink sink;
    private long skipped;
    private long sent;

    private ViewReader(KvReader reader, ViewDefinition design, int ordinal, String partition, ViewQuery query,
                       java.util.function.Predicate<String> emittedBy, ViewSink sink) {
        this.emittedBy = emittedBy;
        this.reader = reader;
        this.design = design;
        this.ordinal = ordinal;
        this.partitionKey = partition == null ? new byte[0] : ViewKeys.partitionKey(partition);
        this.prefix = ViewKeys.concat(ViewKeys.viewPrefix(design.signature(), ordinal), partitionKey);
        this.query = query;
        this.sink = sink;
    }

    /**
     * @param partition the partition a partitioned index is queried in, else null
     * @param totalRows the view's row count at the snapshot (the partition's, for a partition query)
     * @param updateSeq the seq the snapshot's index reflects, or null when the query did not ask for it
     */
    static void run(KvReader reader, ViewDefinition design, int ordinal, String partition, ViewQuery query,
                    boolean reduce, java.util.function.Predicate<String> emittedBy, long totalRows, Seq updateSeq,
                    ViewSink sink) {
        ViewReader runner = new ViewReader(reader, design, ordinal, partition, query, emittedBy, sink);
        if (reduce) {
            sink.begin(-1, -1, updateSeq);
            runner.reduce(design.reduce(ordinal).orElseThrow());
        } else {
            runner.map(totalRows, updateSeq);
        }
    }

    private boolean full() {
        return query.limit() >= 0 && sent >= query.limit();
    }

    /** Counts the row against {@code skip}; true when it is to be sent. */
    private boolean pastSkip() {
        if (skipped < query.skip()) {
            skipped++;
            return false;
        }
        return true;
    }

    // ---- map rows ------------------------------------------------------------------------------------------------

    private void map(long totalRows, Seq updateSeq) {
        if (query.keys() != null) {
            sink.begin(totalRows, 0, updateSeq);
            for (JsonNode key : query.keys()) {
                ViewKeyRange range = ViewKeyRange.of(prefix, key, null, key, null, true, query.descending());
                if (!mapRange(range)) {
                    return;
                }
            }
            return;
        }
        ViewKeyRange range = range();
        long before = countBefore(range, totalRows);
        sink.begin(totalRows, Math.min(totalRows, before + query.skip()), updateSeq);
        if (!range.isEmpty()) {
            mapRange(range);
        }
    }

    private ViewKeyRange range() {
        JsonNode start = query.key() != null ? query.key() : query.startkey();
        JsonNode end = query.key() != null ? query.key() : query.endkey();
        return ViewKeyRange.of(prefix, start, query.startkeyDocId(), end, query.endkeyDocId(),
                query.key() != null || query.inclusiveEnd(), query.descending());
    }

    /**
     * CouchDB's offset: the rows before the range in the direction of the scan. Counted from the nearer end: the
     * rows before the range and the rows from it to the end of the view are counted in step, and whichever count
     * finishes first gives the offset (with the view's row count at this snapshot), so a query near either end of a
     * large view costs little even with {@code limit=1}. In the middle it costs O(rows), as before.
     */
    private long countBefore(ViewKeyRange range, long totalRows) {
        byte[] viewEnd = ViewKeys.end(prefix);
        byte[] boundary = query.descending() ? range.to() : range.from();
        if (boundary == null) {
            return query.descending() ? 0 : totalRows;
        }
        byte[][] before = query.descending() ? new byte[][]{boundary, viewEnd} : new byte[][]{prefix, boundary};
        byte[][] rest = query.descending() ? new byte[][]{prefix, boundary} : new byte[][]{boundary, viewEnd};
        try (KvCursor beforeRows = reader.scan(ViewSpaces.ROWS, before[0], before[1], false);
             KvCursor restRows = reader.scan(ViewSpaces.ROWS, rest[0], rest[1], false)) {
            long counted = 0;
            while (true) {
                if (!beforeRows.next()) {
                    return counted;
                }
                if (!restRows.next()) {
                    return Math.max(0, totalRows - counted);
                }
                counted++;
            }
        }
    }

    /** Sends the range's rows; false once the limit is reached. */
    private boolean mapRange(ViewKeyRange range) {
        try (KvCursor cursor = reader.scan(ViewSpaces.ROWS, range.from(), range.to(), query.descending())) {
            while (cursor.next()) {
                if (full()) {
                    return false;
                }
                if (!pastSkip()) {
                    continue;
                }
                JsonNode stored = Json.parse(cursor.value());
                String id = stored.get(2).asText();
                JsonNode value = stored.get(1);
                sink.row(new ViewRow(id, stored.get(0), value, query.includeDocs() ? includedDoc(id, value) : null));
                sent++;
            }
        }
        return !full();
    }

    /**
     * The document {@code include_docs} adds: the one a value's {@code _id} links to (CouchDB's linked documents),
     * else the emitting one; JSON null when it does not exist (any more).
     */
    private JsonNode includedDoc(String id, JsonNode value) {
        String target = value.isObject() && value.path("_id").isTextual() ? value.get("_id").textValue() : id;
        JsonNode doc = StoredDocs.winner(reader, target,
                dev.arbor.api.GetOptions.DEFAULT.conflicts(query.conflicts()).attachments(query.attachments()));
        return doc == null ? NullNode.instance : doc;
    }

    // ---- reduce rows ---------------------------------------------------------------------------------------------

    private void reduce(ViewReduce function) {
        int level = query.effectiveGroupLevel();
        if (query.keys() != null) {
            for (JsonNode key : query.keys()) {
                ViewKeyRange range = ViewKeyRange.of(prefix, key, null, key, null, true, query.descending());
                if (!(emittedBy == null ? reduceRange(function, range, level) : reduceRows(function, range, level))) {
                    return;
                }
            }
            return;
        }
        ViewKeyRange range = range();
        if (range.isEmpty()) {
            return;
        }
        // The cached reductions summarize every document's rows: a caller who may see only some gets the rows'.
        if (emittedBy != null || query.startkeyDocId() != null || query.endkeyDocId() != null) {
            reduceRows(function, range, level);
        } else {
            reduceRange(function, range, level);
        }
    }

    /** Accumulates the reductions of one group (consecutive keys with equal group keys). */
    private final class Group {
        private final ViewReduce function;
        private byte[] encodedGroupKey;
        private JsonNode groupKey;
        private final List<JsonNode> reductions = new ArrayList<>();
        private final List<MapRow> rows = new ArrayList<>();

        Group(ViewReduce function) {
            this.function = function;
        }

        /** Starts a new group when {@code key} is not in the current one, sending the finished one; false when full. */
        boolean enter(JsonNode key, int level) {
            JsonNode groupKey = level == 0 ? NullNode.instance : truncate(key, level);
            byte[] encoded = level == 0 ? new byte[0] : KeyEncoding.encode(groupKey);
            if (encodedGroupKey != null && Arrays.equals(encoded, encodedGroupKey)) {
                return true;
            }
            if (!flush()) {
                return false;
            }
            this.encodedGroupKey = encoded;
            this.groupKey = groupKey;
            return true;
        }

        /** Sends the current group, if any; false when the limit is reached. */
        boolean flush() {
            if (encodedGroupKey == null) {
                return !full();
            }
            if (full()) {
                return false;
            }
            List<JsonNode> parts = new ArrayList<>(reductions);
            if (!rows.isEmpty()) {
                parts.add(KeyReduction.reduce(function, rows));
            }
            reductions.clear();
            rows.clear();
            encodedGroupKey = null;
            if (pastSkip()) {
                sink.row(ViewRow.reduced(groupKey, function.finish(KeyReduction.rereduce(function, parts))));
                sent++;
            }
            return !full();
        }
    }

    /**
     * Reduces a range from the cached per-key reductions; false once the limit is reached. At a cached level
     * ({@link GroupReductions}) a group whose extensions lie wholly inside the range takes their cached reduction
     * instead: the scan jumps over them (reopening the cursor past them), so a grouped query reads about one entry
     * per group. Groups the range cuts through are combined key by key.
     */
    private boolean reduceRange(ViewReduce function, ViewKeyRange range, int level) {
        Group group = new Group(function);
        boolean cachedLevel = level >= 1 && level <= GroupReductions.MAX_LEVEL;
        byte[] from = range.from();
        byte[] to = range.to();
        scan:
        while (true) {
            try (KvCursor cursor = reader.scan(ViewSpaces.REDUCE, from, to, query.descending())) {
                while (cursor.next()) {
                    KeyReduction cached = KeyReduction.decode(cursor.value());
                    JsonNode key = cached.key();
                    if (cachedLevel && GroupReductions.levels(key) >= level) {
                        byte[] arrayPrefix = GroupReductions.arrayPrefix(key, level);
                        byte[][] extensions = GroupReductions.extensions(prefix, arrayPrefix);
                        KeyReduction extended = within(extensions, range)
                                ? GroupReductions.read(reader, design.signature(), ordinal, level, partitionKey, arrayPrefix) : null;
                        if (extended != null) {
                            if (!group.enter(key, level)) {
                                return false;
                            }
                            group.reductions.add(extended.reduction());
                            if (query.descending()) {
                                to = extensions[0];
                            } else {
                                from = extensions[1];
                            }
                            continue scan;
                        }
                    }
                    if (!group.enter(key, level)) {
                        return false;
                    }
                    group.reductions.add(cached.reduction());
                }
            }
            return group.flush();
        }
    }

    /** Whether {@code [inner[0], inner[1])} lies within the range (a null end is open). */
    private static boolean within(byte[][] inner, ViewKeyRange range) {
        if (Arrays.compareUnsigned(inner[0], range.from()) < 0) {
            return false;
        }
        return range.to() == null || (inner[1] != null && Arrays.compareUnsigned(inner[1], range.to()) <= 0);
    }

    /** Reduces a range from its rows: when doc id bounds cut through a key, its cached reduction does not apply. */
    private boolean reduceRows(ViewReduce function, ViewKeyRange range, int level) {
        Group group = new Group(function);
        try (KvCursor cursor = reader.scan(ViewSpaces.ROWS, range.from(), range.to(), query.descending())) {
            while (cursor.next()) {
                JsonNode stored = Json.parse(cursor.value());
                String docId = stored.get(2).asText();
                if (emittedBy != null && !emittedBy.test(docId)) {
                    continue;
                }
                if (!group.enter(stored.get(0), level)) {
                    return false;
                }
                group.rows.add(new MapRow(stored.get(0), docId, stored.get(1)));
            }
        }
        return group.flush();
    }

    /** CouchDB's group_level: an array key's first {@code level} elements; any other key as it is. */
    static JsonNode truncate(JsonNode key, int level) {
        if (!key.isArray() || key.size() <= level) {
            return key;
        }
        ArrayNode prefix = Json.MAPPER.createArrayNode();
        for (int i = 0; i < level; i++) {
            prefix.add(key.get(i));
        }
        return prefix;
    }
}
