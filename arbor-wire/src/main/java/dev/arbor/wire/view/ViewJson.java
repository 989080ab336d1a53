package dev.arbor.wire.view;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.arbor.api.Seq;
import dev.arbor.api.view.ViewIndexInfo;
import dev.arbor.api.view.ViewQuery;
import dev.arbor.api.view.ViewResult;
import dev.arbor.api.view.ViewRow;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The JSON forms of view queries and answers, as CouchDB 3.x takes and sends them. The server reads queries (query
 * string, and the members of a POST body, which CouchDB accepts as well) and writes answers with it; the remote client
 * does the reverse.
 */
public final class ViewJson {
    /** Query parameters whose values are JSON (the rest are strings, booleans or integers). */
    private static final Set<String> JSON_PARAMS = Set.of("key", "keys", "startkey", "start_key", "endkey", "end_key");
    private static final Set<String> STRING_PARAMS = Set.of("startkey_docid", "start_key_doc_id", "endkey_docid",
            "end_key_doc_id", "update", "stale");

    private ViewJson() {}

    // ---- queries ----------------------------------------------------------------------------------------------------

    /**
     * A query from the query string (values as CouchDB takes them: keys as JSON text) and, for POST, the body's
     * members (typed JSON: {@code keys} and any other parameter); a body member wins over the same parameter.
     */
    public static ViewQuery query(Map<String, String> params, JsonNode body) {
        ObjectNode merged = Json.object();
        params.forEach((name, value) -> merged.set(name, paramValue(name, value)));
        if (body != null && !body.isNull() && !body.isMissingNode()) {
            if (!body.isObject()) {
                throw new ArborException.BadRequest("bad_request", "Request body must be a JSON object");
            }
            body.properties().forEach(member -> merged.set(member.getKey(), member.getValue()));
        }
        return query(merged);
    }

    private static JsonNode paramValue(String name, String value) {
        if (JSON_PARAMS.contains(name)) {
            try {
                return Json.parse(value);
            } catch (RuntimeException e) {
                throw new ArborException.BadRequest("bad_request", "invalid_json");
            }
        }
        if (STRING_PARAMS.contains(name)) {
            return TextNode.valueOf(value);
        }
        if (value.equals("true") || value.equals("false")) {
            return Json.MAPPER.getNodeFactory().booleanNode(value.equals("true"));
        }
        try {
            return Json.MAPPER.getNodeFactory().numberNode(Long.parseLong(value));
        } catch (NumberFormatException e) {
            return TextNode.valueOf(value);
        }
    }

    /** A query from its typed JSON form (the POST body form; also one entry of {@code /queries}). */
    public static ViewQuery query(JsonNode json) {
        ViewQuery.Builder b = ViewQuery.builder();
        b.key(json.get("key"));
        JsonNode keys = json.get("keys");
        if (keys != null) {
            if (!keys.isArray()) {
                throw new ArborException.BadRequest("bad_request", "`keys` member must be an array.");
            }
            List<JsonNode> list = new ArrayList<>();
            keys.forEach(list::add);
            b.keys(list);
        }
        b.startkey(first(json, "startkey", "start_key"));
        b.endkey(first(json, "endkey", "end_key"));
        b.startkeyDocId(string(first(json, "startkey_docid", "start_key_doc_id")));
        b.endkeyDocId(string(first(json, "endkey_docid", "end_key_doc_id")));
        b.inclusiveEnd(bool(json, "inclusive_end", true));
        b.descending(bool(json, "descending", false));
        b.skip(nonNegative(json, "skip", 0, "`skip` must be >= 0"));
        b.limit(nonNegative(json, "limit", -1, "`limit` must be a positive integer."));
        b.includeDocs(bool(json, "include_docs", false));
        b.conflicts(bool(json, "conflicts", false));
        b.attachments(bool(json, "attachments", false));
        b.updateSeq(bool(json, "update_seq", false));
        if (json.has("reduce")) {
            b.reduce(bool(json, "reduce", true));
        }
        b.group(bool(json, "group", false));
        if (json.has("group_level")) {
            b.groupLevel((int) nonNegative(json, "group_level", 0, "`group_level` must be >= 0"));
        }
        b.sorted(bool(json, "sorted", true));
        b.update(update(json));
        return b.build();
    }

    private static JsonNode first(JsonNode json, String name, String alias) {
        return json.has(name) ? json.get(name) : json.get(alias);
    }

    private static String string(JsonNode node) {
        if (node == null) {
            return null;
        }
        return node.isTextual() ? node.textValue() : Json.text(node);
    }

    private static boolean bool(JsonNode json, String name, boolean fallback) {
        JsonNode node = json.get(name);
        if (node == null) {
            return fallback;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isTextual() && (node.textValue().equals("true") || node.textValue().equals("false"))) {
            return node.textValue().equals("true");
        }
        throw new ArborException.BadRequest("query_parse_error", "Invalid boolean parameter: " + Json.text(
                node.isTextual() ? node : TextNode.valueOf(Json.text(node))));
    }

    private static long nonNegative(JsonNode json, String name, long fallback, String negativeReason) {
        JsonNode node = json.get(name);
        if (node == null) {
            return fallback;
        }
        if (!node.canConvertToLong() || !node.isIntegralNumber()) {
            throw new ArborException.BadRequest("query_parse_error", "Invalid integer parameter: " + Json.text(
                    node.isTextual() ? node : TextNode.valueOf(Json.text(node))));
        }
        if (node.asLong() < 0) {
            throw new ArborException.BadRequest("query_parse_error", negativeReason);
        }
        return node.asLong();
    }

    /** {@code update=true|false|lazy}, or the older {@code stale=ok|update_after}. */
    private static ViewQuery.Update update(JsonNode json) {
        JsonNode update = json.get("update");
        if (update != null) {
            String value = update.isTextual() ? update.textValue() : Json.text(update);
            return switch (value) {
                case "true" -> ViewQuery.Update.TRUE;
                case "false" -> ViewQuery.Update.FALSE;
                case "lazy" -> ViewQuery.Update.LAZY;
                default -> throw new ArborException.BadRequest("query_parse_error", "Invalid value for `update`.");
            };
        }
        JsonNode stale = json.get("stale");
        if (stale != null) {
            return switch (stale.asText()) {
                case "ok" -> ViewQuery.Update.FALSE;
                case "update_after" -> ViewQuery.Update.LAZY;
                case "false" -> ViewQuery.Update.TRUE;
                default -> throw new ArborException.BadRequest("query_parse_error", "Invalid value for `stale`.");
            };
        }
        return ViewQuery.Update.TRUE;
    }

    /** The typed JSON form of a query, members only where they differ from the default. */
    public static ObjectNode toJson(ViewQuery query) {
        ObjectNode json = Json.object();
        if (query.key() != null) json.set("key", query.key());
        if (query.keys() != null) {
            ArrayNode keys = json.putArray("keys");
            query.keys().forEach(keys::add);
        }
        if (query.startkey() != null) json.set("startkey", query.startkey());
        if (query.endkey() != null) json.set("endkey", query.endkey());
        if (query.startkeyDocId() != null) json.put("startkey_docid", query.startkeyDocId());
        if (query.endkeyDocId() != null) json.put("endkey_docid", query.endkeyDocId());
        if (!query.inclusiveEnd()) json.put("inclusive_end", false);
        if (query.descending()) json.put("descending", true);
        if (query.skip() != 0) json.put("skip", query.skip());
        if (query.limit() >= 0) json.put("limit", query.limit());
        if (query.includeDocs()) json.put("include_docs", true);
        if (query.conflicts()) json.put("conflicts", true);
        if (query.attachments()) json.put("attachments", true);
        if (query.updateSeq()) json.put("update_seq", true);
        if (query.reduce() != null) json.put("reduce", query.reduce());
        if (query.group()) json.put("group", true);
        if (query.groupLevel() != null) json.put("group_level", query.groupLevel());
        if (!query.sorted()) json.put("sorted", false);
        if (query.update() != ViewQuery.Update.TRUE) {
            json.put("update", query.update() == ViewQuery.Update.FALSE ? "false" : "lazy");
        }
        return json;
    }

    // ---- answers ----------------------------------------------------------------------------------------------------

    /** A row as CouchDB writes it: {@code {id, key, value[, doc]}}, or {@code {key, value}} for a reduce row. */
    public static ObjectNode row(ViewRow row) {
        ObjectNode json = Json.object();
        if (row.id() != null) {
            json.put("id", row.id());
        }
        json.set("key", row.key());
        json.set("value", row.value());
        if (row.doc() != null) {
            json.set("doc", row.doc());
        }
        return json;
    }

    public static ObjectNode result(ViewResult result) {
        ObjectNode json = Json.object();
        if (result.totalRows() >= 0) {
            json.put("total_rows", result.totalRows());
            json.put("offset", result.offset());
        }
        if (result.updateSeq() != null) {
            json.set("update_seq", result.updateSeq().toJson());
        }
        ArrayNode rows = json.putArray("rows");
        result.rows().forEach(row -> rows.add(row(row)));
        return json;
    }

    /** Reads an answer; {@code total_rows} and {@code offset} are -1 when absent (a reduce answer). */
    public static ViewResult result(JsonNode json) {
        List<ViewRow> rows = new ArrayList<>();
        for (JsonNode row : json.path("rows")) {
            rows.add(new ViewRow(row.hasNonNull("id") ? row.get("id").asText() : null, row.get("key"),
                    row.get("value"), row.get("doc")));
        }
        return new ViewResult(json.path("total_rows").asLong(-1), json.path("offset").asLong(-1),
                json.hasNonNull("update_seq") ? Seq.fromJson(json.get("update_seq")) : null, rows);
    }

    /** {@code GET /{db}/_design/{ddoc}/_info}, as CouchDB answers it. */
    public static ObjectNode info(ViewIndexInfo info) {
        ObjectNode json = Json.object();
        json.put("name", info.name());
        ObjectNode index = json.putObject("view_index");
        index.put("signature", info.signature());
        index.put("language", info.language());
        index.put("update_seq", info.updateSeq());
        index.put("purge_seq", info.purgeSeq());
        index.put("updater_running", info.updaterRunning());
        index.put("compact_running", false);
        index.put("waiting_clients", info.waitingClients());
        ObjectNode sizes = index.putObject("sizes");
        sizes.put("active", info.activeSize());
        sizes.put("external", info.activeSize());
        sizes.put("file", info.activeSize());
        return json;
    }

    public static ViewIndexInfo info(JsonNode json) {
        JsonNode index = json.path("view_index");
        return new ViewIndexInfo(json.path("name").asText(), index.path("signature").asText(),
                index.path("language").asText(), index.path("update_seq").asLong(), index.path("purge_seq").asLong(),
                index.path("updater_running").asBoolean(), index.path("waiting_clients").asInt(),
                index.path("sizes").path("active").asLong());
    }
}
