package dev.arbor.server.changes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.ChangesOptions;
import dev.arbor.api.ChangesOptions.Style;
import dev.arbor.api.Database;
import dev.arbor.api.Seq;
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
                timeout, parseSeqInterval(params.get("seq_interval")), parseFilter(params, query, post, body, db));
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
        // A number, or a CouchDB-style "12-g1AA..." a client carried over from another server: its number.
        return new Since.After(Seq.parse(text).toLocal());
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

    private static ChangesFilter parseFilter(Map<String, String> params, Map<String, String> query, boolean post, ObjectNode body,
                                             Database db) {
        String name = params.get("filter");
        if (name == null || name.isEmpty()) {
            return ChangesFilter.ALL;
        }
        return switch (name) {
            case "_doc_ids" -> new ChangesFilter.DocIds(docIds(post ? field(body, "doc_ids") : queryJson(params, "doc_ids")));
            case "_design" -> new ChangesFilter.DesignDocs();
            case "_selector" -> selectorFilter(post, body);
            case "_view" -> designFilter(name, query, db);
            default -> {
                if (name.startsWith("_")) {
                    throw new ArborException.BadRequest("bad_request", "unknown builtin filter name");
                }
                yield designFilter(name, query, db);
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

    /**
     * {@code filter=ddoc/name} and {@code filter=_view}: run by the database ({@link ChangesOptions#filter()}),
     * which also checks the design document. A read of no rows (descending, limit 0: it stops at once) makes
     * it do that check now, so a missing filter is a 404 rather than an error inside a started response.
     */
    private static ChangesFilter designFilter(String name, Map<String, String> query, Database db) {
        ChangesFilter.Design filter = new ChangesFilter.Design(name, query);
        db.changes(ChangesOptions.DEFAULT.filter(name).queryParams(query).descending(true).limit(0), row -> { });
        return filter;
    }
}
