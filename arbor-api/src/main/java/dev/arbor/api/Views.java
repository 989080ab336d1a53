package dev.arbor.api;

import dev.arbor.api.view.ViewIndexInfo;
import dev.arbor.api.view.ViewQuery;
import dev.arbor.api.view.ViewResult;
import dev.arbor.api.view.ViewSink;

/** Map/reduce views defined in JavaScript in design documents, as CouchDB's {@code _view}. */
public interface Views {

    /**
     * {@code GET /db/_design/{ddoc}/_view/{view}}: a JavaScript view's rows (or reductions), streamed. {@code ddoc}
     * is named with or without its {@code _design/} prefix. The index catches up with the database first unless
     * {@code query.update()} says otherwise. {@code not_found} (reason {@code missing}) for a missing design
     * document, {@code missing_named_view} for a missing view; CouchDB's {@code query_parse_error} for invalid
     * parameter combinations.
     */
    void query(String ddoc, String view, ViewQuery query, ViewSink sink);

    default ViewResult query(String ddoc, String view, ViewQuery query) {
        var collector = new ViewResult.Collector();
        query(ddoc, view, query, collector);
        return collector.result();
    }

    /**
     * The query's reduction computed from the map rows emitted by the documents {@code emittedBy} accepts, and no
     * others: what a caller who may read only those documents is answered ({@link
     * dev.arbor.api.permission.RestrictedDatabase}). It reads those rows rather than the stored reductions, so it
     * costs in proportion to the rows in the range. A backend that cannot run the view's reduce beside its data (a
     * remote database) refuses with {@code forbidden}.
     */
    default void reduceOver(String ddoc, String view, ViewQuery query, java.util.function.Predicate<String> emittedBy,
                            ViewSink sink) {
        throw new dev.arbor.core.error.ArborException.Forbidden("A reduction here would summarize documents you may "
                + "not read: query " + view + " with reduce=false.");
    }

    /** {@code GET /db/_design/{ddoc}/_info}: the state of the design document's view index. */
    ViewIndexInfo viewInfo(String ddoc);

    /** {@code POST /db/_view_cleanup}: drops the indexes of views no design document defines any more. */
    void viewCleanup();
}
