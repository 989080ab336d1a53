package dev.arbor.engine.view;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.js.MapRow;

import java.util.List;

/**
 * A view's reduce as the index engine runs it: over JSON rows and JSON reductions, so reductions can be stored per
 * key and combined later. JavaScript and built-in reduces ({@link dev.arbor.js.ReduceFunction}) and typed Java
 * reduces both adapt to it. Thread-safe.
 */
interface ViewReduce {
    /** Reduces map rows (CouchDB's {@code reduce(keys, values, false)}). */
    JsonNode reduce(List<MapRow> rows);

    /**
     * Reduces rows a map function just emitted, each with its {@link Emitted#mapped()} object (never null) at the
     * same position in {@code mapped}; a typed reduce reads them instead of the JSON rows.
     */
    default JsonNode reduce(List<MapRow> rows, List<Object> mapped) {
        return reduce(rows);
    }

    /** Combines earlier reductions (CouchDB's {@code reduce(null, values, true)}). */
    JsonNode rereduce(List<JsonNode> reductions);

    /** The value a query returns for a reduction. */
    default JsonNode finish(JsonNode reduction) {
        return reduction;
    }

    /** A design document's reduce (JavaScript or built-in). */
    static ViewReduce of(dev.arbor.js.ReduceFunction function) {
        return new ViewReduce() {
            @Override
            public JsonNode reduce(List<MapRow> rows) {
                return function.reduce(rows);
            }

            @Override
            public JsonNode rereduce(List<JsonNode> reductions) {
                return function.rereduce(reductions);
            }

            @Override
            public JsonNode finish(JsonNode reduction) {
                return function.finish(reduction);
            }
        };
    }
}
