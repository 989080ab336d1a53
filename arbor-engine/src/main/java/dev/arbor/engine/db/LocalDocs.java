package dev.arbor.engine.db;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.DocResult;
import dev.arbor.core.doc.DocumentParser;
import dev.arbor.core.doc.ParsedDoc;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import dev.arbor.engine.kv.KvReader;
import dev.arbor.engine.kv.Space;

/**
 * Local documents ({@code _local/...}): one revision each, numbered {@code 0-N}, never in the changes
 * feed and never replicated. Replicators keep their checkpoints here.
 */
final class LocalDocs {
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

    static ObjectNode get(KvReader reader, String id) {
        String full = normalize(id);
        byte[] bytes = reader.get(Space.LOCAL, Keys.docId(full));
        if (bytes == null) {
            throw new ArborException.NotFound("missing");
        }
        return Stored.decode(bytes).toJson(full);
    }

    /** On the writer: a put (or, with {@code _deleted}, a delete) of a local doc, checking its {@code 0-N} revision. */
    static DocResult.Ok put(WriteContext ctx, ObjectNode json) {
        ObjectNode copy = json.deepCopy();
        String revText = copy.has("_rev") ? copy.remove("_rev").asText() : null;
        ParsedDoc doc = DocumentParser.parse(copy);
        if (doc.id() == null) {
            throw new ArborException.PreconditionFailed("missing_id", "_id is required for puts");
        }
        String id = normalize(doc.id());
        byte[] key = Keys.docId(id);
        byte[] existing = ctx.get(Space.LOCAL, key);
        long currentRev = existing == null ? 0 : Stored.decode(existing).rev();
        if (existing == null ? revText != null && !revText.equals("0-0") : !("0-" + currentRev).equals(revText)) {
            throw new ArborException.Conflict();
        }
        if (doc.deleted()) {
            if (existing == null) {
                throw new ArborException.NotFound("missing");
            }
            ctx.delete(Space.LOCAL, key);
            return new DocResult.Ok(id, "0-0");
        }
        long next = currentRev + 1;
        ctx.put(Space.LOCAL, key, new Stored(next, doc.bodyBytes()).encode());
        return new DocResult.Ok(id, "0-" + next);
    }
}
