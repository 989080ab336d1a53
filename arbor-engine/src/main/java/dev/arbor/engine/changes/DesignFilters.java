package dev.arbor.engine.changes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.ChangesOptions;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import dev.arbor.js.DesignDocFunctions;
import dev.arbor.js.FilterFunction;
import dev.arbor.js.JsOptions;
import dev.arbor.js.MapFunction;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Resolves a {@link ChangesOptions#filter()} of one database into a predicate over each change's winning
 * revision, with CouchDB's checks and error reasons (couch_changes:configure_filter): {@code ddoc/name} runs
 * the design document's {@code filters.name} with CouchDB's request object ({@code req.query} holds the
 * query parameters), {@code _view} with {@code view=ddoc/view} passes documents the view's map function
 * emits at least one row for.
 *
 * <p>Design documents are compiled once per revision (compiling takes milliseconds, and a replication
 * reads the feed with the same filter batch after batch). Thread-safe: readers of the feed on any thread
 * share the cache; compiled functions are thread-safe themselves.
 */
public final class DesignFilters {
    /** Past this many compiled design documents the cache starts over; design documents are few. */
    private static final int MAX_ENTRIES = 64;

    private final String dbName;
    private final JsOptions jsOptions;
    /** Compiled design documents by {@code id \0 rev}. */
    private final ConcurrentHashMap<String, DesignDocFunctions> compiled = new ConcurrentHashMap<>();

    public DesignFilters(String dbName, JsOptions jsOptions) {
        this.dbName = dbName;
        this.jsOptions = jsOptions;
    }

    /**
     * The predicate for {@code filter} (never null: call only with a filter).
     *
     * @param designDocs reads a design document by id ({@code _design/x}); throws {@code not_found} when missing
     */
    public Predicate<ObjectNode> resolve(String filter, Map<String, String> queryParams,
                                         Function<String, ObjectNode> designDocs) {
        if (filter.equals(ChangesOptions.VIEW_FILTER)) {
            return viewFilter(queryParams.get("view"), designDocs);
        }
        if (filter.startsWith("_")) {
            throw new ArborException.BadRequest("bad_request", "unknown builtin filter name");
        }
        String[] parts = designAndMember(filter);
        if (parts == null) {
            throw new ArborException.BadRequest("bad_request", "`filter` must be of the form `designname/filtername`");
        }
        ObjectNode ddoc = designDocs.apply("_design/" + parts[0]);
        requireMember(ddoc, "filters", parts[1]);
        FilterFunction function = compiled(ddoc).filter(parts[1]).orElseThrow(
                () -> new ArborException.NotFound("missing json key: " + parts[1]));
        // CouchDB's userCtx is the requester's; the engine does not know who asks, so it is anonymous.
        ObjectNode userCtx = Json.object();
        userCtx.put("db", dbName);
        userCtx.putNull("name");
        userCtx.putArray("roles");
        JsonNode request = FilterFunction.request(queryParams, userCtx);
        return doc -> doc != null && function.matches(doc, request);
    }

    private Predicate<ObjectNode> viewFilter(String view, Function<String, ObjectNode> designDocs) {
        if (view == null || view.isEmpty()) {
            throw new ArborException.BadRequest("bad_request", "`view` filter parameter is not provided.");
        }
        String[] parts = designAndMember(view);
        if (parts == null) {
            throw new ArborException.BadRequest("bad_request", "`view` must be of the form `designname/viewname`");
        }
        ObjectNode ddoc = designDocs.apply("_design/" + parts[0]);
        requireMember(ddoc, "views", parts[1]);
        MapFunction map = compiled(ddoc).view(parts[1])
                .orElseThrow(() -> new ArborException.NotFound("missing json key: map")).map();
        return doc -> doc != null && !map.map(Json.text(doc)).isEmpty();
    }

    /**
     * The source of filter function {@code ddoc/name} as the design document holds it, for callers that
     * identify a filter by its code (the replicator's replication id); {@code not_found} as {@link #resolve}.
     */
    public static String source(String filter, Function<String, ObjectNode> designDocs) {
        String[] parts = designAndMember(filter);
        if (parts == null || filter.startsWith("_")) {
            throw new ArborException.BadRequest("bad_request", "`filter` must be of the form `designname/filtername`");
        }
        ObjectNode ddoc = designDocs.apply("_design/" + parts[0]);
        return requireMember(ddoc, "filters", parts[1]).asText();
    }

    private DesignDocFunctions compiled(ObjectNode designDoc) {
        String key = designDoc.path("_id").asText() + "\u0000" + designDoc.path("_rev").asText();
        DesignDocFunctions functions = compiled.get(key);
        if (functions == null) {
            functions = DesignDocFunctions.compile(designDoc, jsOptions);
            if (compiled.size() >= MAX_ENTRIES) {
                compiled.clear();
            }
            compiled.put(key, functions);
        }
        return functions;
    }

    private static String[] designAndMember(String text) {
        // As Erlang's string:tokens: empty segments are dropped, so "a//b" is still two parts.
        String[] parts = Arrays.stream(text.split("/")).filter(s -> !s.isEmpty()).toArray(String[]::new);
        return parts.length == 2 ? parts : null;
    }

    /** CouchDB's check that {@code ddoc[section][name]} exists, with its 404 reasons; returns the member. */
    private static JsonNode requireMember(ObjectNode designDoc, String section, String name) {
        JsonNode node = designDoc;
        for (String key : List.of(section, name)) {
            if (!node.isObject()) {
                throw new ArborException.NotFound("json_mismatch");
            }
            JsonNode next = node.get(key);
            if (next == null || next.isNull()) {
                throw new ArborException.NotFound("missing json key: " + key);
            }
            node = next;
        }
        return node;
    }
}
