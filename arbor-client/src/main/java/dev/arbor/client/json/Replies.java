package dev.arbor.client.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.AllDocsRow;
import dev.arbor.api.BulkGetResult;
import dev.arbor.api.ChangeRow;
import dev.arbor.api.DbInfo;
import dev.arbor.api.DocResult;
import dev.arbor.api.OpenRev;
import dev.arbor.api.RevsDiff;
import dev.arbor.api.Seq;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads CouchDB's JSON answers into the {@code dev.arbor.api} values: the inverse of
 * {@link dev.arbor.wire.CouchJson}, lenient where servers differ in what they leave out.
 */
public final class Replies {
    private Replies() {}

    /** {@code GET /db}. CouchDB 3 sizes are under {@code sizes}; older servers send {@code disk_size}/{@code data_size}. */
    public static DbInfo dbInfo(JsonNode json) {
        JsonNode sizes = json.path("sizes");
        long file = sizes.has("file") ? sizes.path("file").asLong() : json.path("disk_size").asLong();
        long active = sizes.has("active") ? sizes.path("active").asLong() : json.path("data_size").asLong();
        long external = sizes.has("external") ? sizes.path("external").asLong() : json.path("other").path("data_size").asLong();
        return new DbInfo(json.path("db_name").asText(), json.path("doc_count").asLong(), json.path("doc_del_count").asLong(),
                Seq.fromJson(json.get("update_seq")), Seq.fromJson(json.get("purge_seq")).number(), file, active, external,
                json.path("compact_running").asBoolean(false), json.path("props").path("partitioned").asBoolean(false));
    }

    /** {@code {"ok":true,"id":..,"rev":..}}, the answer to a single write. */
    public static DocResult.Ok ok(JsonNode json) {
        return new DocResult.Ok(json.path("id").asText(), json.path("rev").asText());
    }

    /** One entry of a {@code _bulk_docs} answer; {@code rev} is what the request named, for errors without one. */
    public static DocResult docResult(JsonNode json, String requestedRev) {
        if (json.hasNonNull("error")) {
            String rev = json.hasNonNull("rev") ? json.get("rev").asText() : requestedRev;
            return new DocResult.Error(text(json.get("id")), rev, json.get("error").asText(), text(json.get("reason")));
        }
        return ok(json);
    }

    /** One {@code _all_docs} or {@code _local_docs} row. */
    public static AllDocsRow allDocsRow(JsonNode row) {
        String key = text(row.get("key"));
        if (row.hasNonNull("error")) {
            return new AllDocsRow(text(row.get("id")), key, null, false, null, row.get("error").asText());
        }
        JsonNode value = row.path("value");
        return new AllDocsRow(text(row.get("id")), key, text(value.get("rev")), value.path("deleted").asBoolean(false),
                object(row.get("doc")), null);
    }

    /** One {@code _changes} row. */
    public static ChangeRow changeRow(JsonNode row) {
        List<String> revs = new ArrayList<>();
        row.path("changes").forEach(change -> revs.add(change.path("rev").asText()));
        return new ChangeRow(Seq.fromJson(row.get("seq")), row.path("id").asText(), List.copyOf(revs),
                row.path("deleted").asBoolean(false), object(row.get("doc")));
    }

    /** One entry of an {@code open_revs} answer: {@code {"ok":doc}} or {@code {"missing":rev}}. */
    public static OpenRev openRev(JsonNode entry) {
        if (entry.has("missing")) {
            return new OpenRev.Missing(entry.get("missing").asText());
        }
        return new OpenRev.Found((ObjectNode) entry.get("ok"));
    }

    /** One {@code _revs_diff} entry. */
    public static RevsDiff revsDiff(JsonNode entry) {
        return new RevsDiff(strings(entry.get("missing")), strings(entry.get("possible_ancestors")));
    }

    /** One entry of a {@code _bulk_get} answer's {@code results}. */
    public static BulkGetResult bulkGetResult(JsonNode result) {
        List<BulkGetResult.Entry> docs = new ArrayList<>();
        for (JsonNode entry : result.path("docs")) {
            if (entry.has("ok")) {
                docs.add(new BulkGetResult.Ok((ObjectNode) entry.get("ok")));
            } else if (entry.has("missing")) {
                // PouchDB's form of an unknown revision, as in open_revs; CouchDB sends it as an error.
                docs.add(new BulkGetResult.Error(result.path("id").asText(), entry.get("missing").asText(), "not_found", "missing"));
            } else {
                JsonNode error = entry.path("error");
                docs.add(new BulkGetResult.Error(text(error.get("id")), text(error.get("rev")), text(error.get("error")),
                        text(error.get("reason"))));
            }
        }
        return new BulkGetResult(result.path("id").asText(), List.copyOf(docs));
    }

    public static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array != null) array.forEach(n -> out.add(n.asText()));
        return List.copyOf(out);
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

    private static ObjectNode object(JsonNode node) {
        return node instanceof ObjectNode object ? object : null;
    }
}
