package dev.arbor.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.Seq;
import dev.arbor.api.find.FindRequest;
import dev.arbor.api.live.Delta;
import dev.arbor.api.live.LiveEnd;
import dev.arbor.api.live.LiveEvent;
import dev.arbor.api.live.LiveResult;
import dev.arbor.api.live.LiveRow;
import dev.arbor.api.live.LiveSpec;
import dev.arbor.api.live.LiveUpdate;
import dev.arbor.api.live.ResumeToken;
import dev.arbor.api.live.RowRef;
import dev.arbor.api.view.ViewQuery;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;

import java.util.ArrayList;
import java.util.List;

/**
 * Live queries' values as frame trees: the spec a subscription names, its first result, its resume token, and the
 * updates and end pushed to it (a push's payload is one event's tree as JSON). A view query's keys are written only
 * when given, since a JSON {@code null} key is a key and an absent one is not. Stateless and thread-safe.
 */
public final class LiveCodec {
    private LiveCodec() {}

    /** The topic of a push that carries a live query's event (pub/sub pushes carry their own topics). */
    public static final String TOPIC = "_live";

    // ---- specs

    public static JsonNode spec(LiveSpec spec) {
        ObjectNode tree = Values.object();
        switch (spec) {
            case LiveSpec.Find find -> {
                FindRequest r = find.request();
                tree.put("kind", "find");
                tree.set("selector", r.selector());
                if (r.fields() != null) tree.set("fields", Values.strings(r.fields()));
                if (r.sort() != null && !r.sort().isNull()) tree.set("sort", r.sort());
                tree.put("limit", r.limit()).put("skip", r.skip()).put("conflicts", r.conflicts());
                tree.set("useIndex", Values.strings(r.useIndex()));
            }
            case LiveSpec.View view -> {
                tree.put("kind", "view").put("ddoc", view.ddoc()).put("view", view.view());
                ViewQuery q = view.query();
                ObjectNode query = tree.putObject("query");
                if (q.key() != null) query.set("key", q.key());
                if (q.keys() != null) query.set("keys", Json.MAPPER.valueToTree(q.keys()));
                if (q.startkey() != null) query.set("startkey", q.startkey());
                if (q.startkeyDocId() != null) query.put("startkeyDocId", q.startkeyDocId());
                if (q.endkey() != null) query.set("endkey", q.endkey());
                if (q.endkeyDocId() != null) query.put("endkeyDocId", q.endkeyDocId());
                if (q.reduce() != null) query.put("reduce", q.reduce());
                if (q.groupLevel() != null) query.put("groupLevel", q.groupLevel());
                query.put("inclusiveEnd", q.inclusiveEnd()).put("descending", q.descending()).put("skip", q.skip())
                        .put("limit", q.limit()).put("includeDocs", q.includeDocs()).put("conflicts", q.conflicts())
                        .put("group", q.group()).put("update", q.update().name());
            }
        }
        return tree;
    }

    public static LiveSpec spec(JsonNode tree) {
        return switch (tree.path("kind").asText()) {
            case "find" -> {
                FindRequest r = FindRequest.of(tree.get("selector"))
                        .limit(tree.path("limit").asInt(FindRequest.DEFAULT_LIMIT)).skip(tree.path("skip").asInt(0))
                        .conflicts(tree.path("conflicts").asBoolean(false))
                        .useIndex(Values.strings(tree.path("useIndex")));
                if (tree.has("fields")) r = r.fields(Values.strings(tree.get("fields")));
                if (tree.has("sort")) r = r.sort(tree.get("sort"));
                yield new LiveSpec.Find(r);
            }
            case "view" -> {
                JsonNode q = tree.path("query");
                ViewQuery.Builder b = ViewQuery.builder();
                if (q.has("key")) b.key(q.get("key"));
                if (q.has("keys")) {
                    List<JsonNode> keys = new ArrayList<>();
                    q.get("keys").forEach(keys::add);
                    b.keys(keys);
                }
                if (q.has("startkey")) b.startkey(q.get("startkey"));
                if (q.has("startkeyDocId")) b.startkeyDocId(q.get("startkeyDocId").asText());
                if (q.has("endkey")) b.endkey(q.get("endkey"));
                if (q.has("endkeyDocId")) b.endkeyDocId(q.get("endkeyDocId").asText());
                if (q.has("reduce")) b.reduce(q.get("reduce").asBoolean());
                if (q.has("groupLevel")) b.groupLevel(q.get("groupLevel").asInt());
                try {
                    b.update(ViewQuery.Update.valueOf(q.path("update").asText("TRUE")));
                } catch (IllegalArgumentException e) {
                    throw new ArborException.BadRequest("bad_request", "unknown view update " + q.path("update"));
                }
                yield new LiveSpec.View(Values.requireText(tree, "ddoc"), Values.requireText(tree, "view"), b
                        .inclusiveEnd(q.path("inclusiveEnd").asBoolean(true)).descending(q.path("descending").asBoolean(false))
                        .skip(q.path("skip").asLong(0)).limit(q.path("limit").asLong(-1))
                        .includeDocs(q.path("includeDocs").asBoolean(false)).conflicts(q.path("conflicts").asBoolean(false))
                        .group(q.path("group").asBoolean(false)).build());
            }
            default -> throw new ArborException.BadRequest("bad_request", "a live query is a \"find\" or a \"view\", not "
                    + tree.path("kind"));
        };
    }

    // ---- results, tokens, events

    public static JsonNode result(LiveResult result) {
        ObjectNode tree = Values.object();
        tree.set("seq", result.seq().toJson());
        ArrayNode rows = tree.putArray("rows");
        result.rows().forEach(row -> rows.add(row(row)));
        return tree;
    }

    public static LiveResult result(JsonNode tree) {
        List<LiveRow> rows = new ArrayList<>();
        tree.path("rows").forEach(row -> rows.add(row(row)));
        return new LiveResult(Seq.fromJson(tree.get("seq")), rows);
    }

    public static JsonNode token(ResumeToken token) {
        ObjectNode tree = Values.object();
        tree.set("seq", token.seq().toJson());
        ArrayNode rows = tree.putArray("rows");
        for (RowRef ref : token.rows()) {
            ObjectNode row = rows.addObject().put("id", ref.id()).put("version", ref.version());
            if (ref.key() != null) row.set("key", ref.key());
        }
        return tree;
    }

    public static ResumeToken token(JsonNode tree) {
        List<RowRef> rows = new ArrayList<>();
        for (JsonNode row : tree.path("rows")) {
            rows.add(new RowRef(Values.requireText(row, "id"), row.get("key"), Values.requireText(row, "version")));
        }
        if (tree.get("seq") == null) {
            throw new ArborException.BadRequest("bad_request", "a resume token has a \"seq\"");
        }
        return new ResumeToken(Seq.fromJson(tree.get("seq")), rows);
    }

    public static JsonNode event(LiveEvent event) {
        ObjectNode tree = Values.object();
        switch (event) {
            case LiveUpdate update -> {
                tree.put("kind", "update");
                tree.set("seq", update.seq().toJson());
                ArrayNode deltas = tree.putArray("deltas");
                for (Delta delta : update.deltas()) {
                    switch (delta) {
                        case Delta.Added added -> deltas.addObject().put("kind", "added").put("index", added.index())
                                .set("row", row(added.row()));
                        case Delta.Changed changed -> deltas.addObject().put("kind", "changed").put("from", changed.from())
                                .put("index", changed.index()).set("row", row(changed.row()));
                        case Delta.Removed removed -> deltas.addObject().put("kind", "removed").put("index", removed.index())
                                .put("id", removed.id());
                    }
                }
            }
            case LiveEnd end -> tree.put("kind", "end").put("error", end.error()).put("reason", end.reason());
        }
        return tree;
    }

    public static LiveEvent event(JsonNode tree) {
        if (tree.path("kind").asText().equals("end")) {
            return new LiveEnd(tree.path("error").asText(), tree.path("reason").asText());
        }
        List<Delta> deltas = new ArrayList<>();
        for (JsonNode delta : tree.path("deltas")) {
            deltas.add(switch (delta.path("kind").asText()) {
                case "added" -> new Delta.Added(delta.path("index").asInt(), row(delta.path("row")));
                case "changed" -> new Delta.Changed(delta.path("from").asInt(), delta.path("index").asInt(), row(delta.path("row")));
                case "removed" -> new Delta.Removed(delta.path("index").asInt(), delta.path("id").asText());
                default -> throw new ArborException.Internal("unknown delta " + delta.path("kind"), null);
            });
        }
        return new LiveUpdate(Seq.fromJson(tree.get("seq")), deltas);
    }

    private static JsonNode row(LiveRow row) {
        ObjectNode tree = Values.object().put("id", row.id()).put("version", row.version());
        if (row.key() != null) tree.set("key", row.key());
        if (row.value() != null) tree.set("value", row.value());
        if (row.doc() != null) tree.set("doc", row.doc());
        return tree;
    }

    private static LiveRow row(JsonNode tree) {
        return new LiveRow(tree.path("id").asText(), tree.get("key"), tree.get("value"), tree.get("doc"),
                tree.path("version").asText());
    }
}
