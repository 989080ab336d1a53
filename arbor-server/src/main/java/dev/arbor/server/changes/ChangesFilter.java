package dev.arbor.server.changes;

import java.util.List;

/** Which documents a feed reports ({@code filter=...}). Unknown filters are refused at parse time. */
public sealed interface ChangesFilter {

    /** No filter: every document. */
    record AllDocs() implements ChangesFilter {}

    /** {@code filter=_doc_ids}: only these documents. */
    record DocIds(List<String> ids) implements ChangesFilter {
        public DocIds {
            ids = List.copyOf(ids);
        }
    }

    /** {@code filter=_design}: only design documents. */
    record DesignDocs() implements ChangesFilter {
        static final String PREFIX = "_design/";

        boolean accepts(String docId) {
            return docId.startsWith(PREFIX);
        }
    }

    /**
     * {@code filter=_selector}: only documents whose winning revision matches a Mango selector (a deleted
     * document is matched as its tombstone, {@code {_id, _rev, _deleted: true}}, as CouchDB does).
     */
    record Matching(dev.arbor.core.mango.Selector selector) implements ChangesFilter {
        boolean accepts(com.fasterxml.jackson.databind.JsonNode winningDoc) {
            return winningDoc != null && selector.matches(winningDoc);
        }
    }

    /**
     * {@code filter=ddoc/name}: a design document's JavaScript filter function, given each change's winning
     * revision (a deleted document as its tombstone) and CouchDB's request object with {@code req.query}.
     */
    record Function(dev.arbor.js.FilterFunction function, com.fasterxml.jackson.databind.JsonNode request)
            implements ChangesFilter {
        boolean accepts(com.fasterxml.jackson.databind.JsonNode winningDoc) {
            return winningDoc != null && function.matches(winningDoc, request);
        }
    }

    /** {@code filter=_view&view=ddoc/view}: documents for which the view's map function emits at least one row. */
    record ViewMap(dev.arbor.js.MapFunction map) implements ChangesFilter {
        boolean accepts(com.fasterxml.jackson.databind.JsonNode winningDoc) {
            return winningDoc != null && !map.map(dev.arbor.core.json.Json.text(winningDoc)).isEmpty();
        }
    }

    /** Whether the filter decides on each change's winning document (read for it whether or not docs were asked for). */
    default boolean needsDoc() {
        return this instanceof Matching || this instanceof Function || this instanceof ViewMap;
    }

    ChangesFilter ALL = new AllDocs();
}
