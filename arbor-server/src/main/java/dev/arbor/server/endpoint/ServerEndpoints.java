package dev.arbor.server.endpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import dev.arbor.server.http.Access;
import dev.arbor.server.http.AccessRule;
import dev.arbor.server.http.HttpExchange;
import dev.arbor.server.http.Route;
import dev.arbor.server.http.Router;
import dev.arbor.wire.CouchJson;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

/**
 * Server-level endpoints: {@code GET /}, {@code /_up}, {@code /_all_dbs}, {@code /_dbs_info},
 * {@code /_uuids}, {@code /_active_tasks}, {@code /_db_updates} ({@link DbUpdates}).
 */
public final class ServerEndpoints {
    /**
     * The CouchDB release whose HTTP behaviour Arbor follows (its answers are checked against it), reported as
     * {@code version} by {@code GET /}: clients read it to decide which CouchDB features to use. Arbor's own
     * name and version are under {@code vendor}.
     */
    public static final String COUCHDB_API_VERSION = "3.5.0";

    /**
     * The {@code features} of CouchDB 3.5's welcome that Arbor has: partitioned databases and the replication
     * scheduler's endpoints. Not {@code quickjs} (design functions run on Rhino), {@code reshard},
     * {@code pluggable-storage-engines} or {@code access-ready}.
     */
    static final List<String> FEATURES = List.of("partitioned", "scheduler");

    /** CouchDB's default {@code [uuids] max_count}. */
    static final int MAX_UUIDS = 1000;

    /** CouchDB's default {@code [chttpd] max_db_number_for_dbs_info_req}. */
    static final int MAX_DBS_INFO_KEYS = 100;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final ServerContext context;

    private final DbUpdates dbUpdates;

    public ServerEndpoints(ServerContext context) {
        this(context, null);
    }

    /** @param dbUpdates the log {@code /_db_updates} answers from; null leaves the endpoint out */
    public ServerEndpoints(ServerContext context, DbUpdates dbUpdates) {
        this.context = context;
        this.dbUpdates = dbUpdates;
    }

    public void register(Router router) {
        router.root(new Route().on("GET", AccessRule.PUBLIC, this::welcome));
        router.server("_up", new Route().on("GET", AccessRule.PUBLIC,
                ex -> {
                    // CouchDB 3.5 adds the cluster seeds it knows of; a single Arbor node has none.
                    ObjectNode up = Json.object().put("status", "ok");
                    up.putObject("seeds");
                    ex.sendJson(200, up);
                }));
        // CouchDB 3 lists databases to server admins only by default (admin_only_all_dbs = true).
        router.server("_all_dbs", new Route().get(Access.LIST_DATABASES, this::allDbs));
        router.server("_dbs_info", new Route()
                .get(Access.SERVER_ADMIN, this::allDbsInfo)
                .post(Access.SERVER_ADMIN, this::dbsInfo));
        router.server("_uuids", new Route().on("GET", AccessRule.PUBLIC, this::uuids));
        router.server("_active_tasks", new Route().get(Access.SERVER_ADMIN,
                ex -> ex.sendJson(200, Json.MAPPER.createArrayNode())));
        if (dbUpdates != null) {
            router.server("_db_updates", new Route()
                    .get(Access.SERVER_ADMIN, dbUpdates::handle)
                    .post(Access.SERVER_ADMIN, dbUpdates::handle));
        }
    }

    private void welcome(HttpExchange exchange) {
        ObjectNode body = Json.object()
                .put("couchdb", "Welcome")
                .put("version", COUCHDB_API_VERSION)
                .put("uuid", context.uuid());
        FEATURES.forEach(body.putArray("features")::add);
        body.putObject("vendor").put("name", "Arbor").put("version", context.version());
        exchange.sendJson(200, body);
    }

    private void allDbs(HttpExchange exchange) {
        exchange.sendJson(200, Json.MAPPER.valueToTree(selectNames(exchange)));
    }

    /** {@code _all_dbs} options: startkey/endkey (JSON strings), descending, skip, limit, inclusive_end. */
    private List<String> selectNames(HttpExchange exchange) {
        var query = exchange.query();
        boolean descending = query.bool("descending", false);
        String start = jsonString(query.json("startkey", "start_key"), "startkey");
        String end = jsonString(query.json("endkey", "end_key"), "endkey");
        boolean inclusiveEnd = query.bool("inclusive_end", true);
        long skip = query.positiveInteger("skip", 0);
        long limit = query.positiveInteger("limit", Long.MAX_VALUE);
        List<String> names = new java.util.ArrayList<>(context.storage().listDatabases());
        if (descending) {
            java.util.Collections.reverse(names);
        }
        int sign = descending ? -1 : 1;
        return names.stream()
                .filter(n -> start == null || sign * n.compareTo(start) >= 0)
                .filter(n -> end == null || (inclusiveEnd ? sign * n.compareTo(end) <= 0 : sign * n.compareTo(end) < 0))
                .skip(skip).limit(limit).toList();
    }

    private static String jsonString(JsonNode node, String name) {
        if (node == null) {
            return null;
        }
        if (!node.isTextual()) {
            throw new ArborException.BadRequest("query_parse_error", "`" + name + "` must be a JSON string");
        }
        return node.textValue();
    }

    private void allDbsInfo(HttpExchange exchange) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (String name : selectNames(exchange)) {
            out.add(dbInfoEntry(name));
        }
        exchange.sendJson(200, out);
    }

    /** {@code POST /_dbs_info {"keys":[...]}}: one entry per name, in order, with its info or {@code not_found}. */
    private void dbsInfo(HttpExchange exchange) {
        exchange.requireJsonContentType();
        JsonNode keys = exchange.readJsonObject().get("keys");
        if (keys == null) {
            throw new ArborException.BadRequest("bad_request", "`keys` member must exist.");
        }
        if (!keys.isArray()) {
            throw new ArborException.BadRequest("bad_request", "`keys` member must be an array.");
        }
        if (keys.size() > MAX_DBS_INFO_KEYS) {
            throw new ArborException.BadRequest("bad_request", "`keys` member must be less than or equal to "
                    + MAX_DBS_INFO_KEYS);
        }
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (JsonNode key : keys) {
            out.add(dbInfoEntry(key.asText()));
        }
        exchange.sendJson(200, out);
    }

    private ObjectNode dbInfoEntry(String name) {
        ObjectNode entry = Json.object().put("key", name);
        try {
            entry.set("info", CouchJson.dbInfo(context.storage().database(name).info()));
        } catch (ArborException.NotFound e) {
            entry.put("error", "not_found");
        }
        return entry;
    }

    /** {@code GET /_uuids?count=N}: random 128-bit ids as 32 hex digits, never cached. */
    private void uuids(HttpExchange exchange) {
        String countText = exchange.query().string("count");
        int count;
        try {
            count = countText == null ? 1 : Integer.parseInt(countText);
        } catch (NumberFormatException e) {
            throw new ArborException.BadRequest("bad_request", "count must be a positive integer");
        }
        if (count < 0) {
            throw new ArborException.BadRequest("bad_request", "count must be a positive integer");
        }
        if (count > MAX_UUIDS) {
            throw new ArborException.BadRequest("bad_request", "count parameter too large");
        }
        ObjectNode body = Json.object();
        ArrayNode list = body.putArray("uuids");
        byte[] bytes = new byte[16];
        for (int i = 0; i < count; i++) {
            RANDOM.nextBytes(bytes);
            list.add(HexFormat.of().formatHex(bytes));
        }
        exchange.setHeader("Cache-Control", "must-revalidate, no-cache");
        exchange.setHeader("Pragma", "no-cache");
        exchange.sendJson(200, body);
    }
}
