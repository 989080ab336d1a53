package dev.arbor.server.replicator.proof;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.AllDocsOptions;
import dev.arbor.api.Database;
import dev.arbor.api.DocResult;
import dev.arbor.core.json.Json;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * The data set of the replication proofs: 10,000 documents seeded half on each side (every 25th with
 * an attachment, every 20th deleted), then, after a first sync, edits made on both sides to the same
 * documents so that the next sync must merge revision trees:
 * <ul>
 *   <li>{@code n % 50 == 1}: both sides edit the same revision (two leaves of one generation, the higher rev wins)</li>
 *   <li>{@code n % 50 == 2}: one side deletes, the other edits (the live leaf wins over the deleted one)</li>
 *   <li>{@code n % 50 == 3}: one side edits twice, the other once adding an attachment (the longer branch wins;
 *       the loser keeps its attachment)</li>
 *   <li>{@code n % 50 == 4}: both sides delete</li>
 *   <li>100 new documents on each side, every 10th with an attachment</li>
 * </ul>
 */
final class DivergentData {
    static final int DOCS = 10_000;
    private static final int CHUNK = 1000;

    private DivergentData() {}

    static String id(int n) {
        return String.format("doc-%05d", n);
    }

    /** Documents {@code from..to-1}, written in bulk, then every 20th deleted. */
    static void seed(Database db, int from, int to) {
        List<ObjectNode> docs = new ArrayList<>();
        for (int n = from; n < to; n++) {
            ObjectNode doc = Json.object().put("_id", id(n)).put("n", n).put("text", "seeded document " + n);
            if (n % 25 == 0) {
                attach(doc, "note.txt", "attachment of " + n);
            }
            docs.add(doc);
            if (docs.size() == CHUNK) {
                writeAll(db, docs);
            }
        }
        writeAll(db, docs);
        List<String> deleted = new ArrayList<>();
        for (int n = from; n < to; n++) {
            if (n % 20 == 0) {
                deleted.add(id(n));
            }
        }
        Map<String, String> revs = revs(db, deleted);
        List<ObjectNode> deletions = new ArrayList<>();
        revs.forEach((id, rev) -> deletions.add(Json.object().put("_id", id).put("_rev", rev).put("_deleted", true)));
        writeAll(db, deletions);
    }

    /** The edits of the class comment, on both sides of an already synced pair. */
    static void diverge(Database a, Database b) {
        List<String> ids = new ArrayList<>();
        for (int n = 0; n < DOCS; n++) {
            if (n % 20 != 0 && n % 50 >= 1 && n % 50 <= 4) {
                ids.add(id(n));
            }
        }
        Map<String, String> revsA = revs(a, ids);
        Map<String, String> revsB = revs(b, ids);
        assertEquals(revsA, revsB, "the pair is in sync before the edits");
        List<ObjectNode> editsA = new ArrayList<>();
        List<ObjectNode> editsB = new ArrayList<>();
        List<ObjectNode> secondEditsA = new ArrayList<>();
        for (String id : ids) {
            int n = Integer.parseInt(id.substring(4));
            String rev = revsA.get(id);
            switch (n % 50) {
                case 1 -> {
                    editsA.add(edit(id, rev, n, "edited on a"));
                    editsB.add(edit(id, rev, n, "edited on b"));
                }
                case 2 -> {
                    editsA.add(Json.object().put("_id", id).put("_rev", rev).put("_deleted", true));
                    editsB.add(edit(id, rev, n, "kept by b"));
                }
                case 3 -> {
                    editsA.add(edit(id, rev, n, "first edit on a"));
                    ObjectNode withAttachment = edit(id, rev, n, "edited on b with an attachment");
                    attach(withAttachment, "from-b.bin", "bytes from b for " + n);
                    editsB.add(withAttachment);
                }
                default -> {
                    editsA.add(Json.object().put("_id", id).put("_rev", rev).put("_deleted", true));
                    editsB.add(Json.object().put("_id", id).put("_rev", rev).put("_deleted", true).put("by", "b"));
                }
            }
        }
        List<DocResult> firstOnA = writeAll(a, editsA);
        writeAll(b, editsB);
        for (DocResult result : firstOnA) {
            DocResult.Ok ok = assertInstanceOf(DocResult.Ok.class, result);
            int n = Integer.parseInt(ok.id().substring(4));
            if (n % 50 == 3) {
                secondEditsA.add(edit(ok.id(), ok.rev(), n, "second edit on a"));
            }
        }
        writeAll(a, secondEditsA);
        List<ObjectNode> newA = new ArrayList<>();
        List<ObjectNode> newB = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            ObjectNode onA = Json.object().put("_id", String.format("only-a-%03d", i)).put("i", i);
            ObjectNode onB = Json.object().put("_id", String.format("only-b-%03d", i)).put("i", i);
            if (i % 10 == 0) {
                attach(onA, "a.txt", "new on a " + i);
                attach(onB, "b.txt", "new on b " + i);
            }
            newA.add(onA);
            newB.add(onB);
        }
        writeAll(a, newA);
        writeAll(b, newB);
    }

    private static ObjectNode edit(String id, String rev, int n, String text) {
        return Json.object().put("_id", id).put("_rev", rev).put("n", n).put("text", text);
    }

    private static void attach(ObjectNode doc, String name, String content) {
        doc.putObject("_attachments").putObject(name).put("content_type", "text/plain")
                .put("data", Base64.getEncoder().encodeToString(content.getBytes(StandardCharsets.UTF_8)));
    }

    private static Map<String, String> revs(Database db, List<String> ids) {
        Map<String, String> revs = new TreeMap<>();
        for (int i = 0; i < ids.size(); i += CHUNK) {
            db.allDocs(AllDocsOptions.DEFAULT.keys(ids.subList(i, Math.min(ids.size(), i + CHUNK)))).rows()
                    .forEach(row -> revs.put(row.id(), row.rev()));
        }
        return revs;
    }

    /** Writes and clears {@code docs}; every write must succeed. */
    private static List<DocResult> writeAll(Database db, List<ObjectNode> docs) {
        if (docs.isEmpty()) {
            return List.of();
        }
        List<DocResult> results = db.bulkDocs(docs);
        for (DocResult result : results) {
            assertInstanceOf(DocResult.Ok.class, result, () -> "write refused: " + result);
        }
        docs.clear();
        return results;
    }
}
