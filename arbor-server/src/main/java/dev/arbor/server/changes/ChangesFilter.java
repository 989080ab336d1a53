package dev.arbor.server.changes;

import java.util.List;

/** Which documents a feed reports ({@code filter=...}). Filters Arbor cannot run are refused at parse time. */
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

    ChangesFilter ALL = new AllDocs();
}
