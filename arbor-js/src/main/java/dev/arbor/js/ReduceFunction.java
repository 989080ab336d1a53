package dev.arbor.js;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * A view's reduce: CouchDB's built-ins in Java, or a JavaScript function. Reductions are JSON trees so
 * an index can store them per key and per node and combine them later with {@link #rereduce}; what a
 * query shows is {@link #finish} of the last one. Thread-safe.
 */
public sealed interface ReduceFunction permits BuiltinReduce, JsReduceFunction {

    /** Reduces map rows (CouchDB's {@code reduce(keys, values, false)}, keys being {@code [key, docid]}). */
    JsonNode reduce(List<MapRow> rows);

    /** Combines earlier reductions (CouchDB's {@code reduce(null, values, true)}). */
    JsonNode rereduce(List<JsonNode> reductions);

    /** The value a query returns for a reduction: identity except for {@code _approx_count_distinct}. */
    default JsonNode finish(JsonNode reduction) {
        return reduction;
    }
}
