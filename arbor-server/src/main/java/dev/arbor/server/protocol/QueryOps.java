package dev.arbor.server.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.arbor.api.Database;
import dev.arbor.api.find.ExecutionStats;
import dev.arbor.api.find.FindRequest;
import dev.arbor.api.find.FindResult;
import dev.arbor.api.find.FindSink;
import dev.arbor.core.json.Json;
import dev.arbor.protocol.Op;
import dev.arbor.protocol.Values;
import dev.arbor.server.http.Access;
import dev.arbor.wire.find.FindJson;
import dev.arbor.wire.view.ViewJson;

import java.util.List;

import static dev.arbor.protocol.Values.requireText;
import static dev.arbor.server.protocol.LocalDocumentOps.db;

/**
 * The reads whose answers may be long — {@code _all_docs}, Mango and views, a partition's with {@code partition} —
 * streamed as rows chunks; and the Mango indexes and view maintenance. Checked as their HTTP routes are: views by
 * {@code QUERY_VIEW}, Mango by {@code QUERY_INDEX}, index and design changes by the database's admins, and anything
 * under a partition by {@code READ}, as {@code /db/_partition/p/...} is. Requests and answers of Mango and views are
 * CouchDB's JSON ({@code FindJson}, {@code ViewJson}): the forms the HTTP client and server already agree on.
 */
final class QueryOps {
    private QueryOps() {}

    static void register(Dispatcher d) {
        d.onStream(Op.DOC_ALL_DOCS_ROWS, (c, a, s) -> {
            Database db = db(c, a, Access.READ);
            StreamedRows rows = new StreamedRows(s);
            String partition = Values.text(a, "partition");
            if (partition == null) {
                db.allDocs(Values.allDocsOptions(a.get("options")), rows.allDocsSink());
            } else {
                db.partition(partition).allDocs(Values.allDocsOptions(a.get("options")), rows.allDocsSink());
            }
            rows.finish();
            return NullNode.instance;
        });

        // ---- Mango
        d.onStream(Op.MANGO_FIND, (c, a, s) -> {
            String partition = Values.text(a, "partition");
            Database db = db(c, a, partition == null ? Access.QUERY_INDEX : Access.READ);
            FindRequest request = FindJson.request(a.path("request"));
            StreamedRows rows = new StreamedRows(s);
            JsonNode[] end = new JsonNode[1];
            FindSink sink = new FindSink() {
                @Override
                public void doc(byte[] json) {
                    rows.rawRow(json);
                }

                @Override
                public void end(String bookmark, List<String> warnings, ExecutionStats executionStats) {
                    end[0] = FindJson.result(new FindResult(List.of(), bookmark, warnings, executionStats));
                }
            };
            if (partition == null) {
                db.find(request, sink);
            } else {
                FindResult result = db.partition(partition).find(request);
                result.docs().forEach(doc -> sink.doc(Json.bytes(doc)));
                sink.end(result.bookmark(), result.warnings(), result.executionStats());
            }
            rows.finish();
            return end[0] == null ? NullNode.instance : end[0];
        });
        d.on(Op.MANGO_EXPLAIN, (c, a) -> {
            String partition = Values.text(a, "partition");
            Database db = db(c, a, partition == null ? Access.QUERY_INDEX : Access.READ);
            FindRequest request = FindJson.request(a.path("request"));
            return FindJson.explain(partition == null ? db.explain(request) : db.partition(partition).explain(request));
        });
        d.on(Op.MANGO_CREATE_INDEX, (c, a) -> FindJson.indexResult(db(c, a, Access.DB_ADMIN)
                .createIndex(FindJson.indexDefinition(a.path("definition")))));
        d.on(Op.MANGO_INDEXES, (c, a) -> FindJson.indexList(db(c, a, Access.QUERY_INDEX).indexes()));
        d.on(Op.MANGO_DELETE_INDEX, (c, a) -> {
            db(c, a, Access.DB_ADMIN).deleteIndex(requireText(a, "ddoc"), requireText(a, "name"));
            return NullNode.instance;
        });
        d.on(Op.MANGO_BULK_DELETE_INDEXES, (c, a) -> FindJson.bulkDeleteResult(db(c, a, Access.DB_ADMIN)
                .bulkDeleteIndexes(Values.strings(a.path("ddocs")))));

        // ---- views
        d.onStream(Op.VIEW_QUERY, (c, a, s) -> {
            String partition = Values.text(a, "partition");
            Database db = db(c, a, partition == null ? Access.QUERY_VIEW : Access.READ);
            String ddoc = requireText(a, "ddoc");
            String view = requireText(a, "view");
            var query = ViewJson.query(a.path("query"));
            StreamedRows rows = new StreamedRows(s);
            if (partition == null) {
                db.query(ddoc, view, query, rows.viewSink());
            } else {
                db.partition(partition).query(ddoc, view, query, rows.viewSink());
            }
            rows.finish();
            return NullNode.instance;
        });
        d.on(Op.VIEW_INFO, (c, a) -> ViewJson.info(db(c, a, Access.READ).viewInfo(requireText(a, "ddoc"))));
        d.on(Op.VIEW_CLEANUP, (c, a) -> {
            db(c, a, Access.DB_ADMIN).viewCleanup();
            return NullNode.instance;
        });
    }
}
