package dev.arbor.engine.faults;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.Arbor;
import dev.arbor.api.Database;
import dev.arbor.api.DocResult;
import dev.arbor.api.find.FindRequest;
import dev.arbor.api.find.IndexDefinition;
import dev.arbor.api.view.ViewQuery;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * The child of {@link EmbeddedTortureTest}: opens the storage with {@code Arbor.open(dir)} and runs a random write
 * mix until it is killed. Standard output is its log, each line printed only after the call it reports returned:
 * {@code READY}, {@code ACK <id> <rev>} (a revision the database acknowledged), {@code BULK <n> <id>...} (printed
 * before a {@code _bulk_docs} of new documents is sent, so the parent can check it is all-or-nothing even when no
 * answer came), {@code LOCAL <id> <rev>}, {@code ATT <id> <rev> <name> <SHA-256 of the data in hex>}.
 */
public final class EmbeddedTortureMain {
    static final String DDOC = "torture";
    static final String MAP = "function (doc) { if (typeof doc.n === 'number') { emit([doc.kind, doc.n], doc.n); } }";
    static final List<String> INDEX_FIELDS = List.of("kind", "n");

    private EmbeddedTortureMain() {}

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        Random random = new Random(Long.parseLong(args[1]));
        String prefix = args[2];
        PrintStream out = new PrintStream(System.out, true);
        Database db = Arbor.open(dir, Arbor.DEFAULT_DATABASE, EmbeddedTortureTest.options(args.length > 3 ? Path.of(args[3]) : null));
        ensureIndexes(db);
        out.println("READY");
        List<String> mine = new ArrayList<>();
        for (int i = 0; ; i++) {
            String id = prefix + "-" + i;
            try {
                switch (random.nextInt(9)) {
                    case 0, 1 -> ack(out, mine, db.put(doc(id, random)));
                    case 2 -> {
                        int n = 2 + random.nextInt(20);
                        List<ObjectNode> docs = new ArrayList<>();
                        StringBuilder line = new StringBuilder("BULK ").append(n);
                        for (int k = 0; k < n; k++) {
                            docs.add(doc(id + "-" + k, random));
                            line.append(' ').append(id).append('-').append(k);
                        }
                        out.println(line);
                        for (DocResult r : db.bulkDocs(docs, true)) {
                            if (r instanceof DocResult.Ok ok) {
                                ack(out, mine, ok);
                            }
                        }
                    }
                    case 3 -> {
                        byte[] data = new byte[1 + random.nextInt(20_000)];
                        random.nextBytes(data);
                        ObjectNode doc = doc(id, random);
                        doc.putObject("_attachments").putObject("a.bin").put("content_type", "application/octet-stream")
                                .put("data", Base64.getEncoder().encodeToString(data));
                        DocResult.Ok ok = db.put(doc);
                        ack(out, mine, ok);
                        out.println("ATT " + ok.id() + " " + ok.rev() + " a.bin " + HexFormat.of().formatHex(
                                java.security.MessageDigest.getInstance("SHA-256").digest(data)));
                    }
                    case 4 -> {
                        DocResult.Ok ok = db.putLocal(Json.object().put("_id", "_local/" + prefix + "-" + random.nextInt(5))
                                .put("i", i));
                        out.println("LOCAL " + ok.id() + " " + ok.rev());
                    }
                    case 5 -> {
                        if (!mine.isEmpty()) {
                            String target = mine.get(random.nextInt(mine.size()));
                            ObjectNode current = db.get(target);
                            if (random.nextBoolean()) {
                                ack(out, mine, db.remove(target, current.path("_rev").asText()));
                            } else {
                                ObjectNode edit = doc(target, random);
                                edit.put("_rev", current.path("_rev").asText());
                                ack(out, mine, db.put(edit));
                            }
                        }
                    }
                    case 6 -> {
                        // A conflicting branch as a replicator writes it: new_edits=false with a made-up revision.
                        if (!mine.isEmpty()) {
                            String target = mine.get(random.nextInt(mine.size()));
                            String hash = HexFormat.of().formatHex(java.nio.ByteBuffer.allocate(16)
                                    .putLong(random.nextLong()).putLong(random.nextLong()).array());
                            ObjectNode branch = doc(target, random);
                            branch.put("_rev", "1-" + hash);
                            db.bulkDocs(List.of(branch), false);
                            out.println("ACK " + target + " 1-" + hash);
                        }
                    }
                    case 7 -> db.find(FindRequest.of(Json.parseObject("{\"kind\":\"k" + random.nextInt(4) + "\"}"))
                            .useIndex(List.of(DDOC + "-mango")));
                    default -> db.query(DDOC, "by_kind", ViewQuery.builder().limit(5).build());
                }
            } catch (ArborException.Conflict | ArborException.NotFound e) {
                // a lost race with ourselves cannot happen (one thread); these come from edits of deleted docs
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static void ack(PrintStream out, List<String> mine, DocResult.Ok ok) {
        out.println("ACK " + ok.id() + " " + ok.rev());
        mine.add(ok.id());
    }

    private static ObjectNode doc(String id, Random random) {
        return Json.object().put("_id", id).put("kind", "k" + random.nextInt(4)).put("n", random.nextInt(1000))
                .put("pad", "p".repeat(random.nextInt(300)));
    }

    /** The view and the Mango index the writes keep up to date (created once; later runs find them). */
    static void ensureIndexes(Database db) {
        ensureDesign(db, DDOC, "by_kind");
        db.createIndex(IndexDefinition.of(INDEX_FIELDS.toArray(String[]::new)).ddoc(DDOC + "-mango").name("by-kind"));
    }

    static void ensureDesign(Database db, String name, String view) {
        try {
            db.get("_design/" + name);
        } catch (ArborException.NotFound e) {
            ObjectNode ddoc = Json.object().put("_id", "_design/" + name);
            ddoc.putObject("views").putObject(view).put("map", MAP).put("reduce", "_count");
            db.put(ddoc);
        }
    }
}
