package dev.arbor.api.permission;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.api.Documents;
import dev.arbor.api.Seq;
import dev.arbor.api.view.ViewQuery;
import dev.arbor.api.view.ViewRow;
import dev.arbor.api.view.ViewSink;
import dev.arbor.core.error.ArborException;

import java.util.ArrayList;
import java.util.List;

/**
 * View queries for a caller who may read only some documents: the rows their documents emitted, with
 * {@code total_rows} and {@code offset} counted over those rows, and reductions computed from those rows alone, as a
 * database holding only those documents would answer. It reads the whole view to count, so it costs in proportion
 * to the view, not to the answer.
 */
final class RestrictedViews {
    /** Where the rows come from: a database's views or one partition's. */
    @FunctionalInterface
    interface Source {
        void query(String ddoc, String view, ViewQuery query, ViewSink sink);
    }

    /** Where reductions over some documents' rows come from ({@link dev.arbor.api.Views#reduceOver}). */
    @FunctionalInterface
    interface ReducedSource {
        void reduceOver(String ddoc, String view, ViewQuery query, java.util.function.Predicate<String> emittedBy,
                        ViewSink sink);
    }

    private RestrictedViews() {
    }

    /**
     * @param reduced where a reduction over the visible rows comes from; null where there is none (a partition),
     *                and a reduced query is then refused
     */
    static void query(Source source, ReducedSource reduced, Documents documents, DocumentAccess read, String ddoc,
                      String view, ViewQuery query, ViewSink sink) {
        if (read instanceof DocumentAccess.All) {
            source.query(ddoc, view, query, sink);
            return;
        }
        String ddocId = ddoc.startsWith("_design/") ? ddoc : "_design/" + ddoc;
        if (!read.includes(ddocId)) {
            throw new ArborException.NotFound("missing");
        }
        if (reduces(documents, ddocId, view, query)) {
            if (reduced == null) {
                throw new ArborException.Forbidden("A reduction here would summarize documents you may not read: query "
                        + view + " with reduce=false.");
            }
            // Reduced from the visible rows alone: the answer a database holding only those documents gives.
            reduced.reduceOver(ddoc, view, query, read::includes, sink);
            return;
        }
        Rows all = new Rows(read);
        source.query(ddoc, view, ViewQuery.builder().reduce(false).descending(query.descending())
                .update(query.update()).build(), all);
        Rows range = new Rows(read);
        source.query(ddoc, view, query.toBuilder().reduce(false).skip(0).limit(-1).build(), range);
        int from = (int) Math.min(query.skip(), range.rows.size());
        int to = query.limit() < 0 ? range.rows.size() : (int) Math.min(range.rows.size(), from + query.limit());
        long offset = from < range.rows.size() ? all.rows.indexOf(withoutDoc(range.rows.get(from))) : all.rows.size();
        sink.begin(all.rows.size(), offset < 0 ? all.rows.size() : offset, range.updateSeq);
        range.rows.subList(from, to).forEach(sink::row);
    }

    /** Whether the query would answer reduced rows: the view has a reduce and the query does not turn it off. */
    private static boolean reduces(Documents documents, String ddocId, String view, ViewQuery query) {
        if (Boolean.FALSE.equals(query.reduce())) {
            return false;
        }
        JsonNode reduce;
        try {
            reduce = documents.get(ddocId).path("views").path(view).path("reduce");
        } catch (ArborException.NotFound missing) {
            return false; // the query itself answers not_found
        }
        return reduce.isTextual();
    }

    private static ViewRow withoutDoc(ViewRow row) {
        return new ViewRow(row.id(), row.key(), row.value(), null);
    }

    /** The visible map rows of one query, in order. */
    private static final class Rows implements ViewSink {
        private final DocumentAccess read;
        private final List<ViewRow> rows = new ArrayList<>();
        private Seq updateSeq;

        Rows(DocumentAccess read) {
            this.read = read;
        }

        @Override
        public void begin(long totalRows, long offset, Seq updateSeq) {
            this.updateSeq = updateSeq;
        }

        @Override
        public void row(ViewRow row) {
            if (row.id() != null && read.includes(row.id())) {
                rows.add(row);
            }
        }
    }
}
