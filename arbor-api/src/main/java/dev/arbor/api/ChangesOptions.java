package dev.arbor.api;

import java.util.List;
import java.util.Map;

/**
 * Options of a normal (one-shot) {@code _changes} read, named as CouchDB's query parameters.
 * Each document appears once, at the sequence of its latest change.
 *
 * @param since       only changes after this sequence ({@link Seq#ZERO}: from the start); a peer's token goes to it
 *                    exactly as it was received
 * @param limit       at most this many rows (rows the filter passes); negative means no limit
 * @param style       {@link Style#MAIN_ONLY} lists the winning rev; {@link Style#ALL_DOCS} every leaf
 * @param docIds      only these documents ({@code filter=_doc_ids}); null means all
 * @param filter      a design document's filter function {@code "ddoc/name"} ({@code filter=ddoc/name}),
 *                    or {@code "_view"} with the view named by {@code queryParams.view} ({@code "ddoc/view"}:
 *                    documents the view's map function emits for); null means all. The function decides on
 *                    each change's winning revision (a deletion as its tombstone).
 * @param queryParams the request's query parameters a filter function sees as {@code req.query}; never null
 */
public record ChangesOptions(Seq since, long limit, boolean descending, boolean includeDocs, Style style,
                             List<String> docIds, boolean conflicts, String filter, Map<String, String> queryParams) {

    public enum Style { MAIN_ONLY, ALL_DOCS }

    /** The {@link #filter} naming the {@code _view} filter. */
    public static final String VIEW_FILTER = "_view";

    public static final ChangesOptions DEFAULT = new ChangesOptions(Seq.ZERO, -1, false, false, Style.MAIN_ONLY, null, false);

    public ChangesOptions {
        since = since == null ? Seq.ZERO : since;
        style = style == null ? Style.MAIN_ONLY : style;
        docIds = docIds == null ? null : List.copyOf(docIds);
        queryParams = queryParams == null ? Map.of() : Map.copyOf(queryParams);
    }

    /** Without a filter function. */
    public ChangesOptions(Seq since, long limit, boolean descending, boolean includeDocs, Style style,
                          List<String> docIds, boolean conflicts) {
        this(since, limit, descending, includeDocs, style, docIds, conflicts, null, Map.of());
    }

    public ChangesOptions since(long v) { return since(Seq.of(v)); }
    public ChangesOptions since(Seq v) { return new ChangesOptions(v, limit, descending, includeDocs, style, docIds, conflicts, filter, queryParams); }
    public ChangesOptions limit(long v) { return new ChangesOptions(since, v, descending, includeDocs, style, docIds, conflicts, filter, queryParams); }
    public ChangesOptions descending(boolean v) { return new ChangesOptions(since, limit, v, includeDocs, style, docIds, conflicts, filter, queryParams); }
    public ChangesOptions includeDocs(boolean v) { return new ChangesOptions(since, limit, descending, v, style, docIds, conflicts, filter, queryParams); }
    public ChangesOptions style(Style v) { return new ChangesOptions(since, limit, descending, includeDocs, v, docIds, conflicts, filter, queryParams); }
    public ChangesOptions docIds(List<String> v) { return new ChangesOptions(since, limit, descending, includeDocs, style, v, conflicts, filter, queryParams); }
    public ChangesOptions conflicts(boolean v) { return new ChangesOptions(since, limit, descending, includeDocs, style, docIds, v, filter, queryParams); }
    public ChangesOptions filter(String v) { return new ChangesOptions(since, limit, descending, includeDocs, style, docIds, conflicts, v, queryParams); }
    public ChangesOptions queryParams(Map<String, String> v) { return new ChangesOptions(since, limit, descending, includeDocs, style, docIds, conflicts, filter, v); }
}
