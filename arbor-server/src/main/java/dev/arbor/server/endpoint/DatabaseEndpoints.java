package dev.arbor.server.endpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.Database;
import dev.arbor.api.PurgeResult;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import dev.arbor.server.http.Access;
import dev.arbor.server.http.HttpExchange;
import dev.arbor.server.http.Route;
import dev.arbor.server.http.Router;
import dev.arbor.wire.CouchJson;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A database itself: {@code PUT/GET/HEAD/DELETE /{db}}, and its maintenance paths
 * {@code _compact}, {@code _ensure_full_commit}, {@code _purge}, {@code _security}, {@code _revs_limit}.
 * {@code POST /{db}} (a new document) is in {@link DocumentEndpoints}.
 */
public final class DatabaseEndpoints {
    private final ServerContext context;

    public DatabaseEndpoints(ServerContext context) {
        this.context = context;
    }

    /** Registers every route but {@code POST /{db}}, which {@code documents} adds to {@code databaseRoute}. */
    public void register(Router router, Route databaseRoute) {
        databaseRoute
                .get(Access.READ, this::info)
                .put(Access.CREATE_DATABASE, this::create)
                .delete(Access.DELETE_DATABASE, this::delete);
        router.databaseAction("_compact", new Route().post(Access.COMPACT, this::compact));
        router.databaseAction("_ensure_full_commit", new Route().post(Access.WRITE, this::ensureFullCommit));
        router.databaseAction("_purge", new Route().post(Access.DB_ADMIN, this::purge));
        router.databaseAction("_security", new Route()
                .get(Access.READ, ex -> ex.sendJson(200, context.database(ex).getSecurity()))
                .put(Access.DB_ADMIN, this::putSecurity));
        router.databaseAction("_revs_limit", new Route()
                .get(Access.READ, ex -> ex.sendJson(200, Json.MAPPER.getNodeFactory().numberNode(context.database(ex).revsLimit())))
                .put(Access.DB_ADMIN, this::putRevsLimit));
    }

    private void info(HttpExchange exchange) {
        exchange.sendJson(200, CouchJson.dbInfo(context.database(exchange).info()));
    }

    /** 201 with a Location, 412 {@code file_exists}, 400 {@code illegal_database_name}; {@code ?partitioned=true} as CouchDB. */
    private void create(HttpExchange exchange) {
        String partitioned = exchange.query().string("partitioned");
        if (partitioned != null && !partitioned.equals("true") && !partitioned.equals("false")) {
            throw new ArborException.BadRequest("bad_request", "Invalid `partitioned` parameter");
        }
        context.storage().createDatabase(exchange.db(), "true".equals(partitioned));
        exchange.setHeader("Location", exchange.baseUrl() + "/" + DocumentEndpoints.encode(exchange.db()));
        exchange.sendJson(201, CouchJson.ok());
    }

    private void delete(HttpExchange exchange) {
        if (exchange.query().has("rev")) {
            // CouchDB's guard against a DELETE meant for a document that lost its id on the way.
            throw new ArborException.BadRequest("bad_request", "You tried to DELETE a database with a ?rev= parameter. "
                    + "Did you mean to DELETE a document instead?");
        }
        context.storage().deleteDatabase(exchange.db());
        exchange.sendJson(200, CouchJson.ok());
    }

    /**
     * 202 as in CouchDB. Arbor compacts before answering rather than in the background: the work is
     * bounded by the database's size, and a finished compaction cannot race a shutdown that closes the storage.
     */
    private void compact(HttpExchange exchange) {
        exchange.requireJsonContentType();
        Database db = context.database(exchange);
        db.compact();
        exchange.sendJson(202, CouchJson.ok());
    }

    /** Every commit is already durable (or deliberately relaxed), so there is nothing left to flush. */
    private void ensureFullCommit(HttpExchange exchange) {
        exchange.requireJsonContentType();
        context.database(exchange);
        exchange.sendJson(201, CouchJson.ok().put("instance_start_time", "0"));
    }

    /** {@code {"id":["rev",...]}} → 201 {@code {"purge_seq":N,"purged":{"id":["rev",...]}}}. */
    private void purge(HttpExchange exchange) {
        exchange.requireJsonContentType();
        Database db = context.database(exchange);
        Map<String, List<String>> request = revsById(exchange.readJsonObject());
        PurgeResult result = db.purge(request);
        ObjectNode body = Json.object().put("purge_seq", result.purgeSeq());
        body.set("purged", Json.MAPPER.valueToTree(result.purged()));
        exchange.sendJson(201, body);
    }

    /** The {@code {"docid":["rev",...]}} body of {@code _purge}, {@code _revs_diff} and {@code _missing_revs}. */
    static Map<String, List<String>> revsById(ObjectNode body) {
        Map<String, List<String>> revs = new LinkedHashMap<>();
        for (var it = body.fields(); it.hasNext(); ) {
            var field = it.next();
            if (!field.getValue().isArray()) {
                throw new ArborException.BadRequest("bad_request", "Expected a list of revisions for " + field.getKey());
            }
            List<String> list = new ArrayList<>();
            for (JsonNode rev : field.getValue()) {
                if (!rev.isTextual()) {
                    throw new ArborException.BadRequest("bad_request", "Revisions must be strings");
                }
                list.add(rev.textValue());
            }
            revs.put(field.getKey(), list);
        }
        return revs;
    }

    private void putSecurity(HttpExchange exchange) {
        Database db = context.database(exchange);
        db.setSecurity(exchange.readJsonObject());
        exchange.sendJson(200, CouchJson.ok());
    }

    private void putRevsLimit(HttpExchange exchange) {
        Database db = context.database(exchange);
        JsonNode body = exchange.readJson();
        if (!body.canConvertToInt() || !body.isIntegralNumber() || body.intValue() <= 0) {
            throw new ArborException.BadRequest("bad_request", "`revs_limit` must be a positive integer");
        }
        db.setRevsLimit(body.intValue());
        exchange.sendJson(200, CouchJson.ok());
    }
}
