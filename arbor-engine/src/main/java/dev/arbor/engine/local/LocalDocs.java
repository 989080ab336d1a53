package dev.arbor.engine.local;

import dev.arbor.engine.store.DocSpaces;
import dev.arbor.engine.store.ByteReader;
import dev.arbor.engine.store.ByteWriter;
import dev.arbor.engine.store.DocJson;
import dev.arbor.engine.store.DatabaseKeys;
import dev.arbor.engine.write.WriteContext;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.DocResult;
import dev.arbor.core.doc.DocumentParser;
import dev.arbor.core.doc.ParsedDoc;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import dev.arbor.engine.kv.KvReader;

/**
 * Local documents ({@code _local/...}): one revision each, numbered {@code 0-N}, never in the changes
 * feed and never replicated. Replicators keep their checkpoints here.
 */
public final class LocalDocs {
    private LocalDocs() {}

    static String normalize(String id) {
        return id.startsWith(DocumentParser.LOCAL_PREFIX) ? id : DocumentParser.LOCAL_PREFIX + id;
    }

    record Stored(long rev, byte[] body) {
        static Stored decode(byte[] bytes) {
            ByteReader in = new ByteReader(bytes);
            return new Stored(in.readVarLong(), in.readRemaining());
        }

        byte[] encode() {
            return new ByteWriter(body.length + 4).writeVarLong(rev).writeBytes(body).toByteArray();
        }

        ObjectNode toJson(String id) {
            ObjectNode doc = Json.object();
            doc.put("_id", id);
            doc.put("_rev", "0-" + rev);
            doc.setAll(DocJson.body(body));
            return doc;
        }
    }

    public static ObjectNode get(KvReader reader, String id) {
        String full = normalize(id);
        byte[] bytes = reader.get(DocSpaces.LOCAL, DatabaseKeys.docId(full));
        if (bytes == null) {
            throw new ArborException.NotFound("missing");
        }
        return Stored.decode(bytes).toJson(full);
    }

    /**
     * On the writer: a put (or, with {@code _deleted}, a delete) of a local doc. As in CouchDB 3
     * ({@code couch_db_updater:increment_local_doc_revs}), nothing is checked against the stored revision: the
     * new one is the number the edit names plus one ({@code 0-1} for an edit naming none), so a replicator's
     * checkpoint written with {@code "_rev":"0-1"} and {@code "_revisions":{"start":0,"ids":["1"]}} is stored as
     * {@code 0-2}. A delete always answers {@code 0-0}.
     */
    public static DocResult.Ok put(WriteContext ctx, ObjectNode json) {
        ObjectNode copy = json.deepCopy();
        long named = namedRev(copy.remove("_rev"), copy.remove("_revisions"));
        ParsedDoc doc = DocumentParser.parse(copy);
        if (doc.id() == null) {
            throw new ArborException.PreconditionFailed("missing_id", "_id is required for puts");
        }
        String id = normalize(doc.id());
        byte[] key = DatabaseKeys.docId(id);
        if (doc.deleted()) {
            ctx.delete(DocSpaces.LOCAL, key);
            return new DocResult.Ok(id, "0-0");
        }
        long next = named + 1;
        ctx.put(DocSpaces.LOCAL, key, new Stored(next, doc.bodyBytes()).encode());
        return new DocResult.Ok(id, "0-" + next);
    }

    /** On the writer: removes a local doc, which must exist (CouchDB's {@code DELETE} opens it first). */
    public static DocResult.Ok remove(WriteContext ctx, String id) {
        String full = normalize(id);
        byte[] key = DatabaseKeys.docId(full);
        if (ctx.get(DocSpaces.LOCAL, key) == null) {
            throw new ArborException.NotFound("missing");
        }
        ctx.delete(DocSpaces.LOCAL, key);
        return new DocResult.Ok(full, "0-0");
    }

    /**
     * The revision number an edit names: {@code _revisions} wins over {@code _rev} (as CouchDB's
     * {@code couch_doc:transfer_fields} has it), its newest id being the number; none names 0.
     */
    private static long namedRev(JsonNode rev, JsonNode revisions) {
        if (revisions != null && !revisions.isNull()) {
            JsonNode start = revisions.get("start");
            JsonNode ids = revisions.get("ids");
            if (start == null || !start.isIntegralNumber()) {
                throw new ArborException.BadRequest("doc_validation", "_revisions.start isn't an integer.");
            }
            if (!(ids instanceof com.fasterxml.jackson.databind.node.ArrayNode array)) {
                throw new ArborException.BadRequest("doc_validation", "_revisions.ids isn't a array.");
            }
            if (start.longValue() != 0) {
                throw invalidRev();
            }
            return array.isEmpty() ? 0 : number(array.get(0));
        }
        if (rev == null || rev.isNull()) {
            return 0;
        }
        String text = rev.isTextual() ? rev.textValue() : "";
        if (!text.startsWith("0-")) {
            throw invalidRev();
        }
        return number(com.fasterxml.jackson.databind.node.TextNode.valueOf(text.substring(2)));
    }

    private static long number(JsonNode id) {
        String text = id.isTextual() ? id.textValue() : "";
        if (text.isEmpty() || text.length() > 18 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw invalidRev();
        }
        return Long.parseLong(text);
    }

    /** CouchDB answers these with a 500 ({@code badarg} escaping its updater); they are the client's mistake, so 400. */
    private static ArborException invalidRev() {
        return new ArborException.BadRequest("bad_request", "Invalid rev format");
    }
}
