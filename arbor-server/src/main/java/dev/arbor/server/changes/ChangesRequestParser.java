package dev.arbor.server.changes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.ChangesOptions.Style;
import dev.arbor.api.Database;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a {@code _changes} request's query string, body and headers into a {@link ChangesRequest},
 * with CouchDB 3.x's rules and error messages (chttpd_db:parse_changes_query and
 * couch_changes:configure_filter). Everything that can be refused is refused here, before the
 * response starts, so each error keeps its own status code.
 */
public final class ChangesRequestParser {
    private final ChangesConfig config;

    public ChangesRequestParser(ChangesConfig config) {
        this.config = config;
    }

    /**
     * @param query       the query parameters, percent-decoded (first value of each name)
     * @param post        whether this is {@code POST /db/_changes}, whose body carries doc_ids or a selector
     * @param body        the POST body, or null when there is none
     * @param lastEventId the {@code Last-Event-ID} header, or null; an EventSource reconnecting sends it
     * @param db          for the design documents a {@code ddoc/filter} or {@code _view} filter names
     */
    public ChangesRequest parse(Map<String, String> query, boolean post, ObjectNode body, String lastEventId,
                                Database db) {
        // CouchDB lower-cases the parameter names of _changes (not their values).
        Map<String, String> params = new HashMap<>();
        query.forEach((name, value) -> params.putIfAbsent(name.toLowerCase(Locale.ROOT), value));

        FeedType feed = FeedType.parse(params.get("feed"));
        String sinceText = params.containsKey("since") ? params.get("since") : params.get("last-event-id");
        if (feed == FeedType.EVENTSOURCE && lastEventId != null) {
            // A browser reconnecting after a drop: its last event id says where it got to.
            sinceText = lastEventId;
        }
        Since since = parseSince(sinceText);
        long limit = params.containsKey("limit") ? nonNegative(params.get("limit")) : -1;
        long timeout = params.containsKey("timeout")
                ? Math.min(nonNegative(params.get("timeout")), config.defaultTimeoutMillis())
                : config.defaultTimeoutMillis();
        Style style = parseStyle(params.get("style"));
        return new ChangesRequest(feed, since, limit, isTrue(params, "descending"), isTrue(params, "include_docs"),
                isTrue(params, "conflicts"), isTrue(params, "attachments"), style, parseHeartbeat(params.get("heartbeat")),
                timeout, parseSeqInterval(params.get("seq_interval")), parseFilter(params, post, body, db));
    }

    // CouchDB matches the literal "true"; anything else leaves the option off.
    private static boolean isTrue(Map<String, String> params, String name) {
        return "true".equals(params.get(name));
    }

    static Since parseSince(String text) {
        if (text == null) {
            return Since.BEGINNING;
        }
        if (text.equals("now")) {
            return new Since.Now();
        }
        try {
            long seq = Long.parseLong(text);
            if (seq >= 0) {
                return new Since.After(seq);
            }
        } catch (NumberFormatException e) {
            // falls through to CouchDB's message for an unreadable sequence
        }
        throw new ArborException.BadRequest("bad_request", "Malformed sequence supplied in 'since' parameter.");
    }

    private static long nonNegative(String text) {
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new ArborException.BadRequest("query_parse_error", "Invalid value for integer: \"" + text + "\"");
        }
        if (value < 0) {
            throw new ArborException.BadRequest("query_parse_error", "Invalid value for positive integer: \"" + text + "\"");
        }
        return value;
    }

    private static Style parseStyle(String text) {
        if (text == null || text.equals("main_only")) {
            return Style.MAIN_ONLY;
        }
        if (text.equals("all_docs")) {
            return Style.ALL_DOCS;
        }
        throw new ArborException.BadRequest("bad_request", "Invalid style: expected main_only or all_docs");
    }

    private long parseHeartbeat(String text) {
        if (text == null) {
            return 0;
        }
        if (text.equals("true")) {
            return config.defaultTimeoutMillis();
        }
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new ArborException.BadRequest("bad_request",
                    "Invalid heartbeat value. Expecting a positive integer value (in milliseconds).");
        }
        if (value <= 0) {
            throw new ArborException.BadRequest("bad_request",
                    "The heartbeat value should be a positive integer (in milliseconds).");
        }
        // As CouchDB: never longer apart than the changes timeout, which proxies are tuned to.
        return Math.min(value, config.defaultTimeoutMillis());
    }

    private static long parseSeqInterval(String text) {
        if (text == null) {
            return 0;
        }
        try {
            long value = Long.parseLong(text);
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // falls through to CouchDB's error
        }
        throw new ArborException.BadRequest("bad_request", "invalid_seq_interval");
    }

    private static ChangesFilter parseFilter(Map<String, String> params, boolean post, ObjectNode body, Database db) {
        String name = params.get("filter");
        if (name == null || name.isEmpty()) {
            return ChangesFilter.ALL;
        }
        return switch (name) {
            case "_doc_ids" -> new ChangesFilter.DocIds(docIds(post ? field(body, "doc_ids") : queryJson(params, "doc_ids")));
            case "_design" -> new ChangesFilter.DesignDocs();
            case "_selector" -> selectorFilter(post, body);
            case "_view" -> viewFilter(params.get("view"), db);
            default -> {
                if (name.startsWith("_")) {
                    throw new ArborException.BadRequest("bad_request", "unknown builtin filter name");
                }
                yield designFilter(name, params, db);
            }
        };
    }

    private static JsonNode field(ObjectNode body, String name) {
        return body == null ? null : body.get(name);
    }

    private static JsonNode queryJson(Map<String, String> params, String name) {
        String text = params.get(name);
        return text == null ? null : Json.parse(text);
    }

    private static List<String> docIds(JsonNode ids) {
        if (ids == null || !ids.isArray()) {
            throw notADocIdList();
        }
        List<String> result = new ArrayList<>(ids.size());
        for (JsonNode id : ids) {
            if (!id.isTextual()) {
                throw notADocIdList();
            }
            result.add(id.textValue());
        }
        return result;
    }

    private static ArborException notADocIdList() {
        return new ArborException.BadRequest("bad_request", "`doc_ids` filter parameter is not a list of doc ids.");
    }

    /** {@code filter=_selector}: the selector comes in the POST body; malformed ones get Mango's own errors. */
    private static ChangesFilter selectorFilter(boolean post, ObjectNode body) {
        if (!post) {
            throw new ArborException.BadRequest("bad_request", "Selector must be specified in POST payload");
        }
        JsonNode selector = field(body, "selector");
        if (selector == null || !selector.isObject()) {
            throw new ArborException.BadRequest("bad_request", "Selector error: expected a JSON object");
        }
        return new ChangesFilter.Matching(dev.arbor.core.mango.Selector.parse(selector));
    }

    /** {@code filter=_view&view=ddoc/view}: validated as CouchDB does, then the view's map function decides. */
    private static ChangesFilter viewFilter(String view, Database db) {
        if (view == null || view.isEmpty()) {
            throw new ArborException.BadRequest("bad_request", "`view` filter parameter is not provided.");
        }
        String[] parts = designAndMember(view);
        if (parts == null) {
            throw new ArborException.BadRequest("bad_request", "`view` must be of the form `designname/viewname`");
        }
        ObjectNode ddoc = db.get("_design/" + parts[0]);
        requireMember(ddoc, "views", parts[1]);
        return new ChangesFilter.ViewMap(DesignFunctionsCache.compiled(db.name(), ddoc).view(parts[1])
                .orElseThrow(() -> new ArborException.NotFound("missing json key: map")).map());
    }

    /** {@code filter=ddoc/name}: the design document's JavaScript filter function, with {@code req.query}. */
    private static ChangesFilter designFilter(String name, Map<String, String> params, Database db) {
        String[] parts = designAndMember(name);
        if (parts == null) {
            throw new ArborException.BadRequest("bad_request", "`filter` must be of the form `designname/filtername`");
        }
        ObjectNode ddoc = db.get("_design/" + parts[0]);
        requireMember(ddoc, "filters", parts[1]);
        dev.arbor.js.FilterFunction function = DesignFunctionsCache.compiled(db.name(), ddoc).filter(parts[1]).orElseThrow();
        // CouchDB's userCtx here is the requester's; the parser does not see who asks, so it is anonymous.
        ObjectNode userCtx = Json.object();
        userCtx.put("db", db.name());
        userCtx.putNull("name");
        userCtx.putArray("roles");
        return new ChangesFilter.Function(function, dev.arbor.js.FilterFunction.request(params, userCtx));
    }

    private static String[] designAndMember(String text) {
        // As Erlang's string:tokens: empty segments are dropped, so "a//b" is still two parts.
        String[] parts = java.util.Arrays.stream(text.split("/")).filter(s -> !s.isEmpty()).toArray(String[]::new);
        return parts.length == 2 ? parts : null;
    }

    /** CouchDB's check that {@code ddoc[section][name]} exists, with its 404 reasons. */
    private static void requireMember(ObjectNode designDoc, String section, String name) {
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
    }
}
