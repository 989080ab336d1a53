package dev.arbor.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A query string read the way CouchDB reads it. Values are decoded as forms are ({@code +} is a
 * space); when a name repeats, the first value counts. Typed reads fail as CouchDB's do:
 * <ul>
 *   <li>booleans are {@code true} or {@code false} (any case), else 400 {@code query_parse_error}
 *       "Invalid boolean parameter: "x"";</li>
 *   <li>integers: 400 {@code query_parse_error} "Invalid value for integer: "x"" (or
 *       "positive integer" where a negative makes no sense);</li>
 *   <li>JSON-valued parameters ({@code key}, {@code startkey}, {@code endkey}, {@code keys}, {@code open_revs},
 *       {@code atts_since}, {@code doc_ids}): 400 {@code bad_request} "invalid UTF-8 JSON", since CouchDB
 *       decodes them with its JSON decoder, whose failure it reports that way.</li>
 * </ul>
 */
public final class QueryParams {
    public static final QueryParams EMPTY = new QueryParams(Map.of());

    private final Map<String, String> values;

    private QueryParams(Map<String, String> values) {
        this.values = values;
    }

    /** Parses a raw (still percent-encoded) query string; null or empty gives no parameters. */
    public static QueryParams parse(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return EMPTY;
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = RequestPath.decode(eq < 0 ? pair : pair.substring(0, eq), true);
            String value = eq < 0 ? "" : RequestPath.decode(pair.substring(eq + 1), true);
            values.putIfAbsent(name, value);
        }
        return new QueryParams(Collections.unmodifiableMap(values));
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** The raw text of {@code name}, or null. */
    public String string(String name) {
        return values.get(name);
    }

    /** The first of {@code names} present (CouchDB's aliases such as {@code startkey}/{@code start_key}), or null. */
    public String firstOf(String... names) {
        for (String name : names) {
            String value = values.get(name);
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    public Map<String, String> asMap() {
        return values;
    }

    public boolean bool(String name, boolean fallback) {
        String value = values.get(name);
        return value == null ? fallback : parseBoolean(value);
    }

    public static boolean parseBoolean(String value) {
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        if (value.equalsIgnoreCase("false")) {
            return false;
        }
        throw new ArborException.BadRequest("query_parse_error", "Invalid boolean parameter: \"" + value + "\"");
    }

    public long integer(String name, long fallback) {
        String value = values.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new ArborException.BadRequest("query_parse_error", "Invalid value for integer: \"" + value + "\"");
        }
    }

    /** Like {@link #integer}, but a negative value given is refused; the fallback may be anything (-1 for "none"). */
    public long positiveInteger(String name, long fallback) {
        if (!values.containsKey(name)) {
            return fallback;
        }
        long parsed = integer(name, fallback);
        if (parsed < 0) {
            throw new ArborException.BadRequest("query_parse_error",
                    "Invalid value for positive integer: \"" + values.get(name) + "\"");
        }
        return parsed;
    }

    /** The JSON value of the first of {@code names} present, or null when none is. */
    public JsonNode json(String... names) {
        String value = firstOf(names);
        return value == null ? null : parseJson(value);
    }

    public static JsonNode parseJson(String value) {
        return Json.parse(value);
    }

    /** A JSON array of strings ({@code keys}, {@code open_revs}, {@code atts_since}), or null when absent. */
    public List<String> stringList(String name) {
        JsonNode node = json(name);
        return node == null ? null : stringList(node, name);
    }

    public static List<String> stringList(JsonNode node, String name) {
        if (!node.isArray()) {
            throw new ArborException.BadRequest("bad_request", "`" + name + "` must be a JSON array of strings");
        }
        List<String> list = new ArrayList<>(node.size());
        for (JsonNode element : node) {
            if (!element.isTextual()) {
                throw new ArborException.BadRequest("bad_request", "`" + name + "` must be a JSON array of strings");
            }
            list.add(element.textValue());
        }
        return list;
    }
}
