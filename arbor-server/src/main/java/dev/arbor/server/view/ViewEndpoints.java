package dev.arbor.server.view;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.api.Database;
import dev.arbor.api.Seq;
import dev.arbor.api.view.ViewQuery;
import dev.arbor.core.error.ArborException;
import dev.arbor.server.endpoint.ServerContext;
import dev.arbor.server.http.Access;
import dev.arbor.server.http.HttpError;
import dev.arbor.server.http.HttpExchange;
import dev.arbor.server.http.RequestPath;
import dev.arbor.server.http.Route;
import dev.arbor.server.http.Router;
import dev.arbor.wire.CouchJson;
import dev.arbor.wire.view.ViewJson;
import dev.arbor.wire.view.ViewJsonWriter;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.view.ViewRow;
import dev.arbor.api.view.ViewSink;
import dev.arbor.core.json.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * JavaScript views over HTTP, in CouchDB's shapes:
 * <pre>
 *   GET|POST /{db}/_design/{ddoc}/_view/{view}            rows (POST: {"keys": [...]} and any parameter)
 *   POST     /{db}/_design/{ddoc}/_view/{view}/queries    {"queries": [{...}, ...]} → {"results": [...]}
 *   GET      /{db}/_design/{ddoc}/_info                   the index's state
 *   POST     /{db}/_view_cleanup                          drops indexes no design document defines
 * </pre>
 * Answers are streamed as the index is read. Queries need read access, cleanup the database admin's.
 */
public final class ViewEndpoints {
    private final ServerContext context;

    public ViewEndpoints(ServerContext context) {
        this.context = context;
    }

    public void register(Router router) {
        router.designAction("_view", new Route()
                .get(Access.QUERY_VIEW, ex -> view(ex, false))
                .post(Access.QUERY_VIEW, ex -> view(ex, true)));
        router.designAction("_info", new Route().get(Access.READ, this::info));
        router.databaseAction("_view_cleanup", new Route().post(Access.DB_ADMIN, this::cleanup));
    }

    /** {@code [db, _design, ddoc, _view, view(, queries)]}. */
    private void view(HttpExchange exchange, boolean post) throws IOException {
        RequestPath path = exchange.path();
        if (path.size() == 6 && path.raw(5).equals("queries")) {
            if (!post) {
                throw new HttpError(405, "method_not_allowed", "Only POST allowed", Map.of("Allow", "POST"));
            }
            queries(exchange, path.segment(4));
            return;
        }
        if (path.size() != 5) {
            throw new ArborException.NotFound("missing");
        }
        Database db = context.database(exchange);
        String ddoc = exchange.docId();
        String view = path.segment(4);
        answer(exchange, post, (query, sink) -> db.query(ddoc, view, query, sink));
    }

    /**
     * Reads a view query from the request (its URL parameters, and a POST's JSON body), runs it and streams the
     * answer: the global {@code _view} above and the partition's ({@code PartitionEndpoints}).
     */
    public static void answer(HttpExchange exchange, boolean post,
                              java.util.function.BiConsumer<ViewQuery, ViewSink> run) throws IOException {
        JsonNode body = null;
        if (post) {
            exchange.requireJsonContentType();
            body = exchange.readJsonObject();
        }
        ViewQuery query = ViewJson.query(exchange.query().asMap(), body);
        StreamedAnswer answer = new StreamedAnswer(exchange);
        run.accept(query, answer);
        answer.finish();
    }

    /**
     * Starts the response only when the query's header arrives, so every error the query raises before it (a
     * missing design document, CouchDB's query_parse_error) is still answered with its own status.
     */
    private static final class StreamedAnswer implements ViewSink {
        private final HttpExchange exchange;
        private JsonGenerator generator;
        private ViewJsonWriter writer;

        StreamedAnswer(HttpExchange exchange) {
            this.exchange = exchange;
        }

        @Override
        public void begin(long totalRows, long offset, Seq updateSeq) {
            try {
                generator = Json.MAPPER.getFactory().createGenerator(exchange.startBody(200, "application/json"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            writer = new ViewJsonWriter(generator);
            writer.begin(totalRows, offset, updateSeq);
        }

        @Override
        public void row(ViewRow row) {
            writer.row(row);
        }

        void finish() throws IOException {
            writer.finish();
            generator.writeRaw('\n');
            generator.close();
        }
    }

    private void queries(HttpExchange exchange, String view) throws IOException {
        exchange.requireJsonContentType();
        JsonNode queriesNode = exchange.readJsonObject().get("queries");
        if (queriesNode == null || !queriesNode.isArray()) {
            throw new ArborException.BadRequest("bad_request", "`queries` member must be an array.");
        }
        List<ViewQuery> queries = new ArrayList<>();
        for (JsonNode query : queriesNode) {
            if (!query.isObject()) {
                throw new ArborException.BadRequest("bad_request", "Each query must be a JSON object.");
            }
            queries.add(ViewJson.query(exchange.query().asMap(), query));
        }
        Database db = context.database(exchange);
        String ddoc = exchange.docId();
        // Collected first: an error in any query is the whole request's answer, as in CouchDB.
        ObjectNode answer = Json.object();
        ArrayNode results = answer.putArray("results");
        for (ViewQuery query : queries) {
            results.add(ViewJson.result(db.query(ddoc, view, query)));
        }
        exchange.sendJson(200, answer);
    }

    private void info(HttpExchange exchange) {
        if (exchange.path().size() != 4) {
            throw new ArborException.NotFound("missing");
        }
        Database db = context.database(exchange);
        exchange.sendJson(200, ViewJson.info(db.viewInfo(exchange.docId())));
    }

    private void cleanup(HttpExchange exchange) {
        exchange.requireJsonContentType();
        Database db = context.database(exchange);
        db.viewCleanup();
        exchange.sendJson(202, CouchJson.ok());
    }
}
