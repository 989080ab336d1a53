package dev.arbor.server.couchdb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.core.json.Json;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The data set of the CouchDB interop proofs. Each side seeds documents of its own ({@code c-…} on CouchDB,
 * {@code a-…} on Arbor): plain ones (every 10th then deleted), ids with {@code / + ?}, spaces and non-ASCII,
 * a design document, and attachments from a few bytes to several MiB, compressible ({@code text/plain},
 * {@code application/json}, which CouchDB stores gzipped) and binary. CouchDB also seeds the documents both
 * sides will then edit ({@link #diverge}) once they are in sync:
 * <ul>
 *   <li>{@code conflict-same}: both edit the same revision differently (two leaves, the higher rev wins)</li>
 *   <li>{@code conflict-deeper}: Arbor edits twice, CouchDB once (the longer branch wins)</li>
 *   <li>{@code conflict-delete-vs-edit}: CouchDB deletes, Arbor edits (the edit wins, the deletion is a
 *       {@code _deleted_conflicts} entry)</li>
 *   <li>{@code conflict-both-deleted}: both delete, with different bodies (two deleted leaves)</li>
 *   <li>{@code conflict-identical}: both make the same edit (one revision, as between two CouchDBs)</li>
 *   <li>{@code conflict-attachments}: each side adds a different attachment</li>
 *   <li>{@code conflict/é+?}: an escaped id edited on both sides</li>
 * </ul>
 * and both sides add documents, delete some of the other's, and CouchDB's design document is edited on Arbor.
 */
final class InteropData {
    static final String SAME = "conflict-same";
    static final String DEEPER = "conflict-deeper";
    static final String DELETE_VS_EDIT = "conflict-delete-vs-edit";
    static final String BOTH_DELETED = "conflict-both-deleted";
    static final String IDENTICAL = "conflict-identical";
    static final String ATTACHMENTS = "conflict-attachments";
    static final String ESCAPED = "conflict/é+?";
    private static final List<String> CONFLICTS = List.of(SAME, DEEPER, DELETE_VS_EDIT, BOTH_DELETED, IDENTICAL, ATTACHMENTS, ESCAPED);
    /** How many documents {@link #diverge} changes or adds on each side. */
    static final int CHANGED_ON_COUCH = 20;
    static final int CHANGED_ON_ARBOR = 22;
    private static final int PLAIN = 40;
    private static final int KIB = 1024;
    private static final int MIB = 1024 * KIB;

    private InteropData() {}

    /** Ids that must be escaped in a URL path, or are not ASCII. */
    static List<String> specialIds(String tag) {
        return List.of(tag + "/with/slashes", tag + "+plus+", tag + "?query=yes&x=1", tag + " spaced %20",
                "ünïcödé-" + tag + "-日本-🌳");
    }

    /**
     * Seeds the documents of {@code tag} ("c" on CouchDB, with the documents both sides will edit; "a" on
     * Arbor); returns how many documents {@code _changes} now lists.
     */
    static int seed(Side side, String db, String tag) {
        boolean couch = tag.equals("c");
        Random random = new Random(tag.hashCode());
        List<ObjectNode> docs = new ArrayList<>();
        for (int n = 0; n < PLAIN; n++) {
            docs.add(Json.object().put("_id", plain(tag, n)).put("n", n).put("text", "seeded on " + side + " " + n));
        }
        for (String id : specialIds(tag)) {
            docs.add(Json.object().put("_id", id).put("special", true));
        }
        docs.add(designDoc(tag));
        docs.add(attach(Json.object().put("_id", tag + "-att-text-tiny"), "tiny.txt", "text/plain", "hi!".getBytes(StandardCharsets.UTF_8)));
        docs.add(attach(Json.object().put("_id", tag + "-att-bin-tiny"), "tiny.bin", "application/octet-stream", randomBytes(random, 5)));
        docs.add(attach(Json.object().put("_id", tag + "-att-json"), "data.json", "application/json", jsonText(couch ? 64 * KIB : 300 * KIB)));
        docs.add(attach(Json.object().put("_id", tag + "-att-bin-large"), "large.bin", "application/octet-stream",
                randomBytes(random, couch ? 4 * MIB : MIB + 17)));
        docs.add(attach(Json.object().put("_id", tag + "-att-text-large"), "large.txt", "text/plain", text(couch ? MIB : 3 * MIB)));
        ObjectNode many = Json.object().put("_id", tag + "-att-many");
        attach(many, "a.txt", "text/plain", text(2 * KIB));
        attach(many, "b.json", "application/json", jsonText(3 * KIB));
        attach(many, "c.bin", "image/png", randomBytes(random, 40 * KIB));
        docs.add(many);
        if (couch) {
            for (String id : CONFLICTS) {
                docs.add(Json.object().put("_id", id).put("v", "seed"));
            }
        }
        write(side, db, docs);
        List<ObjectNode> deletions = new ArrayList<>();
        for (int n = 0; n < PLAIN; n += 10) {
            deletions.add(deletion(side, db, plain(tag, n)));
        }
        write(side, db, deletions);
        return docs.size();
    }

    /** The edits of the class comment, on both sides of a pair in sync. */
    static void diverge(Side couch, String couchDb, Side arbor, String arborDb) {
        Random random = new Random(7);
        for (String id : CONFLICTS) {
            assertEquals(rev(couch, couchDb, id), rev(arbor, arborDb, id), "the pair is in sync before the edits: " + id);
        }
        edit(couch, couchDb, SAME, "v", "couchdb's edit");
        edit(arbor, arborDb, SAME, "v", "arbor's edit");
        edit(couch, couchDb, DEEPER, "v", "couchdb's only edit");
        edit(arbor, arborDb, DEEPER, "v", "arbor's first edit");
        edit(arbor, arborDb, DEEPER, "v", "arbor's second edit");
        write(couch, couchDb, List.of(deletion(couch, couchDb, DELETE_VS_EDIT)));
        edit(arbor, arborDb, DELETE_VS_EDIT, "v", "kept by arbor");
        write(couch, couchDb, List.of(deletion(couch, couchDb, BOTH_DELETED)));
        write(arbor, arborDb, List.of(deletion(arbor, arborDb, BOTH_DELETED).put("by", "arbor")));
        edit(couch, couchDb, IDENTICAL, "v", "the same edit");
        edit(arbor, arborDb, IDENTICAL, "v", "the same edit");
        write(couch, couchDb, List.of(attach(current(couch, couchDb, ATTACHMENTS), "notes.txt", "text/plain", text(20 * KIB))));
        write(arbor, arborDb, List.of(attach(current(arbor, arborDb, ATTACHMENTS), "blob.bin", "application/octet-stream", randomBytes(random, 300 * KIB))));
        edit(couch, couchDb, ESCAPED, "v", "couchdb's edit");
        edit(arbor, arborDb, ESCAPED, "v", "arbor's edit");

        ObjectNode design = current(arbor, arborDb, "_design/c");
        ((ObjectNode) design.path("views")).putObject("by_v").put("map", "function (doc) { if (doc.v) { emit(doc.v, null); } }");
        write(arbor, arborDb, List.of(design));
        ObjectNode many = current(arbor, arborDb, "c-att-many");
        ((ObjectNode) many.path("_attachments")).remove("b.json");
        write(arbor, arborDb, List.of(many));
        write(couch, couchDb, List.of(deletion(couch, couchDb, plain("a", 1))));
        write(arbor, arborDb, List.of(deletion(arbor, arborDb, plain("c", 1))));
        for (var end : Map.of(couch, couchDb, arbor, arborDb).entrySet()) {
            Side side = end.getKey();
            List<ObjectNode> added = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                added.add(Json.object().put("_id", side.name() + "-new-" + i).put("i", i));
            }
            added.add(Json.object().put("_id", side.name() + "/new?é+").put("special", true));
            added.add(attach(Json.object().put("_id", side.name() + "-new-att"), "new.txt", "text/plain", text(5 * KIB)));
            write(side, end.getValue(), added);
        }
    }

    /** What CouchDB makes of the edits, as two CouchDBs would: asserted on each side's state. */
    static void assertCouchDbOutcome(ReplicaState state, String what) {
        assertEquals(1, state.doc(IDENTICAL).leafCount(), what + ": identical edits are one revision " + state.doc(IDENTICAL));
        assertTrue(state.doc(IDENTICAL).winner().endsWith("conflicts=[] deleted_conflicts=[]"), what + ": " + state.doc(IDENTICAL));
        assertEquals(2, state.doc(SAME).leafCount(), what + ": " + state.doc(SAME));
        assertTrue(state.doc(SAME).winner().matches("2-\\S+ conflicts=\\[2-\\S+] deleted_conflicts=\\[]"), what + ": " + state.doc(SAME));
        assertTrue(state.doc(DEEPER).winner().matches("3-\\S+ conflicts=\\[2-\\S+] deleted_conflicts=\\[]"), what + ": " + state.doc(DEEPER));
        assertTrue(state.doc(DELETE_VS_EDIT).winner().matches("2-\\S+ conflicts=\\[] deleted_conflicts=\\[2-\\S+]"),
                what + ": " + state.doc(DELETE_VS_EDIT));
        assertEquals("deleted", state.doc(BOTH_DELETED).winner(), what);
        assertEquals(2, state.doc(BOTH_DELETED).leafCount(), what + ": " + state.doc(BOTH_DELETED));
        assertEquals(2, state.doc(ATTACHMENTS).bytes().size(), what + ": each leaf keeps its attachment " + state.doc(ATTACHMENTS));
        assertEquals(2, state.doc(ESCAPED).leafCount(), what + ": " + state.doc(ESCAPED));
        assertTrue(state.doc("c-att-bin-large").bytes().values().iterator().next().startsWith(4 * MIB + " bytes"), what);
    }

    static String plain(String tag, int n) {
        return String.format("%s-plain-%03d", tag, n);
    }

    private static ObjectNode designDoc(String tag) {
        ObjectNode design = Json.object().put("_id", "_design/" + tag).put("language", "javascript");
        design.putObject("views").putObject("by_n").put("map", "function (doc) { if (doc.n !== undefined) { emit(doc.n, null); } }");
        design.putObject("filters").put("special", "function (doc, req) { return doc.special === true; }");
        return design;
    }

    private static ObjectNode attach(ObjectNode doc, String name, String type, byte[] data) {
        ObjectNode attachments = doc.has("_attachments") ? (ObjectNode) doc.get("_attachments") : doc.putObject("_attachments");
        attachments.putObject(name).put("content_type", type).put("data", Base64.getEncoder().encodeToString(data));
        return doc;
    }

    /** Compressible text: repetitive lines, as logs or documents are. */
    static byte[] text(int size) {
        StringBuilder out = new StringBuilder(size + 80);
        for (int line = 0; out.length() < size; line++) {
            out.append("line ").append(line).append(": the quick brown fox jumps over the lazy dog\n");
        }
        return out.substring(0, size).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] jsonText(int size) {
        ArrayNode rows = Json.MAPPER.createArrayNode();
        for (int i = 0; Json.text(rows).length() < size; i += 100) {
            for (int j = i; j < i + 100; j++) {
                rows.addObject().put("row", j).put("name", "item " + j).put("ok", j % 3 == 0);
            }
        }
        return Json.text(rows).getBytes(StandardCharsets.UTF_8);
    }

    static byte[] randomBytes(Random random, int size) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        return bytes;
    }

    static String rev(Side side, String db, String id) {
        return side.get(Side.docPath(db, id)).path("_rev").asText();
    }

    private static ObjectNode current(Side side, String db, String id) {
        return (ObjectNode) side.get(Side.docPath(db, id));
    }

    private static void edit(Side side, String db, String id, String field, String value) {
        write(side, db, List.of(current(side, db, id).put(field, value)));
    }

    private static ObjectNode deletion(Side side, String db, String id) {
        return Json.object().put("_id", id).put("_rev", rev(side, db, id)).put("_deleted", true);
    }

    /** Plain documents {@code doc-NNNN}, {@code from} to {@code from + count - 1}. */
    static void writePlain(Side side, String db, int from, int count) {
        List<ObjectNode> docs = new ArrayList<>();
        for (int n = from; n < from + count; n++) {
            docs.add(Json.object().put("_id", String.format("doc-%04d", n)).put("n", n));
        }
        write(side, db, docs);
    }

    /** Writes with {@code _bulk_docs}; every document must be accepted. */
    static void write(Side side, String db, List<ObjectNode> docs) {
        ObjectNode body = Json.object();
        body.putArray("docs").addAll(docs);
        JsonNode results = side.json("POST", "/" + db + "/_bulk_docs", Json.text(body));
        assertEquals(docs.size(), results.size(), side + ": " + results);
        for (JsonNode result : results) {
            assertTrue(result.path("ok").asBoolean(false) || result.has("rev") && !result.has("error"),
                    () -> side + " refused a write: " + result);
        }
    }
}
