package dev.arbor.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.AllDocsOptions;
import dev.arbor.api.AllDocsResult;
import dev.arbor.api.AllDocsRow;
import dev.arbor.api.BulkGetRequest;
import dev.arbor.api.BulkGetResult;
import dev.arbor.api.DbInfo;
import dev.arbor.api.DocResult;
import dev.arbor.api.GetOptions;
import dev.arbor.api.OpenRev;
import dev.arbor.api.RevsDiff;
import dev.arbor.api.Seq;
import dev.arbor.api.keyvalue.Expiration;
import dev.arbor.api.keyvalue.KeyStatus;
import dev.arbor.api.keyvalue.Numeric;
import dev.arbor.api.keyvalue.SetOptions;
import dev.arbor.api.keyvalue.SetResult;
import dev.arbor.api.keyvalue.SwapResult;
import dev.arbor.api.keyvalue.Value;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The API's values as the trees a request's arguments and a response's result carry, each {@code to} with its
 * {@code from}. Plain records go through the core mapper by their components; sealed outcomes (a document result, a
 * key-value value) are written with a {@code "kind"} so the reader builds the right one. Stateless and thread-safe.
 */
public final class Values {
    private Values() {}

    private static final JsonNodeFactory NODES = Json.MAPPER.getNodeFactory();

    public static ObjectNode object() {
        return NODES.objectNode();
    }

    // ---- plain records, by their components

    public static JsonNode tree(Object record) {
        return record == null ? NullNode.instance : Json.MAPPER.valueToTree(record);
    }

    public static <T> T record(JsonNode tree, Class<T> type) {
        try {
            return Json.MAPPER.treeToValue(tree, type);
        } catch (IOException | IllegalArgumentException e) {
            throw new ArborException.BadRequest("bad_request", "malformed " + type.getSimpleName() + ": " + e.getMessage());
        }
    }

    public static GetOptions getOptions(JsonNode tree) {
        return tree == null || tree.isNull() || tree.isMissingNode() ? GetOptions.DEFAULT : record(tree, GetOptions.class);
    }

    public static AllDocsOptions allDocsOptions(JsonNode tree) {
        return tree == null || tree.isNull() || tree.isMissingNode() ? AllDocsOptions.DEFAULT : record(tree, AllDocsOptions.class);
    }

    public static DbInfo dbInfo(JsonNode tree) {
        return new DbInfo(tree.path("dbName").asText(), tree.path("docCount").asLong(), tree.path("docDelCount").asLong(),
                Seq.fromJson(tree.get("updateSeq")), tree.path("purgeSeq").asLong(), tree.path("sizeFile").asLong(),
                tree.path("sizeActive").asLong(), tree.path("sizeExternal").asLong(),
                tree.path("compactRunning").asBoolean(), tree.path("partitioned").asBoolean());
    }

    public static JsonNode strings(List<String> strings) {
        ArrayNode out = NODES.arrayNode();
        strings.forEach(out::add);
        return out;
    }

    public static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(s -> out.add(s.isNull() ? null : s.asText()));
        return out;
    }

    public static List<ObjectNode> objects(JsonNode array) {
        List<ObjectNode> out = new ArrayList<>();
        array.forEach(node -> {
            if (!(node instanceof ObjectNode object)) {
                throw new ArborException.BadRequest("bad_request", "expected a JSON object, got " + node.getNodeType());
            }
            out.add(object);
        });
        return out;
    }

    // ---- documents

    public static JsonNode docResult(DocResult result) {
        ObjectNode out = object();
        switch (result) {
            case DocResult.Ok ok -> out.put("kind", "ok").put("id", ok.id()).put("rev", ok.rev());
            case DocResult.Error error -> out.put("kind", "error").put("id", error.id()).put("rev", error.rev())
                    .put("error", error.error()).put("reason", error.reason());
        }
        return out;
    }

    public static DocResult docResult(JsonNode tree) {
        return switch (tree.path("kind").asText()) {
            case "ok" -> new DocResult.Ok(text(tree, "id"), text(tree, "rev"));
            case "error" -> new DocResult.Error(text(tree, "id"), text(tree, "rev"), text(tree, "error"), text(tree, "reason"));
            default -> throw new ArborException.BadRequest("bad_request", "unknown document result " + tree);
        };
    }

    public static JsonNode docResults(List<DocResult> results) {
        ArrayNode out = NODES.arrayNode();
        results.forEach(r -> out.add(docResult(r)));
        return out;
    }

    public static List<DocResult> docResults(JsonNode array) {
        List<DocResult> out = new ArrayList<>();
        array.forEach(r -> out.add(docResult(r)));
        return out;
    }

    public static JsonNode openRevs(List<OpenRev> revs) {
        ArrayNode out = NODES.arrayNode();
        for (OpenRev rev : revs) {
            switch (rev) {
                case OpenRev.Found found -> out.addObject().put("kind", "found").set("doc", found.doc());
                case OpenRev.Missing missing -> out.addObject().put("kind", "missing").put("rev", missing.rev());
            }
        }
        return out;
    }

    public static List<OpenRev> openRevs(JsonNode array) {
        List<OpenRev> out = new ArrayList<>();
        array.forEach(entry -> out.add("found".equals(entry.path("kind").asText())
                ? new OpenRev.Found((ObjectNode) entry.get("doc"))
                : new OpenRev.Missing(text(entry, "rev"))));
        return out;
    }

    public static JsonNode allDocsResult(AllDocsResult result) {
        ObjectNode out = object().put("totalRows", result.totalRows()).put("offset", result.offset());
        out.set("updateSeq", result.updateSeq() == null ? NullNode.instance : result.updateSeq().toJson());
        ArrayNode rows = out.putArray("rows");
        result.rows().forEach(row -> rows.add(tree(row)));
        return out;
    }

    public static AllDocsResult allDocsResult(JsonNode tree) {
        List<AllDocsRow> rows = new ArrayList<>();
        tree.path("rows").forEach(row -> rows.add(record(row, AllDocsRow.class)));
        JsonNode seq = tree.get("updateSeq");
        return new AllDocsResult(tree.path("totalRows").asLong(), tree.path("offset").asLong(), rows,
                seq == null || seq.isNull() ? null : Seq.fromJson(seq));
    }

    public static JsonNode revs(Map<String, List<String>> revs) {
        ObjectNode out = object();
        revs.forEach((id, list) -> out.set(id, strings(list)));
        return out;
    }

    public static Map<String, List<String>> revs(JsonNode tree) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        tree.properties().forEach(e -> out.put(e.getKey(), strings(e.getValue())));
        return out;
    }

    public static JsonNode revsDiff(Map<String, RevsDiff> diff) {
        ObjectNode out = object();
        diff.forEach((id, d) -> out.set(id, tree(d)));
        return out;
    }

    public static Map<String, RevsDiff> revsDiff(JsonNode tree) {
        Map<String, RevsDiff> out = new LinkedHashMap<>();
        tree.properties().forEach(e -> out.put(e.getKey(), record(e.getValue(), RevsDiff.class)));
        return out;
    }

    public static JsonNode bulkGetRequests(List<BulkGetRequest> requests) {
        ArrayNode out = NODES.arrayNode();
        requests.forEach(r -> out.add(tree(r)));
        return out;
    }

    public static List<BulkGetRequest> bulkGetRequests(JsonNode array) {
        List<BulkGetRequest> out = new ArrayList<>();
        array.forEach(r -> out.add(record(r, BulkGetRequest.class)));
        return out;
    }

    public static JsonNode bulkGetResults(List<BulkGetResult> results) {
        ArrayNode out = NODES.arrayNode();
        for (BulkGetResult result : results) {
            ObjectNode r = out.addObject().put("id", result.id());
            ArrayNode docs = r.putArray("docs");
            for (BulkGetResult.Entry entry : result.docs()) {
                switch (entry) {
                    case BulkGetResult.Ok ok -> docs.addObject().put("kind", "ok").set("doc", ok.doc());
                    case BulkGetResult.Error e -> docs.addObject().put("kind", "error").put("id", e.id()).put("rev", e.rev())
                            .put("error", e.error()).put("reason", e.reason());
                }
            }
        }
        return out;
    }

    public static List<BulkGetResult> bulkGetResults(JsonNode array) {
        List<BulkGetResult> out = new ArrayList<>();
        array.forEach(r -> {
            List<BulkGetResult.Entry> docs = new ArrayList<>();
            r.path("docs").forEach(e -> docs.add("ok".equals(e.path("kind").asText())
                    ? new BulkGetResult.Ok((ObjectNode) e.get("doc"))
                    : new BulkGetResult.Error(text(e, "id"), text(e, "rev"), text(e, "error"), text(e, "reason"))));
            out.add(new BulkGetResult(text(r, "id"), docs));
        });
        return out;
    }

    // ---- key-value store

    public static JsonNode value(Value value) {
        ObjectNode out = object();
        switch (value) {
            case Value.Bytes bytes -> out.put("kind", "bytes").put("v", bytes.bytes());
            case Value.Text text -> out.put("kind", "text").put("v", text.text());
            case Value.Json json -> out.put("kind", "json").put("v", json.json());
            case Numeric.Integer integer -> out.put("kind", "integer").put("v", integer.value());
            case Numeric.Float number -> out.put("kind", "float").put("v", number.value());
        }
        return out;
    }

    public static Value value(JsonNode tree) {
        JsonNode v = tree.path("v");
        try {
            return switch (tree.path("kind").asText()) {
                case "bytes" -> new Value.Bytes(v.binaryValue());
                case "text" -> new Value.Text(v.asText());
                case "json" -> new Value.Json(v.binaryValue());
                case "integer" -> new Numeric.Integer(v.asLong());
                case "float" -> new Numeric.Float(v.asDouble());
                default -> throw new ArborException.BadRequest("bad_request", "unknown key-value value " + tree);
            };
        } catch (IOException e) {
            throw new ArborException.BadRequest("bad_request", "a key-value value's bytes are not binary: " + tree);
        }
    }

    /** An optional value: the value's tree, or null for none. */
    public static JsonNode optionalValue(Optional<Value> value) {
        return value.map(Values::value).orElse(NullNode.instance);
    }

    public static Optional<Value> optionalValue(JsonNode tree) {
        return tree == null || tree.isNull() || tree.isMissingNode() ? Optional.empty() : Optional.of(value(tree));
    }

    public static JsonNode setOptions(SetOptions options) {
        ObjectNode out = object().put("mustBeVacant", options.mustBeVacant()).put("mustExist", options.mustExist())
                .put("returnsPrevious", options.returnsPrevious());
        ObjectNode expiration = out.putObject("expiration");
        switch (options.expiration()) {
            case Expiration.Never never -> expiration.put("kind", "never");
            case Expiration.KeepExisting keep -> expiration.put("kind", "keep");
            case Expiration.After after -> expiration.put("kind", "after").put("nanos", after.ttl().toNanos());
            case Expiration.At at -> expiration.put("kind", "at").put("seconds", at.instant().getEpochSecond())
                    .put("nanos", at.instant().getNano());
        }
        return out;
    }

    public static SetOptions setOptions(JsonNode tree) {
        JsonNode e = tree.path("expiration");
        Expiration expiration = switch (e.path("kind").asText("never")) {
            case "keep" -> Expiration.KEEP_EXISTING;
            case "after" -> Expiration.in(Duration.ofNanos(e.path("nanos").asLong()));
            case "at" -> Expiration.at(Instant.ofEpochSecond(e.path("seconds").asLong(), e.path("nanos").asLong()));
            default -> Expiration.NEVER;
        };
        return new SetOptions(tree.path("mustBeVacant").asBoolean(), tree.path("mustExist").asBoolean(),
                tree.path("returnsPrevious").asBoolean(), expiration);
    }

    public static JsonNode setResult(SetResult result) {
        ObjectNode out = object().put("status", result.status().name());
        out.set("previous", optionalValue(result.previous()));
        return out;
    }

    public static SetResult setResult(JsonNode tree) {
        return new SetResult(keyStatus(tree.path("status")), optionalValue(tree.get("previous")));
    }

    public static KeyStatus keyStatus(JsonNode tree) {
        try {
            return KeyStatus.valueOf(tree.asText());
        } catch (IllegalArgumentException e) {
            throw new ArborException.BadRequest("bad_request", "unknown key status " + tree);
        }
    }

    public static JsonNode swapResult(SwapResult result) {
        ObjectNode out = object().put("swapped", result.swapped());
        if (result instanceof SwapResult.Mismatch mismatch) {
            out.set("current", optionalValue(mismatch.current()));
        }
        return out;
    }

    public static SwapResult swapResult(JsonNode tree) {
        return tree.path("swapped").asBoolean() ? new SwapResult.Swapped()
                : new SwapResult.Mismatch(optionalValue(tree.get("current")));
    }

    // ----

    public static String text(JsonNode tree, String field) {
        JsonNode node = tree.get(field);
        return node == null || node.isNull() ? null : node.asText();
    }

    /** A required string argument; {@code bad_request} naming it when it is absent. */
    public static String requireText(JsonNode args, String field) {
        JsonNode node = args.get(field);
        if (node == null || !node.isTextual()) {
            throw new ArborException.BadRequest("bad_request", "argument \"" + field + "\" must be a string");
        }
        return node.textValue();
    }
}
