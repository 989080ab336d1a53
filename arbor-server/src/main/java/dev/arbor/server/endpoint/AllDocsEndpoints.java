package dev.arbor.server.endpoint;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.AllDocsOptions;
import dev.arbor.api.AllDocsRow;
import dev.arbor.api.AllDocsSink;
import dev.arbor.api.Database;
import dev.arbor.api.GetOptions;
import dev.arbor.api.Seq;
import dev.arbor.core.error.ArborException;
import dev.arbor.server.http.Access;
import dev.arbor.server.http.HttpExchange;
import dev.arbor.server.http.QueryParams;
import dev.arbor.server.http.Route;
import dev.arbor.server.http.Router;
import dev.arbor.wire.AllDocsJsonWriter;
import dev.arbor.wire.CouchJson;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * {@code _all_docs}, {@code _design_docs} and {@code _local_docs}, GET and POST (with {@code {"keys":[...]}}).
 * Rows are written as the engine reads them, never collected.
 */
public final class AllDocsEndpoints {
    private static final String DESIGN_START = "_design/";
    // '0' follows '/': every "_design/..." id sorts below this.
    private static final String DESIGN_END = "_design0";

    private enum Kind { ALL, DESIGN, LOCAL }

    private final ServerContext context;

    public AllDocsEndpoints(ServerContext context) {
        this.context = context;
    }

    public void register(Router router) {
        router.databaseAction("_all_docs", route(Kind.ALL));
        router.databaseAction("_design_docs", route(Kind.DESIGN));
        router.databaseAction("_local_docs", route(Kind.LOCAL));
    }

    private Route route(Kind kind) {
        return new Route()
                .get(Access.READ, ex -> answer(ex, kind, null))
                .post(Access.READ, ex -> answer(ex, kind, keysFromBody(ex)));
    }

    private static List<String> keysFromBody(HttpExchange exchange) {
        JsonNode keys = exchange.readJsonObject().get("keys");
        if (keys == null) {
            return null;
        }
        if (!keys.isArray()) {
            throw new ArborException.BadRequest("bad_request", "`keys` member must be an array.");
        }
        return keysList(keys);
    }

    private static List<String> keysList(JsonNode keys) {
        try {
            return QueryParams.stringList(keys, "keys");
        } catch (ArborException e) {
            // Document ids are strings; CouchDB would answer not_found rows for other keys.
            throw new ArborException.BadRequest("query_parse_error", "`keys` must be an array of document ids (strings)");
        }
    }

    private void answer(HttpExchange exchange, Kind kind, List<String> bodyKeys) throws IOException {
        Database db = context.database(exchange);
        AllDocsOptions options = options(exchange.query(), bodyKeys, kind);
        exchange.streamJson(200, generator -> {
            if (kind == Kind.LOCAL) {
                LocalDocsJsonWriter writer = new LocalDocsJsonWriter(generator, options.includeDocs());
                db.localDocs(options, writer);
                writer.finish();
            } else {
                AllDocsJsonWriter writer = new AllDocsJsonWriter(generator, options.includeDocs());
                boolean inlineAttachments = options.includeDocs() && exchange.query().bool("attachments", false);
                db.allDocs(options, inlineAttachments ? withAttachmentData(db, writer, options.conflicts()) : writer);
                writer.finish();
            }
        });
    }

    /**
     * The {@code _all_docs} options of a request (its query, and for a POST the body's {@code keys}), for other
     * endpoints that answer {@code _all_docs} over part of a database.
     */
    public static AllDocsOptions allDocsOptions(HttpExchange exchange) {
        List<String> bodyKeys = exchange.method().equals("POST") ? keysFromBody(exchange) : null;
        return options(exchange.query(), bodyKeys, Kind.ALL);
    }

    /**
     * {@code attachments=true} with {@code include_docs}: each doc that has attachments is read again at its
     * row's revision with the data inline (base64), as CouchDB sends it. The engine's rows carry stubs only,
     * and this option is rare enough that the second read costs nothing on the usual path.
     */
    private static AllDocsSink withAttachmentData(Database db, AllDocsSink next, boolean conflicts) {
        return new AllDocsSink() {
            @Override
            public void begin(long totalRows, long offset, Seq updateSeq) {
                next.begin(totalRows, offset, updateSeq);
            }

            @Override
            public void row(AllDocsRow row) {
                if (row.doc() == null || !row.doc().has("_attachments")) {
                    next.row(row);
                    return;
                }
                ObjectNode doc = db.get(row.id(), GetOptions.DEFAULT.rev(row.rev()).attachments(true).conflicts(conflicts));
                next.row(new AllDocsRow(row.id(), row.key(), row.rev(), row.deleted(), doc, row.error()));
            }
        };
    }

    /** CouchDB's {@code _all_docs} parameters, with their aliases and checks. */
    static AllDocsOptions options(QueryParams query, List<String> bodyKeys, Kind kind) {
        boolean descending = query.bool("descending", false);
        List<String> keys = bodyKeys;
        JsonNode queryKeys = query.json("keys");
        if (queryKeys != null) {
            keys = keysList(queryKeys);
        }
        JsonNode key = query.json("key");
        JsonNode start = query.json("startkey", "start_key");
        JsonNode end = query.json("endkey", "end_key");
        if (keys != null && (key != null || start != null || end != null)) {
            throw new ArborException.BadRequest("query_parse_error",
                    "`keys` is incompatible with `key`, `start_key` and `end_key`");
        }
        AllDocsOptions options = AllDocsOptions.DEFAULT
                .descending(descending)
                .inclusiveEnd(query.bool("inclusive_end", true))
                .skip(query.positiveInteger("skip", 0))
                .limit(query.positiveInteger("limit", -1))
                .includeDocs(query.bool("include_docs", false))
                .conflicts(query.bool("conflicts", false))
                .updateSeq(query.bool("update_seq", false));
        if (keys != null) {
            return options.keys(keys);
        }
        if (key != null) {
            // A non-string key can never equal an id: no rows.
            return key.isTextual() ? options.key(key.textValue()) : options.keys(List.of());
        }
        Bound from = Bound.of(start, true, descending);
        Bound to = Bound.of(end, false, descending);
        if (from.empty() || to.empty()) {
            return options.keys(List.of());
        }
        String startId = from.id();
        String endId = to.id();
        if (kind == Kind.DESIGN) {
            startId = startId != null ? startId : descending ? DESIGN_END : DESIGN_START;
            endId = endId != null ? endId : descending ? DESIGN_START : DESIGN_END;
        }
        // A reversed range is no error here, unlike in a view: CouchDB's _all_docs answers it with no rows.
        return options.startkey(startId).endkey(endId);
    }

    /**
     * A range end given as JSON. Ids are strings, and in CouchDB's collation null, booleans and numbers
     * sort before every string and arrays and objects after: such a bound either drops out (no limit on
     * that side) or excludes every id.
     */
    private record Bound(String id, boolean empty) {
        static Bound of(JsonNode node, boolean isStart, boolean descending) {
            if (node == null || node.isTextual()) {
                return new Bound(node == null ? null : node.textValue(), false);
            }
            boolean sortsBeforeStrings = !(node.isArray() || node.isObject());
            // Ascending, a start below all strings or an end above them is no limit; descending, the reverse.
            boolean noLimit = isStart != descending ? sortsBeforeStrings : !sortsBeforeStrings;
            return new Bound(null, !noLimit);
        }
    }

    /** {@code _local_docs}: as {@code _all_docs}, but CouchDB 3 reports {@code total_rows} and {@code offset} as null. */
    private static final class LocalDocsJsonWriter implements AllDocsSink {
        private final JsonGenerator out;
        private final boolean includeDocs;

        LocalDocsJsonWriter(JsonGenerator out, boolean includeDocs) {
            this.out = out;
            this.includeDocs = includeDocs;
        }

        @Override
        public void begin(long totalRows, long offset, Seq updateSeq) {
            try {
                out.writeStartObject();
                out.writeNullField("total_rows");
                out.writeNullField("offset");
                out.writeArrayFieldStart("rows");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void row(AllDocsRow row) {
            try {
                out.writeTree(CouchJson.allDocsRow(row, includeDocs));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void finish() throws IOException {
            out.writeEndArray();
            out.writeEndObject();
        }
    }
}
