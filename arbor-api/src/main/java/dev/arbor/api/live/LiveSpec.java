package dev.arbor.api.live;

import dev.arbor.api.find.FindRequest;
import dev.arbor.api.view.ViewQuery;

import java.util.Objects;

/** What a live query watches: a Mango query or a range of a map view. */
public sealed interface LiveSpec {

    /**
     * A Mango query: its selector, sort, fields, skip and limit as {@code _find} reads them. Rows are ordered by the
     * sort fields, ties by document id in the sort's direction (as an index on the sort fields orders them), an
     * unsorted query by document id in {@code _all_docs} order; as {@code _find}, a sort needs an index on its fields; documents lacking a sort field are left out, as {@code _find} leaves them out. Design
     * documents are never rows. {@code bookmark}, {@code use_index} and {@code execution_stats} are ignored.
     */
    record Find(FindRequest request) implements LiveSpec {
        public Find {
            Objects.requireNonNull(request, "request");
        }
    }

    /**
     * Rows of a view ({@code ddoc} with or without {@code _design/}) in the query's range: {@code key}, {@code keys},
     * {@code startkey}/{@code endkey} (with their doc ids), {@code descending}, {@code skip}, {@code limit},
     * {@code include_docs}. Map rows only: a reduce or grouping is refused, the view is read with {@code reduce=false}.
     */
    record View(String ddoc, String view, ViewQuery query) implements LiveSpec {
        public View {
            Objects.requireNonNull(ddoc, "ddoc");
            Objects.requireNonNull(view, "view");
            query = query == null ? ViewQuery.DEFAULT : query;
        }
    }
}
