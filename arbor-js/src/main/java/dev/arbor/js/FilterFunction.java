package dev.arbor.js;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.core.json.Json;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A design document's {@code filters.<name>}: {@code filter(doc, req)} with {@code this} the design
 * document, for {@code _changes?filter=ddoc/name}. A document passes when the result is truthy, as in
 * CouchDB's filter.js. Thread-safe.
 */
public final class FilterFunction {
    private final SandboxPool pool;
    private final String name;

    FilterFunction(SandboxPool pool, String name) {
        this.pool = pool;
        this.name = name;
    }

    /**
     * Whether the document (its JSON text) passes. A JavaScript error fails the request with
     * {@link dev.arbor.core.error.ArborException.Internal}, as CouchDB answers 500 for it.
     *
     * @param request CouchDB's request object; {@link #request(Map, JsonNode)} builds one for _changes
     */
    public boolean matches(String docJson, JsonNode request) {
        String requestJson = new String(Json.bytes(request), StandardCharsets.UTF_8);
        return pool.with(sandbox -> sandbox.filter(name, docJson, requestJson));
    }

    public boolean matches(JsonNode doc, JsonNode request) {
        return matches(new String(Json.bytes(doc), StandardCharsets.UTF_8), request);
    }

    /**
     * The request object CouchDB gives a filter for a {@code GET _changes}: {@code query} holds the query
     * parameters as strings (so {@code req.query.type} works), {@code userCtx} who asks; the other members
     * CouchDB sends are present with neutral values.
     */
    public static ObjectNode request(Map<String, String> query, JsonNode userCtx) {
        ObjectNode request = Json.object();
        request.putNull("info");
        request.put("method", "GET");
        ObjectNode queryObject = request.putObject("query");
        query.forEach(queryObject::put);
        request.putObject("headers");
        request.put("body", "undefined");
        request.put("peer", "127.0.0.1");
        request.putObject("form");
        request.putObject("cookie");
        request.set("userCtx", userCtx);
        request.putObject("secObj");
        return request;
    }

    public String name() {
        return name;
    }
}
