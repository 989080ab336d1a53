package dev.arbor.wire.find;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.find.ExecutionStats;
import dev.arbor.api.find.Explain;
import dev.arbor.api.find.FindRequest;
import dev.arbor.api.find.FindResult;
import dev.arbor.api.find.IndexBulkDeleteResult;
import dev.arbor.api.find.IndexDefinition;
import dev.arbor.api.find.IndexInfo;
import dev.arbor.api.find.IndexResult;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The JSON forms of Mango's requests and answers ({@code _find}, {@code _index}, {@code _explain}), as CouchDB
 * 3.x sends and takes them. The server reads requests and writes answers with it; the remote client does the
 * reverse. Request options are checked as CouchDB's {@code mango_opts} checks them, with its error tokens.
 */
public final class FindJson {
    private static final Set<String> FIND_KEYS = Set.of("selector", "fields", "sort", "limit", "skip", "bookmark",
            "execution_stats", "r", "conflicts", "update", "stable", "stale", "use_index");
    private static final Set<String> INDEX_KEYS = Set.of("index", "ddoc", "name", "type", "partitioned");

    private FindJson() {}

    // ---- _find / _explain request ----------------------------------------------------------------

    /** Reads a {@code _find} body, refusing what CouchDB refuses. */
    public static FindRequest request(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new ArborException.BadRequest("bad_request", "Request body must be a JSON object");
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIND_KEYS.contains(name)) {
                throw new ArborException.BadRequest("invalid_key", "Invalid key " + name + " for this request.");
            }
        }
        JsonNode selector = body.get("selector");
        if (selector == null) {
            throw new ArborException.BadRequest("missing_required_key", "Missing required key: selector");
        }
        if (!selector.isObject()) {
            throw new ArborException.BadRequest("invalid_selector_json",
                    "Selector must be a JSON object, not: " + Json.text(selector));
        }
        FindRequest request = FindRequest.of(selector)
                .fields(fields(body.get("fields")))
                .sort(sort(body.get("sort")))
                .limit(nonNegative(body.get("limit"), FindRequest.DEFAULT_LIMIT))
                .skip(nonNegative(body.get("skip"), 0))
                .bookmark(bookmark(body.get("bookmark")))
                .executionStats(bool(body.get("execution_stats"), false))
                .r(positive(body.get("r"), 1))
                .conflicts(bool(body.get("conflicts"), false))
                .update(bool(body.get("update"), true))
                .stable(bool(body.get("stable"), false))
                .useIndex(useIndex(body.get("use_index")));
        JsonNode stale = body.get("stale");
        if (stale != null && !stale.isNull()) {
            // CouchDB's deprecated spelling of stable=true&update=false.
            if (!(stale.isTextual() && stale.textValue().equals("ok")) && !(stale.isBoolean() && !stale.booleanValue())) {
                throw new ArborException.BadRequest("invalid_value", "Invalid value for stale: " + Json.text(stale));
            }
            if (stale.isTextual()) {
                request = request.stable(true).update(false);
            }
        }
        return request;
    }

    private static List<String> fields(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isArray()) {
            throw new ArborException.BadRequest("invalid_fields", "Fields must be an array of strings, not: " + Json.text(node));
        }
        List<String> fields = new ArrayList<>();
        for (JsonNode field : node) {
            if (!field.isTextual()) {
                throw new ArborException.BadRequest("invalid_field", "Invalid JSON for field spec: " + Json.text(field));
            }
            fields.add(field.textValue());
        }
        return fields;
    }

    private static JsonNode sort(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isArray()) {
            throw new ArborException.BadRequest("invalid_sort_json", "Sort must be an array of sort specs, not: " + Json.text(node));
        }
        return node;
    }

    private static String bookmark(JsonNode node) {
        if (node == null || node.isNull() || (node.isTextual() && node.textValue().equals("nil"))) {
            return null;
        }
        if (!node.isTextual()) {
            throw new ArborException.BadRequest("invalid_bookmark", "Invalid bookmark value: " + Json.text(node));
        }
        return node.textValue().isEmpty() ? null : node.textValue();
    }

    private static int nonNegative(JsonNode node, int absent) {
        if (node == null || node.isNull()) {
            return absent;
        }
        if (!node.canConvertToInt() || !node.isIntegralNumber() || node.intValue() < 0) {
            if (node.isIntegralNumber() && node.canConvertToLong() && node.longValue() > Integer.MAX_VALUE) {
                return Integer.MAX_VALUE;
            }
            throw new ArborException.BadRequest("invalid_non_neg_integer",
                    Json.text(node) + " is not an integer greater than or equal to zero");
        }
        return node.intValue();
    }

    private static int positive(JsonNode node, int absent) {
        if (node == null || node.isNull()) {
            return absent;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < 1) {
            throw new ArborException.BadRequest("invalid_pos_integer", Json.text(node) + " is not an integer greater than zero");
        }
        return node.intValue();
    }

    private static boolean bool(JsonNode node, boolean absent) {
        if (node == null || node.isNull()) {
            return absent;
        }
        if (!node.isBoolean()) {
            throw new ArborException.BadRequest("invalid_boolean", "Invalid boolean value: " + Json.text(node));
        }
        return node.booleanValue();
    }

    private static List<String> useIndex(JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (node.isTextual()) {
            return node.textValue().isEmpty() ? List.of() : List.of(node.textValue());
        }
        if (node.isArray() && node.size() <= 2) {
            List<String> names = new ArrayList<>();
            for (JsonNode name : node) {
                if (!name.isTextual()) {
                    throw invalidUseIndex(node);
                }
                names.add(name.textValue());
            }
            return names;
        }
        throw invalidUseIndex(node);
    }

    private static ArborException invalidUseIndex(JsonNode node) {
        return new ArborException.BadRequest("invalid_index_name", "Invalid index name: " + Json.text(node));
    }

    /** The body CouchDB's {@code _find} takes, leaving out what is at its default. */
    public static ObjectNode request(FindRequest request) {
        ObjectNode body = Json.object();
        body.set("selector", request.selector());
        if (request.fields() != null) {
            ArrayNode fields = body.putArray("fields");
            request.fields().forEach(fields::add);
        }
        if (request.sort() != null && !request.sort().isEmpty()) {
            body.set("sort", request.sort());
        }
        body.put("limit", request.limit());
        if (request.skip() > 0) {
            body.put("skip", request.skip());
        }
        if (request.bookmark() != null) {
            body.put("bookmark", request.bookmark());
        }
        if (request.executionStats()) {
            body.put("execution_stats", true);
        }
        if (request.r() != 1) {
            body.put("r", request.r());
        }
        if (request.conflicts()) {
            body.put("conflicts", true);
        }
        if (!request.update()) {
            body.put("update", false);
        }
        if (request.stable()) {
            body.put("stable", true);
        }
        if (!request.useIndex().isEmpty()) {
            ArrayNode useIndex = body.putArray("use_index");
            request.useIndex().forEach(useIndex::add);
        }
        return body;
    }

    // ---- _find answer --------------------------------------------------------------------------

    /** {@code {"docs":[..],"bookmark":"..","warning":"..","execution_stats":{..}}}. */
    public static ObjectNode result(FindResult result) {
        ObjectNode body = Json.object();
        ArrayNode docs = body.putArray("docs");
        result.docs().forEach(docs::add);
        body.put("bookmark", result.bookmark());
        if (!result.warnings().isEmpty()) {
            body.put("warning", String.join("\n", result.warnings()));
        }
        if (result.executionStats() != null) {
            ExecutionStats stats = result.executionStats();
            body.putObject("execution_stats")
                    .put("total_keys_examined", stats.totalKeysExamined())
                    .put("total_docs_examined", stats.totalDocsExamined())
                    .put("total_quorum_docs_examined", stats.totalQuorumDocsExamined())
                    .put("results_returned", stats.resultsReturned())
                    .put("execution_time_ms", stats.executionTimeMs());
        }
        return body;
    }

    public static FindResult result(JsonNode body) {
        List<ObjectNode> docs = new ArrayList<>();
        for (JsonNode doc : body.path("docs")) {
            docs.add((ObjectNode) doc);
        }
        JsonNode warning = body.get("warning");
        List<String> warnings = warning == null || warning.isNull() ? List.of() : List.of(warning.asText().split("\n"));
        JsonNode stats = body.get("execution_stats");
        ExecutionStats executionStats = stats == null ? null : new ExecutionStats(
                stats.path("total_keys_examined").asLong(), stats.path("total_docs_examined").asLong(),
                stats.path("total_quorum_docs_examined").asLong(), stats.path("results_returned").asLong(),
                stats.path("execution_time_ms").asDouble());
        return new FindResult(docs, body.path("bookmark").asText("nil"), warnings, executionStats);
    }

    // ---- _index --------------------------------------------------------------------------------

    /** Reads {@code POST /{db}/_index}'s body: {@code {"index":{"fields":[..],"partial_filter_selector":{..}},"ddoc":..,"name":..,"type":"json"}}. */
    public static IndexDefinition indexDefinition(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new ArborException.BadRequest("bad_request", "Request body must be a JSON object");
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!INDEX_KEYS.contains(name)) {
                throw new ArborException.BadRequest("invalid_key", "Invalid key " + name + " for this request.");
            }
        }
        JsonNode type = body.get("type");
        boolean known = type != null && type.isTextual()
                && (type.textValue().equals(IndexDefinition.JSON) || type.textValue().equals(IndexDefinition.ARRAY));
        if (type != null && !type.isNull() && !known) {
            // Text (search) and nouveau indexes need a search service Arbor does not have.
            throw new ArborException.BadRequest("invalid_index", "Invalid type for index: " + type.asText(Json.text(type)));
        }
        JsonNode partitioned = body.get("partitioned");
        if (partitioned != null && !partitioned.isNull() && !partitioned.isBoolean()) {
            throw new ArborException.BadRequest("invalid_partitioned_value", "Invalid value for partitioned: " + Json.text(partitioned));
        }
        JsonNode index = body.get("index");
        if (index == null) {
            throw new ArborException.BadRequest("missing_required_key", "Missing required key: index");
        }
        if (!index.isObject()) {
            throw new ArborException.BadRequest("invalid_index", "JSON indexes must be an object, not: " + Json.text(index));
        }
        JsonNode fields = index.get("fields");
        if (fields == null) {
            throw new ArborException.BadRequest("missing_required_key", "Missing required key: fields");
        }
        JsonNode partial = index.get("partial_filter_selector");
        if (partial != null && (partial.isNull() || (partial.isObject() && partial.isEmpty()))) {
            partial = null;
        }
        if (partial != null && !partial.isObject()) {
            throw new ArborException.BadRequest("invalid_selector_json",
                    "Selector must be a JSON object, not: " + Json.text(partial));
        }
        return new IndexDefinition(sortFieldNames(fields), partial, optionalName(body.get("ddoc"), "ddoc"),
                optionalName(body.get("name"), "name"),
                partitioned == null || partitioned.isNull() ? null : partitioned.booleanValue(),
                known ? type.textValue() : null);
    }

    /**
     * The field names of CouchDB's sort syntax ({@code ["a", {"b": "asc"}]}), as index definitions use it.
     * Every field must go one direction (CouchDB's {@code mango_sort}); an index is the same either way.
     */
    public static List<String> sortFieldNames(JsonNode fields) {
        if (!fields.isArray() || fields.isEmpty()) {
            throw new ArborException.BadRequest("invalid_sort_json", "Sort must be an array of sort specs, not: " + Json.text(fields));
        }
        List<String> names = new ArrayList<>();
        String direction = null;
        for (JsonNode spec : fields) {
            String name;
            String dir = "asc";
            if (spec.isTextual()) {
                name = spec.textValue();
            } else if (spec.isObject() && spec.size() == 1) {
                Map.Entry<String, JsonNode> only = spec.properties().iterator().next();
                name = only.getKey();
                if (!only.getValue().isTextual() || !(only.getValue().textValue().equals("asc") || only.getValue().textValue().equals("desc"))) {
                    throw new ArborException.BadRequest("invalid_sort_dir", "Invalid sort direction: " + Json.text(only.getValue()));
                }
                dir = only.getValue().textValue();
            } else {
                throw new ArborException.BadRequest("invalid_sort_field", "Invalid sort field: " + Json.text(spec));
            }
            if (name.isEmpty()) {
                throw new ArborException.BadRequest("invalid_sort_field", "Invalid sort field: " + Json.text(spec));
            }
            if (direction != null && !direction.equals(dir)) {
                throw new ArborException.BadRequest("unsupported_mixed_sort", "Sorts currently only support a single direction for all fields.");
            }
            direction = dir;
            names.add(name);
        }
        return names;
    }

    private static String optionalName(JsonNode node, String what) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual() || node.textValue().isEmpty()) {
            throw new ArborException.BadRequest("invalid_index_name", "Invalid index name: " + Json.text(node));
        }
        return node.textValue();
    }

    public static ObjectNode indexDefinition(IndexDefinition definition) {
        ObjectNode body = Json.object();
        ObjectNode index = body.putObject("index");
        ArrayNode fields = index.putArray("fields");
        definition.fields().forEach(fields::add);
        if (definition.partialFilterSelector() != null) {
            index.set("partial_filter_selector", definition.partialFilterSelector());
        }
        if (definition.ddoc() != null) {
            body.put("ddoc", definition.ddoc());
        }
        if (definition.name() != null) {
            body.put("name", definition.name());
        }
        body.put("type", definition.type() == null ? IndexDefinition.JSON : definition.type());
        if (definition.partitioned() != null) {
            body.put("partitioned", definition.partitioned());
        }
        return body;
    }

    /** {@code POST /{db}/_index/_bulk_delete}'s body. */
    public static ObjectNode bulkDeleteRequest(List<String> ddocs) {
        ObjectNode body = Json.object();
        ArrayNode docids = body.putArray("docids");
        ddocs.forEach(docids::add);
        return body;
    }

    /**
     * {@code POST /{db}/_index/_bulk_delete}'s answer: {@code {"success": [{"id", "ok": true}], "fail": [{"id",
     * "error"}]}}, both lists in reverse request order, as CouchDB folds them up.
     */
    public static ObjectNode bulkDeleteResult(IndexBulkDeleteResult result) {
        ObjectNode response = Json.object();
        ArrayNode success = response.putArray("success");
        for (String id : result.deleted().reversed()) {
            success.addObject().put("id", id).put("ok", true);
        }
        ArrayNode fail = response.putArray("fail");
        for (IndexBulkDeleteResult.Failure failure : result.failed().reversed()) {
            fail.addObject().put("id", failure.ddoc()).put("error", failure.error());
        }
        return response;
    }

    /** Reads {@link #bulkDeleteResult(IndexBulkDeleteResult)}'s form back, in request order. */
    public static IndexBulkDeleteResult bulkDeleteResult(JsonNode body) {
        List<String> deleted = new ArrayList<>();
        body.path("success").forEach(entry -> deleted.add(entry.path("id").asText()));
        List<IndexBulkDeleteResult.Failure> failed = new ArrayList<>();
        body.path("fail").forEach(entry -> failed.add(
                new IndexBulkDeleteResult.Failure(entry.path("id").asText(), entry.path("error").asText())));
        return new IndexBulkDeleteResult(deleted.reversed(), failed.reversed());
    }

    public static ObjectNode indexResult(IndexResult result) {
        return Json.object().put("result", result.result()).put("id", result.id()).put("name", result.name());
    }

    public static IndexResult indexResult(JsonNode body) {
        return new IndexResult("created".equals(body.path("result").asText()), body.path("id").asText(), body.path("name").asText());
    }

    /** One entry of {@code GET /{db}/_index}: {@code {"ddoc":..,"name":..,"type":..,"partitioned":..,"def":{"fields":[{"f":"asc"}]}}}. */
    public static ObjectNode indexInfo(IndexInfo info) {
        ObjectNode body = Json.object();
        if (info.ddoc() == null) {
            body.putNull("ddoc");
        } else {
            body.put("ddoc", info.ddoc());
        }
        body.put("name", info.name()).put("type", info.type());
        if (!info.isAllDocs()) {
            body.put("partitioned", info.partitioned());
        }
        ObjectNode def = body.putObject("def");
        ArrayNode fields = def.putArray("fields");
        info.fields().forEach(f -> fields.addObject().put(f, "asc"));
        if (info.partialFilterSelector() != null) {
            def.set("partial_filter_selector", info.partialFilterSelector());
        }
        return body;
    }

    public static IndexInfo indexInfo(JsonNode body) {
        JsonNode ddoc = body.get("ddoc");
        JsonNode def = body.path("def");
        JsonNode partial = def.get("partial_filter_selector");
        return new IndexInfo(ddoc == null || ddoc.isNull() ? null : ddoc.asText(), body.path("name").asText(),
                body.path("type").asText(), sortFieldNames(def.path("fields")),
                partial == null || partial.isNull() || partial.isEmpty() ? null : partial,
                body.path("partitioned").asBoolean(false));
    }

    /** {@code GET /{db}/_index}: {@code {"total_rows":n,"indexes":[..]}}. */
    public static ObjectNode indexList(List<IndexInfo> indexes) {
        ObjectNode body = Json.object().put("total_rows", indexes.size());
        ArrayNode list = body.putArray("indexes");
        indexes.forEach(i -> list.add(indexInfo(i)));
        return body;
    }

    public static List<IndexInfo> indexList(JsonNode body) {
        List<IndexInfo> indexes = new ArrayList<>();
        for (JsonNode index : body.path("indexes")) {
            indexes.add(indexInfo(index));
        }
        return indexes;
    }

    // ---- _explain ------------------------------------------------------------------------------

    /**
     * CouchDB's {@code _explain} body ({@code dbname}, {@code index}, {@code selector}, {@code opts}, {@code limit},
     * {@code skip}, {@code fields}, {@code mrargs}, {@code covering}, {@code index_candidates}), plus Arbor's own
     * member {@code arbor} with the strategy, every range read and whether the sort runs in memory.
     */
    public static ObjectNode explain(Explain explain) {
        ObjectNode body = Json.object();
        body.put("dbname", explain.dbname());
        body.set("index", indexInfo(explain.index()));
        body.put("partitioned", explain.index().partitioned());
        body.set("selector", explain.selector());
        ObjectNode fullOpts = body.putObject("opts");
        ArrayNode useIndex = fullOpts.putArray("use_index");
        explain.request().useIndex().forEach(useIndex::add);
        fullOpts.put("bookmark", explain.request().bookmark() == null ? "nil" : explain.request().bookmark());
        fullOpts.put("limit", explain.request().limit());
        fullOpts.put("skip", explain.request().skip());
        fullOpts.set("sort", sortObject(explain.request().sortOrEmpty()));
        fullOpts.set("fields", fieldsJson(explain.fields()));
        fullOpts.put("partition", "");
        fullOpts.putArray("r").add(explain.request().r());
        fullOpts.put("conflicts", explain.request().conflicts());
        fullOpts.put("stale", false);
        fullOpts.put("update", explain.request().update());
        fullOpts.put("stable", explain.request().stable());
        fullOpts.put("execution_stats", explain.request().executionStats());
        body.put("limit", explain.request().limit());
        body.put("skip", explain.request().skip());
        body.set("fields", fieldsJson(explain.fields()));
        Explain.Scan first = explain.scans().isEmpty() ? null : explain.scans().get(0);
        ObjectNode mrargs = body.putObject("mrargs");
        mrargs.put("include_docs", true).put("view_type", "map").put("reduce", false).putNull("partition");
        mrargs.set("start_key", first == null || first.startKey() == null ? NullNode.getInstance() : first.startKey());
        mrargs.set("end_key", first == null || first.endKey() == null ? Json.MAPPER.createObjectNode().put("<MAX>", true) : first.endKey());
        mrargs.put("direction", first != null && first.descending() ? "rev" : "fwd");
        mrargs.put("stable", explain.request().stable()).put("update", String.valueOf(explain.request().update()));
        mrargs.put("conflicts", explain.request().conflicts() ? "true" : "undefined");
        body.put("covering", false);
        ArrayNode candidates = body.putArray("index_candidates");
        for (Explain.Candidate candidate : explain.candidates()) {
            ObjectNode entry = candidates.addObject();
            entry.set("index", indexInfo(candidate.index()));
            ObjectNode analysis = entry.putObject("analysis");
            analysis.put("usable", candidate.usable());
            ArrayNode reasons = analysis.putArray("reasons");
            candidate.reasons().forEach(r -> reasons.addObject().put("name", r));
            analysis.put("ranking", candidate.ranking());
            analysis.put("covering", false);
        }
        ObjectNode arbor = body.putObject("arbor");
        arbor.put("strategy", explain.strategy().name().toLowerCase(java.util.Locale.ROOT));
        arbor.put("sort_in_memory", explain.sortInMemory());
        ArrayNode scans = arbor.putArray("scans");
        for (Explain.Scan scan : explain.scans()) {
            ObjectNode entry = scans.addObject();
            entry.set("index", indexInfo(scan.index()));
            entry.set("start_key", scan.startKey() == null ? NullNode.getInstance() : scan.startKey());
            entry.put("inclusive_start", scan.inclusiveStart());
            entry.set("end_key", scan.endKey() == null ? NullNode.getInstance() : scan.endKey());
            entry.put("inclusive_end", scan.inclusiveEnd());
            entry.put("direction", scan.descending() ? "rev" : "fwd");
        }
        ArrayNode warnings = arbor.putArray("warnings");
        explain.warnings().forEach(warnings::add);
        return body;
    }

    /** Reads an {@code _explain} body; from a server other than Arbor, only the CouchDB members are there. */
    public static Explain explain(JsonNode body) {
        JsonNode opts = body.path("opts");
        FindRequest request = FindRequest.of(body.path("selector"))
                .limit(body.path("limit").asInt(FindRequest.DEFAULT_LIMIT))
                .skip(body.path("skip").asInt(0))
                .conflicts(opts.path("conflicts").asBoolean(false))
                .update(opts.path("update").asBoolean(true))
                .stable(opts.path("stable").asBoolean(false))
                .executionStats(opts.path("execution_stats").asBoolean(false));
        JsonNode fieldsNode = body.path("fields");
        List<String> fields = fieldsNode.isArray() ? fields(fieldsNode) : null;
        IndexInfo index = indexInfo(body.path("index"));
        List<Explain.Candidate> candidates = new ArrayList<>();
        for (JsonNode candidate : body.path("index_candidates")) {
            List<String> reasons = new ArrayList<>();
            candidate.path("analysis").path("reasons").forEach(r -> reasons.add(r.path("name").asText()));
            candidates.add(new Explain.Candidate(indexInfo(candidate.path("index")),
                    candidate.path("analysis").path("usable").asBoolean(), reasons,
                    candidate.path("analysis").path("ranking").asInt()));
        }
        JsonNode arbor = body.path("arbor");
        List<Explain.Scan> scans = new ArrayList<>();
        for (JsonNode scan : arbor.path("scans")) {
            scans.add(new Explain.Scan(indexInfo(scan.path("index")), nullToNull(scan.get("start_key")),
                    scan.path("inclusive_start").asBoolean(), nullToNull(scan.get("end_key")),
                    scan.path("inclusive_end").asBoolean(), scan.path("direction").asText().equals("rev")));
        }
        Explain.Strategy strategy = arbor.has("strategy")
                ? Explain.Strategy.valueOf(arbor.path("strategy").asText().toUpperCase(java.util.Locale.ROOT))
                : index.isAllDocs() ? Explain.Strategy.FULL_SCAN : Explain.Strategy.INDEX_SCAN;
        List<String> warnings = new ArrayList<>();
        arbor.path("warnings").forEach(w -> warnings.add(w.asText()));
        return new Explain(body.path("dbname").asText(), index, body.path("selector"), request, fields, strategy, scans,
                arbor.path("sort_in_memory").asBoolean(false), candidates, warnings);
    }

    private static JsonNode nullToNull(JsonNode node) {
        return node == null || node.isNull() ? null : node;
    }

    private static JsonNode fieldsJson(List<String> fields) {
        if (fields == null) {
            return Json.MAPPER.getNodeFactory().textNode("all_fields");
        }
        ArrayNode array = Json.MAPPER.createArrayNode();
        fields.forEach(array::add);
        return array;
    }

    /** CouchDB shows the sort in {@code opts} as an object, field to direction. */
    private static ObjectNode sortObject(JsonNode sort) {
        ObjectNode object = Json.object();
        for (JsonNode spec : sort) {
            if (spec.isTextual()) {
                object.put(spec.textValue(), "asc");
            } else if (spec.isObject()) {
                object.setAll((ObjectNode) spec);
            }
        }
        return object;
    }
}
