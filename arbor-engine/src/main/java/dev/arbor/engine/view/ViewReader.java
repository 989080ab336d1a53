package dev.arbor.engine.view;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.arbor.api.view.ViewQuery;
import dev.arbor.api.view.ViewRow;
import dev.arbor.api.view.ViewSink;
import dev.arbor.core.collate.KeyEncoding;
import dev.arbor.core.json.Json;
import dev.arbor.engine.db.StoredDocs;
import dev.arbor.engine.kv.KvCursor;
import dev.arbor.engine.kv.KvReader;
import dev.arbor.engine.kv.Space;
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
    private final byte[] prefix;
    private final ViewQuery query;
    private final ViewSink sink;
    private long skipped;
    private long sent;

    private ViewReader(KvReader reader, ViewDefinition design, int ordinal, ViewQuery query, ViewSink sink) {
        this.reader = reader;
        this.design = design;
        this.ordinal = ordinal;
        this.prefix = ViewKeys.viewPrefix(design.signature(), ordinal);
        this.query = query;
        this.sink = sink;
    }

    /**
     * @param totalRows the view's row count at the snapshot
     * @param updateSeq the seq the snapshot's index reflects, or -1 when the query did not ask for it
     */
    static void run(KvReader reader, ViewDefinition design, int ordinal, ViewQuery query, boolean reduce,
                    long totalRows, long updateSeq, ViewSink sink) {
        ViewReader runner = new ViewReader(reader, design, ordinal, query, sink);
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

    private void map(long totalRows, long updateSeq) {
        if (query.keys() != null) {
            sink.begin(totalRows, 0, updateSeq);
            for (JsonNode key : query.keys()) {
                KeyRange range = KeyRange.of(prefix, key, null, key, null, true, query.descending());
                if (!mapRange(range)) {
                    return;
                }
            }
            return;
        }
        KeyRange range = range();
        long before = countBefore(range);
        sink.begin(totalRows, Math.min(totalRows, before + query.skip()), updateSeq);
        if (!range.isEmpty()) {
            mapRange(range);
        }
    }

    private KeyRange range() {
        JsonNode start = query.key() != null ? query.key() : query.startkey();
        JsonNode end = query.key() != null ? query.key() : query.endkey();
        return KeyRange.of(prefix, start, query.startkeyDocId(), end, query.endkeyDocId(),
                query.key() != null || query.inclusiveEnd(), query.descending());
    }

    /** CouchDB's offset: the rows before the range in the direction of the scan. */
    private long countBefore(KeyRange range) {
        byte[] from = query.descending() ? range.to() : prefix;
        byte[] to = query.descending() ? ViewKeys.end(prefix) : range.from();
        if (from == null || (to != null && Arrays.compareUnsigned(from, to) >= 0)) {
            return 0;
        }
        long count = 0;
        try (KvCursor cursor = reader.scan(Space.VIEW_ROWS, from, to, false)) {
            while (cursor.next()) {
                count++;
            }
        }
        return count;
    }

    /** Sends the range's rows; false once the limit is reached. */
    private boolean mapRange(KeyRange range) {
        try (KvCursor cursor = reader.scan(Space.VIEW_ROWS, range.from(), range.to(), query.descending())) {
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
        JsonNode doc = StoredDocs.winner(reader, target, query.conflicts());
        return doc == null ? NullNode.instance : doc;
    }

    // ---- reduce rows ---------------------------------------------------------------------------------------------

    private void reduce(ViewReduce function) {
        int level = query.effectiveGroupLevel();
        if (query.keys() != null) {
            for (JsonNode key : query.keys()) {
                if (!reduceRange(function, KeyRange.of(prefix, key, null, key, null, true, query.descending()), level)) {
                    return;
                }
            }
            return;
        }
        KeyRange range = range();
        if (range.isEmpty()) {
            return;
        }
        if (query.startkeyDocId() != null || query.endkeyDocId() != null) {
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

    /** Reduces a range from the cached per-key reductions; false once the limit is reached. */
    private boolean reduceRange(ViewReduce function, KeyRange range, int level) {
        Group group = new Group(function);
        try (KvCursor cursor = reader.scan(Space.VIEW_REDUCE, range.from(), range.to(), query.descending())) {
            while (cursor.next()) {
                KeyReduction cached = KeyReduction.decode(cursor.value());
                if (!group.enter(cached.key(), level)) {
                    return false;
                }
                group.reductions.add(cached.reduction());
            }
        }
        return group.flush();
    }

    /** Reduces a range from its rows: when doc id bounds cut through a key, its cached reduction does not apply. */
    private void reduceRows(ViewReduce function, KeyRange range, int level) {
        Group group = new Group(function);
        try (KvCursor cursor = reader.scan(Space.VIEW_ROWS, range.from(), range.to(), query.descending())) {
            while (cursor.next()) {
                JsonNode stored = Json.parse(cursor.value());
                if (!group.enter(stored.get(0), level)) {
                    return;
                }
                group.rows.add(new MapRow(stored.get(0), stored.get(2).asText(), stored.get(1)));
            }
        }
        group.flush();
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
