package dev.arbor.server.find;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.api.Database;
import dev.arbor.api.find.IndexBulkDeleteResult;
import dev.arbor.api.find.IndexInfo;
import dev.arbor.api.find.IndexResult;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import dev.arbor.server.endpoint.ServerContext;
import dev.arbor.server.http.Access;
import dev.arbor.server.http.HttpExchange;
import dev.arbor.server.http.RequestPath;
import dev.arbor.server.http.Route;
import dev.arbor.server.http.Router;
import dev.arbor.wire.CouchJson;
import dev.arbor.wire.find.FindJson;

import java.util.ArrayList;
import java.util.List;

/**
 * The Mango endpoints. Creating and deleting an index writes a design document, so it needs the database
 * admin's rights, as in CouchDB; querying and listing need read access.
 */
public final class FindEndpoints {
    private final ServerContext context;

    public FindEndpoints(ServerContext context) {
        this.context = context;
    }

    public void register(Router router) {
        router.databaseAction("_find", new Route().post(Access.QUERY_INDEX, this::find));
        router.databaseAction("_explain", new Route().post(Access.QUERY_INDEX, this::explain));
        router.databaseAction("_index", new Route()
                .get(Access.QUERY_INDEX, this::listIndexes)
                .post(Access.DB_ADMIN, this::createIndex)
                .on("DELETE", Access.DB_ADMIN, this::deleteIndex));
    }

    private void find(HttpExchange exchange) {
        exchange.requireJsonContentType();
        Database db = context.database(exchange);
        FindResponse response = new FindResponse();
        db.find(FindJson.request(exchange.readJson()), response);
        exchange.sendJsonBytes(200, response.bytes());
    }

    private void explain(HttpExchange exchange) {
        exchange.requireJsonContentType();
        Database db = context.database(exchange);
        exchange.sendJson(200, FindJson.explain(db.explain(FindJson.request(exchange.readJson()))));
    }

    private void createIndex(HttpExchange exchange) {
        if (exchange.path().size() == 3 && exchange.path().segment(2).equals("_bulk_delete")) {
            bulkDeleteIndexes(exchange);
            return;
        }
        requireNoSubpath(exchange);
        exchange.requireJsonContentType();
        Database db = context.database(exchange);
        IndexResult result = db.createIndex(FindJson.indexDefinition(exchange.readJson()));
        exchange.sendJson(200, FindJson.indexResult(result));
    }

    /** {@code GET /{db}/_index}, with CouchDB's {@code limit} and {@code skip} over the list. */
    private void listIndexes(HttpExchange exchange) {
        requireNoSubpath(exchange);
        Database db = context.database(exchange);
        List<IndexInfo> indexes = db.indexes();
        int total = indexes.size();
        long skip = exchange.query().positiveInteger("skip", 0);
        long limit = exchange.query().positiveInteger("limit", -1);
        List<IndexInfo> page = indexes.stream().skip(skip).limit(limit < 0 ? Long.MAX_VALUE : limit).toList();
        var body = FindJson.indexList(page);
        body.put("total_rows", total);
        exchange.sendJson(200, body);
    }

    /**
     * {@code POST /{db}/_index/_bulk_delete} with {@code {"docids": [...], "w": n}}: answers
     * {@code {"success": [{"id", "ok": true}], "fail": [{"id", "error"}]}} ({@link FindJson#bulkDeleteResult}).
     * A design document is deleted from only when it holds one index ({@link Database#bulkDeleteIndexes}).
     * {@code w} is validated and otherwise meaningless on one node.
     */
    private void bulkDeleteIndexes(HttpExchange exchange) {
        exchange.requireJsonContentType();
        JsonNode body = exchange.readJson();
        if (body == null || !body.isObject()) {
            throw new ArborException.BadRequest("bad_request", "Request body must be a JSON object");
        }
        JsonNode docids = body.get("docids");
        if (docids == null) {
            throw new ArborException.BadRequest("missing_required_key", "Missing required key: docids");
        }
        List<String> ddocs = new ArrayList<>();
        if (docids.isArray()) {
            docids.forEach(id -> ddocs.add(id.isTextual() ? id.textValue() : null));
        }
        if (!docids.isArray() || ddocs.contains(null)) {
            throw new ArborException.BadRequest("invalid_bulk_docids",
                    "Bulk Delete requires an array of non-null docids. Docids: " + Json.text(docids));
        }
        JsonNode w = body.get("w");
        if (w != null && !(w.isIntegralNumber() && w.asLong() > 0)) {
            throw new ArborException.BadRequest("invalid_value", "Invalid value for w: " + Json.text(w));
        }
        IndexBulkDeleteResult result = context.database(exchange).bulkDeleteIndexes(ddocs);
        exchange.sendJson(200, FindJson.bulkDeleteResult(result));
    }

    /** {@code DELETE /{db}/_index/{ddoc}/json/{name}}; the ddoc with or without its {@code _design/} segment. */
    private void deleteIndex(HttpExchange exchange) {
        RequestPath path = exchange.path();
        if (path.size() == 3 && path.segment(2).equals("_bulk_delete")) {
            throw new dev.arbor.server.http.HttpError(405, "method_not_allowed", "Only POST allowed",
                    java.util.Map.of("Allow", "POST"));
        }
        List<String> rest = new java.util.ArrayList<>();
        for (int i = 2; i < path.size(); i++) {
            rest.add(path.segment(i));
        }
        if (rest.size() == 4 && path.raw(2).equals("_design")) {
            rest = List.of("_design/" + rest.get(1), rest.get(2), rest.get(3));
        }
        if (rest.size() != 3) {
            throw new dev.arbor.server.http.HttpError(405, "method_not_allowed", "Only GET,HEAD,POST allowed");
        }
        // "array" is how GET /_index lists an array-element index (an Arbor extension), and a type POST /_index takes.
        if (!rest.get(1).equals("json") && !rest.get(1).equals("array")) {
            throw new ArborException.BadRequest("invalid_index", "Invalid type for index: " + rest.get(1));
        }
        Database db = context.database(exchange);
        db.deleteIndex(rest.get(0), rest.get(2));
        exchange.sendJson(200, CouchJson.ok());
    }

    /** {@code /_index/...} deeper paths take only DELETE. */
    private static void requireNoSubpath(HttpExchange exchange) {
        if (exchange.path().size() > 2) {
            throw new dev.arbor.server.http.HttpError(405, "method_not_allowed", "Only DELETE allowed",
                    java.util.Map.of("Allow", "DELETE"));
        }
    }
}
