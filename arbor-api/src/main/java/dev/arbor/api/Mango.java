package dev.arbor.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.find.Explain;
import dev.arbor.api.find.FindRequest;
import dev.arbor.api.find.FindResult;
import dev.arbor.api.find.FindSink;
import dev.arbor.api.find.IndexBulkDeleteResult;
import dev.arbor.api.find.IndexDefinition;
import dev.arbor.api.find.IndexInfo;
import dev.arbor.api.find.IndexResult;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import java.util.ArrayList;
import java.util.List;

/** CouchDB's Mango: {@code _find} and {@code _explain} over {@code json} indexes defined with {@code _index}. */
public interface Mango {

    /**
     * {@code POST /db/_find}: the documents matching the request's selector, in its sort order, a page at a
     * time. The planner picks the best usable index (see {@link #explain}); a query brings that index up to
     * date first unless {@code update} is false. A malformed selector, sort or bookmark is a
     * {@code bad_request}-family error with CouchDB's token and reason.
     *
     * <p>A sort no usable index gives is refused with CouchDB's {@code no_usable_index}. Design documents are
     * never answered.
     */
    FindResult find(FindRequest request);

    /**
     * {@link #find(FindRequest)}, handed over as JSON bytes: a database storing bodies as JSON can send a
     * document's stored bytes on without parsing them.
     */
    default void find(FindRequest request, FindSink sink) {
        FindResult result = find(request);
        for (ObjectNode doc : result.docs()) {
            sink.doc(Json.bytes(doc));
        }
        sink.end(result.bookmark(), result.warnings(), result.executionStats());
    }

    /** {@code POST /db/_explain}: how {@link #find} would answer the request, without running it. */
    Explain explain(FindRequest request);

    /**
     * {@code POST /db/_index}: defines a {@code json} index in a design document ({@code language: "query"}), as
     * CouchDB stores it. Creating an index identical to an existing one of the same name answers {@code exists}.
     * The index is built lazily, by the first query that uses it.
     */
    IndexResult createIndex(IndexDefinition definition);

    /** {@code GET /db/_index}: {@code _all_docs} first, then every Mango index, by design document and name. */
    List<IndexInfo> indexes();

    /**
     * {@code DELETE /db/_index/{ddoc}/json/{name}}: removes the index from its design document (the design
     * document goes when it holds nothing else) and drops its rows. {@code not_found} when there is no such index.
     */
    void deleteIndex(String ddoc, String name);

    /**
     * {@code POST /db/_index/_bulk_delete}: deletes the Mango index of each named design document (with or without
     * {@code _design/}), one design document after another; one that fails does not stop the others. As in CouchDB,
     * a design document is deleted from only when it holds exactly one index: one with none fails with
     * {@code not_found}, one with several is left whole and fails with {@code multiple_indexes} (CouchDB's
     * {@code mango_idx:delete} matches exactly one index there and otherwise crashes the request with a 500
     * {@code case_clause}, after the design documents before it; here the others go on and it is reported).
     */
    default IndexBulkDeleteResult bulkDeleteIndexes(List<String> ddocs) {
        List<String> deleted = new ArrayList<>();
        List<IndexBulkDeleteResult.Failure> failed = new ArrayList<>();
        List<IndexInfo> all = indexes();
        for (String name : ddocs) {
            String ddoc = name.startsWith("_design/") ? name : "_design/" + name;
            List<IndexInfo> held = all.stream().filter(i -> ddoc.equals(i.ddoc())).toList();
            if (held.size() != 1) {
                failed.add(new IndexBulkDeleteResult.Failure(ddoc, held.isEmpty() ? "not_found" : "multiple_indexes"));
                continue;
            }
            try {
                deleteIndex(ddoc, held.get(0).name());
                deleted.add(ddoc);
            } catch (ArborException e) {
                failed.add(new IndexBulkDeleteResult.Failure(ddoc, e.error()));
            }
        }
        return new IndexBulkDeleteResult(deleted, failed);
    }
}
