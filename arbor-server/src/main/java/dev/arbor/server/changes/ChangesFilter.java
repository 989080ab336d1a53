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
     * {@code filter=ddoc/name} (a design document's JavaScript filter function) or {@code filter=_view} with
     * {@code view=ddoc/view}: passed down to the database through {@link dev.arbor.api.ChangesOptions#filter()},
     * which runs it with the request's query parameters as {@code req.query}.
     */
    record Design(String filter, java.util.Map<String, String> query) implements ChangesFilter {
        public Design {
            query = java.util.Map.copyOf(query);
        }
    }

    /** Whether the filter decides on each change's winning document (read for it whether or not docs were asked for). */
    default boolean needsDoc() {
        return this instanceof Matching;
    }

    ChangesFilter ALL = new AllDocs();
}
