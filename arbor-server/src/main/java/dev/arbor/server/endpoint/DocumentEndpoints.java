package dev.arbor.server.endpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.Database;
import dev.arbor.api.DocumentJson;
import dev.arbor.api.DocResult;
import dev.arbor.api.GetOptions;
import dev.arbor.api.OpenRev;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import dev.arbor.server.http.Access;
import dev.arbor.server.http.AccessRule;
import dev.arbor.server.http.HttpError;
import dev.arbor.server.http.HttpExchange;
import dev.arbor.server.http.QueryParams;
import dev.arbor.server.http.Route;
import dev.arbor.server.http.Router;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Documents: {@code GET/HEAD/PUT/DELETE/COPY /{db}/{docid}} (also {@code _design/...} and
 * {@code _local/...}) and {@code POST /{db}}. Reads honour CouchDB's options (rev, revs, revs_info,
 * conflicts, deleted_conflicts, open_revs, latest, attachments, atts_since, local_seq, meta) and
 * {@code If-None-Match} (304); writes take the revision from {@code ?rev}, {@code If-Match} or the
 * body, and {@code batch=ok} (202) and {@code new_edits=false}.
 */
public final class DocumentEndpoints {
    private static final System.Logger LOG = System.getLogger("dev.arbor.server");

    private final ServerContext context;
    private final MultipartDocuments multipart;

    /** @param multipart the multipart forms, or null when none is installed */
    public DocumentEndpoints(ServerContext context, MultipartDocuments multipart) {
        this.context = context;
        this.multipart = multipart;
    }

    /** What writing a document (or one of its attachments) needs: only database admins write design documents, as in CouchDB. */
    public static final AccessRule WRITE_ACCESS =
            ex -> ex.docId() != null && ex.docId().startsWith("_design/") ? Access.DB_ADMIN : Access.WRITE;

    public void register(Router router, Route databaseRoute) {
        databaseRoute.post(Access.WRITE, this::post);
        router.document(new Route()
                .get(Access.READ, this::get)
                .on("PUT", WRITE_ACCESS, this::put)
                .on("DELETE", WRITE_ACCESS, this::delete)
                .on("COPY", WRITE_ACCESS, this::copy));
    }

    // ---- reads ---------------------------------------------------------------------------------

    private void get(HttpExchange exchange) throws Exception {
        Database db = context.database(exchange);
        String id = exchange.docId();
        if (id.startsWith("_local/")) {
            sendWithETag(exchange, db.getLocal(id));
            return;
        }
        QueryParams query = exchange.query();
        GetOptions options = getOptions(query);
        String openRevs = query.string("open_revs");
        if (openRevs != null) {
            List<String> revs = openRevs.equals("all") ? null : query.stringList("open_revs");
            if (multipart != null && listsMediaType(exchange.header("Accept"), "multipart/mixed")) {
                multipart.sendOpenRevs(exchange, db, id, revs, options);
                return;
            }
            List<OpenRev> found = db.getOpenRevs(id, revs, options);
            ArrayNode body = Json.MAPPER.createArrayNode();
            for (OpenRev rev : found) {
                switch (rev) {
                    case OpenRev.Found ok -> body.addObject().set("ok", ok.doc());
                    case OpenRev.Missing missing -> body.addObject().put("missing", missing.rev());
                }
            }
            exchange.sendJson(200, body);
            return;
        }
        if (multipart != null && options.attachments()
                && accepts(exchange.header("Accept"), "multipart/related")
                && !accepts(exchange.header("Accept"), "application/json")) {
            // A document without attachments goes out as plain JSON from there too.
            multipart.sendDocument(exchange, db, id, options);
            return;
        }
        // As bytes: the engine splices the stored body in rather than parsing it and encoding it again.
        DocumentJson doc = db.getJson(id, options);
        if (!notModified(exchange, doc.rev())) {
            exchange.sendJsonBytes(200, doc.json());
        }
    }

    /** 200 with {@code ETag: "<rev>"}, or 304 when the client's {@code If-None-Match} names that rev. */
    private static void sendWithETag(HttpExchange exchange, ObjectNode doc) {
        if (!notModified(exchange, doc.path("_rev").asText())) {
            exchange.sendJson(200, doc);
        }
    }

    /** Sets {@code ETag: "<rev>"}; answers 304 and returns true when the client's {@code If-None-Match} names that rev. */
    private static boolean notModified(HttpExchange exchange, String rev) {
        String etag = "\"" + rev + "\"";
        exchange.setHeader("ETag", etag);
        if (matches(exchange.header("If-None-Match"), etag)) {
            exchange.sendEmpty(304);
            return true;
        }
        return false;
    }

    static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.strip();
            if (tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.equals(etag) || tag.equals("*")) {
                return true;
            }
        }
        return false;
    }

    static GetOptions getOptions(QueryParams query) {
        boolean meta = query.bool("meta", false);
        List<String> attsSince = query.stringList("atts_since");
        return GetOptions.DEFAULT
                .rev(query.string("rev"))
                .revs(query.bool("revs", false))
                .revsInfo(meta || query.bool("revs_info", false))
                .conflicts(meta || query.bool("conflicts", false))
                .deletedConflicts(meta || query.bool("deleted_conflicts", false))
                .latest(query.bool("latest", false))
                .attachments(query.bool("attachments", false))
                .attsSince(attsSince == null ? List.of() : attsSince)
                .localSeq(query.bool("local_seq", false));
    }

    /**
     * Whether an {@code Accept} header admits {@code type}, as CouchDB (mochiweb) decides: no header,
     * {@code * /*} or {@code multipart/*} admit every multipart type.
     */
    static boolean accepts(String accept, String type) {
        if (accept == null || accept.isBlank()) {
            return true;
        }
        String major = type.substring(0, type.indexOf('/'));
        for (String range : accept.split(",")) {
            String media = range.split(";")[0].strip().toLowerCase(Locale.ROOT);
            if (media.equals(type) || media.equals("*/*") || media.equals(major + "/*")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether an {@code Accept} header lists {@code type} itself. CouchDB answers {@code open_revs} as
     * {@code multipart/mixed} only then ({@code lists:member} of the header's tokens): a missing header or
     * {@code * /*} gets JSON.
     */
    static boolean listsMediaType(String accept, String type) {
        if (accept == null) {
            return false;
        }
        for (String item : accept.split(",")) {
            String media = item.split(";")[0].strip();
            if (media.equalsIgnoreCase(type)) {
                return true;
            }
        }
        return false;
    }

    // ---- writes --------------------------------------------------------------------------------

    private void put(HttpExchange exchange) throws Exception {
        Database db = context.database(exchange);
        String id = exchange.docId();
        QueryParams query = exchange.query();
        boolean newEdits = query.bool("new_edits", true);
        DocResult.Ok result;
        String contentType = exchange.contentType();
        if (contentType != null && contentType.startsWith("multipart/")) {
            if (multipart == null || !contentType.equals("multipart/related")) {
                throw new HttpError(415, "bad_content_type", "Content-Type must be multipart/related or application/json");
            }
            result = multipart.put(exchange, db, id, newEdits);
        } else {
            ObjectNode doc = exchange.readJsonObject();
            doc.put("_id", id);
            String rev = requestedRev(exchange, doc.get("_rev"));
            if (rev != null) {
                doc.put("_rev", rev);
            }
            if (isBatch(query)) {
                writeInBatchMode(db, doc, newEdits);
                exchange.sendJson(202, Json.object().put("ok", true).put("id", id));
                return;
            }
            result = write(db, doc, newEdits);
        }
        sendWritten(exchange, 201, result);
    }

    private static boolean isBatch(QueryParams query) {
        return "ok".equals(query.string("batch"));
    }

    /**
     * CouchDB answers {@code batch=ok} with 202 before writing, and only logs a write that then fails.
     * Arbor writes before answering (its group commit already batches concurrent writers), and keeps
     * the contract: the client hears 202 either way, the failure goes to the log.
     */
    private static void writeInBatchMode(Database db, ObjectNode doc, boolean newEdits) {
        try {
            write(db, doc, newEdits);
        } catch (ArborException e) {
            LOG.log(System.Logger.Level.WARNING, "batch=ok write of " + doc.path("_id").asText() + " failed: "
                    + e.error() + " " + e.reason());
        }
    }

    private static DocResult.Ok write(Database db, ObjectNode doc, boolean newEdits) {
        String id = doc.path("_id").asText();
        if (id.startsWith("_local/")) {
            return db.putLocal(doc);
        }
        if (newEdits) {
            return db.put(doc);
        }
        List<DocResult> results = db.bulkDocs(List.of(doc), false);
        for (DocResult result : results) {
            if (result instanceof DocResult.Error error) {
                throw asException(error);
            }
        }
        JsonNode rev = doc.get("_rev");
        if (rev == null || !rev.isTextual()) {
            throw new ArborException.BadRequest("bad_request", "new_edits=false requires the document's _rev");
        }
        return new DocResult.Ok(id, rev.textValue());
    }

    static ArborException asException(DocResult.Error error) {
        return switch (error.error()) {
            case "conflict" -> new ArborException.Conflict(error.reason());
            case "forbidden" -> new ArborException.Forbidden(error.reason());
            case "unauthorized" -> new ArborException.Unauthorized(error.reason());
            case "not_found" -> new ArborException.NotFound(error.reason());
            default -> new ArborException.BadRequest(error.error(), error.reason());
        };
    }

    /**
     * The revision an edit names, from {@code ?rev}, {@code If-Match} or the body's {@code _rev}; when
     * several are given they must agree, with CouchDB's errors when they do not.
     */
    public static String requestedRev(HttpExchange exchange, JsonNode bodyRev) {
        String queryRev = exchange.query().string("rev");
        String body = bodyRev != null && bodyRev.isTextual() ? bodyRev.textValue() : null;
        if (queryRev != null && body != null && !queryRev.equals(body)) {
            throw new ArborException.BadRequest("bad_request",
                    "Document rev from request body and query string have different values");
        }
        String rev = queryRev != null ? queryRev : body;
        String ifMatch = exchange.header("If-Match");
        if (ifMatch != null) {
            String etagRev = ifMatch.strip().replaceAll("^\"|\"$", "");
            if (rev != null && !rev.equals(etagRev)) {
                throw new ArborException.BadRequest("bad_request", "Document rev and etag have different values");
            }
            rev = etagRev;
        }
        return rev;
    }

    private void sendWritten(HttpExchange exchange, int status, DocResult.Ok result) {
        exchange.setHeader("ETag", "\"" + result.rev() + "\"");
        exchange.setHeader("Location", exchange.baseUrl() + "/" + encode(exchange.db()) + "/" + encodeDocId(result.id()));
        exchange.sendJson(status, Json.object().put("ok", true).put("id", result.id()).put("rev", result.rev()));
    }

    /** {@code POST /{db}}: a new document, its id generated unless the body has one. */
    private void post(HttpExchange exchange) {
        exchange.requireJsonContentType();
        Database db = context.database(exchange);
        ObjectNode doc = exchange.readJsonObject();
        if (isBatch(exchange.query())) {
            if (!doc.has("_id")) {
                // The client must learn the id even though the write is not reported.
                doc.put("_id", java.util.UUID.randomUUID().toString().replace("-", ""));
            }
            writeInBatchMode(db, doc, true);
            exchange.sendJson(202, Json.object().put("ok", true).put("id", doc.path("_id").asText()));
            return;
        }
        DocResult.Ok result = db.post(doc);
        sendWritten(exchange, 201, result);
    }

    /** {@code DELETE}: the revision from {@code ?rev} or {@code If-Match}; none is a conflict, as in CouchDB. */
    private void delete(HttpExchange exchange) {
        Database db = context.database(exchange);
        String id = exchange.docId();
        String rev = requestedRev(exchange, null);
        if (id.startsWith("_local/")) {
            db.removeLocal(id, rev);
            exchange.sendJson(200, Json.object().put("ok", true).put("id", id).put("rev", "0-0"));
            return;
        }
        DocResult.Ok result = db.remove(id, rev);
        if (isBatch(exchange.query())) {
            exchange.sendJson(202, Json.object().put("ok", true).put("id", id));
            return;
        }
        exchange.setHeader("ETag", "\"" + result.rev() + "\"");
        exchange.sendJson(200, Json.object().put("ok", true).put("id", result.id()).put("rev", result.rev()));
    }

    /**
     * {@code COPY /{db}/{docid}} with {@code Destination: newid} or {@code newid?rev=R} (to overwrite
     * revision R of an existing document). The source is read at {@code ?rev} or its winner, with its
     * attachments, which the copy carries.
     */
    private void copy(HttpExchange exchange) {
        Database db = context.database(exchange);
        String destination = exchange.header("Destination");
        if (destination == null || destination.isBlank()) {
            throw new ArborException.BadRequest("bad_request", "Destination header is mandatory for COPY.");
        }
        String destId = destination;
        String destRev = null;
        int question = destination.indexOf('?');
        if (question >= 0) {
            destId = destination.substring(0, question);
            QueryParams destQuery = QueryParams.parse(destination.substring(question + 1));
            destRev = destQuery.string("rev");
        }
        destId = java.net.URLDecoder.decode(destId.replace("+", "%2B"), StandardCharsets.UTF_8);
        String sourceId = exchange.docId();
        ObjectNode source = sourceId.startsWith("_local/") ? db.getLocal(sourceId)
                : db.get(sourceId, GetOptions.DEFAULT.rev(exchange.query().string("rev")).attachments(true));
        ObjectNode copy = source.deepCopy();
        copy.remove("_rev");
        copy.put("_id", destId);
        if (destRev != null) {
            copy.put("_rev", destRev);
        }
        if (copy.get("_attachments") instanceof ObjectNode attachments) {
            // Inline data as a new upload: the digests and positions belong to the source's history.
            for (var it = attachments.fields(); it.hasNext(); ) {
                var entry = it.next();
                if (entry.getValue() instanceof ObjectNode att) {
                    att.retain("content_type", "data");
                }
            }
        }
        DocResult.Ok result = write(db, copy, true);
        sendWritten(exchange, 201, result);
    }

    /** Percent-encodes one path segment (a database name may hold {@code /}, which must be {@code %2F}). */
    static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A document id as a path: {@code _design/} and {@code _local/} keep their slash. */
    static String encodeDocId(String id) {
        for (String prefix : List.of("_design/", "_local/")) {
            if (id.startsWith(prefix)) {
                return prefix + encode(id.substring(prefix.length()));
            }
        }
        return encode(id);
    }
}
