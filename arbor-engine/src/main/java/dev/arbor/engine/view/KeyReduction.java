package dev.arbor.engine.view;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.arbor.core.json.Json;
import dev.arbor.js.MapRow;

import java.util.ArrayList;
import java.util.List;

/**
 * The cached reduction of every row with one key (keys that collate equal are one key), as stored in
 * {@link ViewSpaces#REDUCE}: {@code [key, rows, reduction]}.
 *
 * @param key the key as first emitted, for the answer of {@code group=true}
 */
record KeyReduction(JsonNode key, long rows, JsonNode reduction) {
    /** Reduce calls get at most this many rows; larger inputs are reduced in chunks and the chunks rereduced. */
    static final int CHUNK = 1_000;

    byte[] encode() {
        ArrayNode array = Json.MAPPER.createArrayNode();
        array.add(key);
        array.add(rows);
        array.add(reduction);
        return Json.bytes(array);
    }

    static KeyReduction decode(byte[] bytes) {
        JsonNode array = Json.parse(bytes);
        return new KeyReduction(array.get(0), array.get(1).asLong(), array.get(2));
    }

    /** Reduces rows, in chunks of {@link #CHUNK} as CouchDB's b-tree nodes bound each reduce call. */
    static JsonNode reduce(ViewReduce function, List<MapRow> rows) {
        if (rows.size() <= CHUNK) {
            return function.reduce(rows);
        }
        List<JsonNode> parts = new ArrayList<>();
        for (int from = 0; from < rows.size(); from += CHUNK) {
            parts.add(function.reduce(rows.subList(from, Math.min(rows.size(), from + CHUNK))));
        }
        return rereduce(function, parts);
    }

    /**
     * {@link #reduce} of rows just mapped, with their emitted objects ({@link ViewReduce#reduce(List, List)}), or
     * null for {@code mapped} when some row has none.
     */
    static JsonNode reduce(ViewReduce function, List<MapRow> rows, List<Object> mapped) {
        if (mapped == null) {
            return reduce(function, rows);
        }
        if (rows.size() <= CHUNK) {
            return function.reduce(rows, mapped);
        }
        List<JsonNode> parts = new ArrayList<>();
        for (int from = 0; from < rows.size(); from += CHUNK) {
            int to = Math.min(rows.size(), from + CHUNK);
            parts.add(function.reduce(rows.subList(from, to), mapped.subList(from, to)));
        }
        return rereduce(function, parts);
    }

    static JsonNode rereduce(ViewReduce function, List<JsonNode> reductions) {
        if (reductions.size() == 1) {
            return reductions.get(0);
        }
        if (reductions.size() <= CHUNK) {
            return function.rereduce(reductions);
        }
        List<JsonNode> parts = new ArrayList<>();
        for (int from = 0; from < reductions.size(); from += CHUNK) {
            parts.add(function.rereduce(reductions.subList(from, Math.min(reductions.size(), from + CHUNK))));
        }
        return rereduce(function, parts);
    }
}
