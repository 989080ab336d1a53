package dev.arbor.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.Arbor;
import dev.arbor.api.AllDocsOptions;
import dev.arbor.api.AllDocsRow;
import dev.arbor.api.Database;
import dev.arbor.api.DocResult;
import dev.arbor.core.json.Json;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The child process of {@link CrashRecoveryTest}: opens {@code Arbor.open(dir)} with default (durable)
 * options and writes until it is killed — single puts, updates of earlier docs, bulk batches of ten and
 * deletes — printing {@code ack <id> <rev> ;} for each write only after the call returned.
 *
 * <p>Arguments: the data directory, a random seed, and an id prefix unique to this run (so a doc written
 * but not acknowledged by an earlier run never collides with a new one).
 */
public final class CrashWriterMain {
    private final Database db;
    private final Random random;
    private final String prefix;
    private final FileOutputStream out = new FileOutputStream(FileDescriptor.out);
    /** Live docs and their current revisions; ids in a list too, to pick one at random cheaply. */
    private final Map<String, String> revs = new HashMap<>();
    private final List<String> ids = new ArrayList<>();
    private int created;

    private CrashWriterMain(Database db, long seed, String prefix) {
        this.db = db;
        this.random = new Random(seed);
        this.prefix = prefix;
    }

    public static void main(String[] args) throws IOException {
        exitWhenParentGoesAway();
        Database db = Arbor.open(Path.of(args[0]));
        CrashWriterMain writer = new CrashWriterMain(db, Long.parseLong(args[1]), args[2]);
        writer.learnLiveDocs();
        writer.print("ready");
        while (true) writer.writeOnce();
    }

    /** The parent holds our stdin open; if it dies, stdin ends and so do we rather than write forever. */
    private static void exitWhenParentGoesAway() {
        Thread watchdog = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // nothing is sent; we only wait for end of stream
                }
            } catch (IOException ignored) {
                // a broken pipe means the same as end of stream
            }
            Runtime.getRuntime().halt(3);
        }, "parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    /** Continues from where the data is: every live doc, whether or not an earlier run acknowledged it. */
    private void learnLiveDocs() {
        for (AllDocsRow row : db.allDocs(AllDocsOptions.DEFAULT).rows()) remember(row.id(), row.rev());
    }

    private void writeOnce() throws IOException {
        int choice = random.nextInt(10);
        if (choice < 4 || ids.size() < 5) {
            DocResult.Ok ok = db.put(body(nextId()));
            acknowledge(ok.id(), ok.rev());
        } else if (choice < 7) {
            String id = ids.get(random.nextInt(ids.size()));
            ObjectNode edit = body(id);
            edit.put("_rev", revs.get(id));
            DocResult.Ok ok = db.put(edit);
            acknowledge(ok.id(), ok.rev());
        } else if (choice < 9) {
            List<ObjectNode> batch = new ArrayList<>();
            for (int i = 0; i < 10; i++) batch.add(body(nextId()));
            for (DocResult result : db.bulkDocs(batch)) {
                if (!(result instanceof DocResult.Ok ok)) throw new IllegalStateException("bulk write failed: " + result);
                acknowledge(ok.id(), ok.rev());
            }
        } else {
            String id = ids.get(random.nextInt(ids.size()));
            DocResult.Ok ok = db.remove(id, revs.get(id));
            forget(id);
            print("ack " + ok.id() + " " + ok.rev() + " ;");
        }
    }

    private String nextId() {
        return prefix + "-" + created++;
    }

    private ObjectNode body(String id) {
        ObjectNode doc = Json.object();
        doc.put("_id", id);
        doc.put("n", random.nextInt());
        doc.put("text", "x".repeat(random.nextInt(400)));
        return doc;
    }

    private void acknowledge(String id, String rev) throws IOException {
        remember(id, rev);
        print("ack " + id + " " + rev + " ;");
    }

    private void remember(String id, String rev) {
        if (revs.put(id, rev) == null) ids.add(id);
    }

    private void forget(String id) {
        revs.remove(id);
        int at = ids.indexOf(id);
        ids.set(at, ids.getLast());
        ids.removeLast();
    }

    /** One write call per line, so a kill never leaves half a line that looks whole. */
    private void print(String line) throws IOException {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
