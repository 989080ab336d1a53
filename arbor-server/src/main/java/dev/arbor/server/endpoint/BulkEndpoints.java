package dev.arbor.server.endpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.BulkGetRequest;
import dev.arbor.api.BulkGetResult;
import dev.arbor.api.Database;
import dev.arbor.api.DocResult;
import dev.arbor.api.GetOptions;
import dev.arbor.api.RevsDiff;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import dev.arbor.server.http.Access;
import dev.arbor.server.http.HttpExchange;
import dev.arbor.server.http.QueryParams;
import dev.arbor.server.http.Route;
import dev.arbor.server.http.Router;
import dev.arbor.wire.CouchJson;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The replicator's batch paths: {@code _bulk_docs}, {@code _bulk_get}, {@code _revs_diff}, {@code _missing_revs}. */
public final class BulkEndpoints {
    private final ServerContext context;

    public BulkEndpoints(ServerContext context) {
        this.context = context;
    }

    public void register(Router router) {
        router.databaseAction("_bulk_docs", new Route().post(Access.WRITE, this::bulkDocs));
        router.databaseAction("_bulk_get", new Route().post(Access.READ, this::bulkGet));
        router.databaseAction("_revs_diff", new Route().post(Access.READ, this::revsDiff));
        router.databaseAction("_missing_revs", new Route().post(Access.READ, this::missingRevs));
    }

    /** {@code {"docs":[...],"new_edits":bool}} → 201 with one result per doc (only failures when new_edits is false). */
    private void bulkDocs(HttpExchange exchange) {
        exchange.requireJsonContentType();
        Database db = context.database(exchange);
        ObjectNode body = exchange.readJsonObject();
        JsonNode docs = body.get("docs");
        if (docs == null) {
            throw new ArborException.BadRequest("bad_request", "POST body must include `docs` parameter.");
        }
        if (!docs.isArray()) {
            throw new ArborException.BadRequest("bad_request", "`docs` parameter must be an array.");
        }
        JsonNode newEditsNode = body.get("new_edits");
        if (newEditsNode != null && !newEditsNode.isBoolean()) {
            throw new ArborException.BadRequest("bad_request", "`new_edits` parameter must be a boolean.");
        }
        boolean newEdits = newEditsNode == null || newEditsNode.booleanValue();
        List<ObjectNode> list = new ArrayList<>(docs.size());
        for (JsonNode doc : docs) {
            if (!(doc instanceof ObjectNode object)) {
                throw new ArborException.BadRequest("bad_request", "Document must be a JSON object");
            }
            list.add(object);
        }
        List<DocResult> results = db.bulkDocs(list, newEdits);
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (DocResult result : results) {
            ObjectNode json = CouchJson.docResult(result);
            if (result instanceof DocResult.Error error && error.rev() != null) {
                json.put("rev", error.rev());
            }
            out.add(json);
        }
        exchange.sendJson(201, out);
    }

    /**
     * {@code {"docs":[{"id","rev"?,"atts_since"?}...]}} with {@code revs}, {@code latest}, {@code attachments}
     * → {@code {"results":[{"id","docs":[{"ok":doc}|{"error":{...}}]}]}}. An entry without a string id gets an
     * error of its own instead of failing the batch, as in CouchDB.
     */
    private void bulkGet(HttpExchange exchange) {
        Database db = context.database(exchange);
        QueryParams query = exchange.query();
        GetOptions options = GetOptions.DEFAULT
                .revs(query.bool("revs", false))
                .latest(query.bool("latest", false))
                .attachments(query.bool("attachments", false));
        JsonNode docs = exchange.readJsonObject().get("docs");
        if (docs == null || !docs.isArray()) {
            throw new ArborException.BadRequest("bad_request", "Missing JSON list of 'docs'.");
        }
        List<BulkGetRequest> requests = new ArrayList<>();
        List<ObjectNode> invalid = new ArrayList<>(docs.size());
        for (JsonNode entry : docs) {
            JsonNode id = entry.get("id");
            JsonNode rev = entry.get("rev");
            if (id == null || !id.isTextual() || (rev != null && !rev.isTextual() && !rev.isNull())) {
                invalid.add(invalidEntry(entry));
                continue;
            }
            JsonNode attsSince = entry.get("atts_since");
            invalid.add(null);
            requests.add(new BulkGetRequest(id.textValue(), rev == null || rev.isNull() ? null : rev.textValue(),
                    attsSince == null || attsSince.isNull() ? List.of() : QueryParams.stringList(attsSince, "atts_since")));
        }
        List<BulkGetResult> found = requests.isEmpty() ? List.of() : db.bulkGet(requests, options);
        ObjectNode body = Json.object();
        ArrayNode results = body.putArray("results");
        int next = 0;
        for (ObjectNode bad : invalid) {
            results.add(bad != null ? bad : resultJson(found.get(next++)));
        }
        exchange.sendJson(200, body);
    }

    private static ObjectNode invalidEntry(JsonNode entry) {
        ObjectNode result = Json.object();
        result.set("id", entry.get("id"));
        ObjectNode error = result.putArray("docs").addObject().putObject("error");
        error.set("id", entry.get("id"));
        error.set("rev", entry.get("rev"));
        error.put("error", "bad_request").put("reason", "Document id must be a string and rev, when given, a string");
        return result;
    }

    private static ObjectNode resultJson(BulkGetResult result) {
        ObjectNode json = Json.object().put("id", result.id());
        ArrayNode docs = json.putArray("docs");
        for (BulkGetResult.Entry entry : result.docs()) {
            switch (entry) {
                case BulkGetResult.Ok ok -> docs.addObject().set("ok", ok.doc());
                case BulkGetResult.Error error -> docs.addObject().putObject("error")
                        .put("id", error.id()).put("rev", error.rev())
                        .put("error", error.error()).put("reason", error.reason());
            }
        }
        return json;
    }

    /** {@code {"id":["rev",...]}} → the ids with revisions this database lacks, and their possible ancestors. */
    private void revsDiff(HttpExchange exchange) {
        Database db = context.database(exchange);
        Map<String, RevsDiff> diff = db.revsDiff(DatabaseEndpoints.revsById(exchange.readJsonObject()));
        ObjectNode body = Json.object();
        diff.forEach((id, d) -> {
            if (d.missing().isEmpty()) {
                return;
            }
            ObjectNode entry = body.putObject(id);
            entry.set("missing", Json.MAPPER.valueToTree(d.missing()));
            if (!d.possibleAncestors().isEmpty()) {
                entry.set("possible_ancestors", Json.MAPPER.valueToTree(d.possibleAncestors()));
            }
        });
        exchange.sendJson(200, body);
    }

    /** The older form of {@code _revs_diff}: {@code {"missing_revs":{"id":["rev",...]}}}. */
    private void missingRevs(HttpExchange exchange) {
        Database db = context.database(exchange);
        Map<String, RevsDiff> diff = db.revsDiff(DatabaseEndpoints.revsById(exchange.readJsonObject()));
        ObjectNode body = Json.object();
        ObjectNode missing = body.putObject("missing_revs");
        diff.forEach((id, d) -> {
            if (!d.missing().isEmpty()) {
                missing.set(id, Json.MAPPER.valueToTree(d.missing()));
            }
        });
        exchange.sendJson(200, body);
    }
}
