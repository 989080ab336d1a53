package dev.arbor.server.endpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import dev.arbor.server.NodeConfig;
import dev.arbor.server.http.Access;
import dev.arbor.server.http.HttpError;
import dev.arbor.server.http.HttpExchange;
import dev.arbor.server.http.RequestPath;
import dev.arbor.server.http.RequestStats;
import dev.arbor.server.http.Route;
import dev.arbor.server.http.Router;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;

/**
 * The single node Arbor is, in CouchDB's cluster endpoints: {@code /_membership}, {@code /_node/{node}} (its
 * name), {@code /_node/{node}/_config[/section[/key]]} (read, set, delete: {@code arbor.ini}) and
 * {@code /_node/{node}/_stats[/...]} (the HTTP counters). {@code {node}} is {@code _local} or the node's name.
 * All for server admins, as in CouchDB (which also lets a metrics user read {@code _stats}, and says so when it
 * refuses; Arbor has no metrics user).
 */
public final class NodeEndpoints {
    /** Tells a client whether a value set over HTTP took effect ({@link NodeConfig.Applies}). */
    public static final String APPLIES_HEADER = "X-Arbor-Config-Applies";

    private final String nodeName;
    private final NodeConfig config;
    private final RequestStats stats;

    public NodeEndpoints(String nodeName, NodeConfig config, RequestStats stats) {
        this.nodeName = nodeName;
        this.config = config;
        this.stats = stats;
    }

    public void register(Router router) {
        router.server("_membership", new Route().get(Access.SERVER_ADMIN, ex -> {
            ObjectNode body = Json.object();
            body.putArray("all_nodes").add(nodeName);
            body.putArray("cluster_nodes").add(nodeName);
            ex.sendJson(200, body);
        }));
        router.server("_node", new Route()
                .get(Access.SERVER_ADMIN, this::node)
                .put(Access.SERVER_ADMIN, this::node)
                .delete(Access.SERVER_ADMIN, this::node));
    }

    private void node(HttpExchange ex) throws IOException {
        RequestPath path = ex.path();
        if (path.size() < 2) {
            throw new ArborException.NotFound("missing");
        }
        String node = path.segment(1);
        if (!node.equals("_local") && !node.equals(nodeName)) {
            throw new ArborException.NotFound("no such node: " + node);
        }
        if (path.size() == 2) {
            onlyGet(ex);
            ex.sendJson(200, Json.object().put("name", nodeName));
            return;
        }
        switch (path.raw(2)) {
            case "_config" -> config(ex, path);
            case "_stats" -> stats(ex, path);
            default -> throw new ArborException.NotFound("missing");
        }
    }

    private static void onlyGet(HttpExchange ex) {
        if (!ex.method().equals("GET")) {
            throw new HttpError(405, "method_not_allowed", "Only GET allowed", Map.of("Allow", "GET"));
        }
    }

    private void config(HttpExchange ex, RequestPath path) throws IOException {
        switch (path.size()) {
            case 3 -> {
                onlyGet(ex);
                ex.sendJson(200, Json.MAPPER.valueToTree(config.all()));
            }
            case 4 -> {
                onlyGet(ex);
                ex.sendJson(200, Json.MAPPER.valueToTree(config.all().getOrDefault(path.segment(3), Map.of())));
            }
            case 5 -> configValue(ex, path.segment(3), path.segment(4));
            default -> throw new ArborException.NotFound("missing");
        }
    }

    /** GET a value; PUT a JSON string, answering the old value ({@code ""} when new); DELETE, answering the old one. */
    private void configValue(HttpExchange ex, String section, String key) throws IOException {
        switch (ex.method()) {
            case "GET" -> ex.sendJson(200, Json.MAPPER.getNodeFactory().textNode(config.get(section, key)
                    .orElseThrow(() -> new ArborException.NotFound("unknown_config_value"))));
            case "PUT" -> {
                String value = jsonStringBody(ex);
                Optional<String> old = config.set(section, key, value);
                ex.setHeader(APPLIES_HEADER, config.applies(section, key).headerValue());
                ex.sendJson(200, Json.MAPPER.getNodeFactory().textNode(old.orElse("")));
            }
            case "DELETE" -> {
                Optional<String> old = config.delete(section, key);
                ex.sendJson(200, Json.MAPPER.getNodeFactory().textNode(old
                        .orElseThrow(() -> new ArborException.NotFound("unknown_config_value"))));
            }
            default -> throw new HttpError(405, "method_not_allowed", "Only GET,PUT,DELETE allowed",
                    Map.of("Allow", "GET,PUT,DELETE"));
        }
    }

    private static String jsonStringBody(HttpExchange ex) throws IOException {
        byte[] bytes;
        try (InputStream in = ex.body()) {
            bytes = in.readAllBytes();
        }
        if (bytes.length == 0 && ex.header("Content-Length") == null && ex.header("Transfer-Encoding") == null) {
            throw new ArborException.BadRequest("bad_request", "Missing request body");
        }
        JsonNode value;
        try {
            // An empty body that was sent (Content-Length: 0) is CouchDB's invalid JSON, not a missing one.
            value = bytes.length == 0 ? null : Json.MAPPER.readTree(bytes);
            if (value == null) {
                throw new IOException("empty");
            }
        } catch (IOException | RuntimeException e) {
            throw new ArborException.BadRequest("bad_request", "invalid UTF-8 JSON");
        }
        if (value == null || !value.isTextual()) {
            throw new ArborException.BadRequest("bad_request", "a JSON string expected");
        }
        return value.textValue();
    }

    /** The whole tree, or the part a deeper path names ({@code /_stats/couchdb/httpd/requests}). */
    private void stats(HttpExchange ex, RequestPath path) {
        onlyGet(ex);
        JsonNode node = stats.toJson();
        for (int i = 3; i < path.size() && node != null; i++) {
            node = node.get(path.segment(i));
        }
        ex.sendJson(200, node == null ? Json.MAPPER.nullNode() : node);
    }
}
