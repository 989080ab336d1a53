package dev.arbor.api;

import java.util.List;

/**
 * Options of a normal (one-shot) {@code _changes} read, named as CouchDB's query parameters.
 * Each document appears once, at the sequence of its latest change.
 *
 * @param since       only changes after this sequence (0: from the start)
 * @param limit       at most this many rows; negative means no limit
 * @param style       {@link Style#MAIN_ONLY} lists the winning rev; {@link Style#ALL_DOCS} every leaf
 * @param docIds      only these documents ({@code filter=_doc_ids}); null means all
 */
public record ChangesOptions(long since, long limit, boolean descending, boolean includeDocs, Style style,
                             List<String> docIds, boolean conflicts) {

    public enum Style { MAIN_ONLY, ALL_DOCS }

    public static final ChangesOptions DEFAULT = new ChangesOptions(0, -1, false, false, Style.MAIN_ONLY, null, false);

    public ChangesOptions {
        style = style == null ? Style.MAIN_ONLY : style;
        docIds = docIds == null ? null : List.copyOf(docIds);
    }

    public ChangesOptions since(long v) { return new ChangesOptions(v, limit, descending, includeDocs, style, docIds, conflicts); }
    public ChangesOptions limit(long v) { return new ChangesOptions(since, v, descending, includeDocs, style, docIds, conflicts); }
    public ChangesOptions descending(boolean v) { return new ChangesOptions(since, limit, v, includeDocs, style, docIds, conflicts); }
    public ChangesOptions includeDocs(boolean v) { return new ChangesOptions(since, limit, descending, v, style, docIds, conflicts); }
    public ChangesOptions style(Style v) { return new ChangesOptions(since, limit, descending, includeDocs, v, docIds, conflicts); }
    public ChangesOptions docIds(List<String> v) { return new ChangesOptions(since, limit, descending, includeDocs, style, v, conflicts); }
    public ChangesOptions conflicts(boolean v) { return new ChangesOptions(since, limit, descending, includeDocs, style, docIds, v); }
}
