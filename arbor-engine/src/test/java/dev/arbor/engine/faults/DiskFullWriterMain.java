package dev.arbor.engine.faults;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.Arbor;
import dev.arbor.api.Database;
import dev.arbor.api.DocResult;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Random;

/**
 * The child process of {@link DiskFullTest}, started under a small {@code RLIMIT_FSIZE}: it writes documents with
 * attachments (single puts, {@code _bulk_docs}, standalone attachments) until the storage refuses one, then checks
 * that further writes fail the same way rather than hang, and that reads still answer.
 *
 * <p>Its standard output is the protocol: {@code ACK <id> <rev>} for each acknowledged write (after the write
 * returned), then {@code FAILED <kind> <error> <reason>}, {@code STILL_FAILING <n>}, {@code READS_OK <n>}, and
 * {@code DONE}. Standard output is a pipe, so the file-size limit does not apply to it.
 *
 * <p>Given a ballast file and a directory to copy to (arguments 3 and 4), it then frees the space: deletes the
 * ballast, prints {@code SPACE_FREED}, retries one write every 100 ms until the same open database takes it
 * ({@code RESUMED <attempts>}), writes {@value #WRITES_AFTER_RESUME} more, reads back every acknowledged document
 * ({@code READS_AFTER_RESUME <n>}), closes the database and copies its directory out ({@code COPIED}), since the
 * filesystem it lives on ends with this process.
 */
public final class DiskFullWriterMain {
    private DiskFullWriterMain() {}

    static final int WRITES_AFTER_RESUME = 30;

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        Random random = new Random(Long.parseLong(args[1]));
        PrintStream out = new PrintStream(System.out, true);
        Database db = Arbor.open(dir);
        List<String[]> acked = new java.util.ArrayList<>();
        ArborException failure = null;
        for (int i = 0; failure == null && i < 1_000_000; i++) {
            try {
                for (String[] ack : writeOne(db, random, i)) {
                    acked.add(ack);
                    out.println("ACK " + ack[0] + " " + ack[1]);
                }
            } catch (ArborException e) {
                failure = e;
            }
        }
        if (failure == null) {
            out.println("NEVER_FAILED");
            return;
        }
        out.println("FAILED " + failure.getClass().getSimpleName() + " " + failure.error() + " " + failure.reason().replace('\n', ' '));
        int stillFailing = 0;
        for (int i = 0; i < 5; i++) {
            try {
                writeOne(db, random, 2_000_000 + i);
            } catch (ArborException e) {
                stillFailing++;
            }
        }
        out.println("STILL_FAILING " + stillFailing);
        int reads = 0;
        for (String[] ack : acked.subList(Math.max(0, acked.size() - 50), acked.size())) {
            if (db.get(ack[0]).path("_id").asText().equals(ack[0])) {
                reads++;
            }
        }
        out.println("READS_OK " + reads);
        if (args.length > 3) {
            resumeOnceSpaceIsFreed(db, random, Path.of(args[2]), acked, out);
            db.close();
            copyTree(dir, Path.of(args[3]));
            out.println("COPIED");
            out.println("DONE");
            return;
        }
        try {
            db.close();
        } catch (RuntimeException e) {
            out.println("CLOSE_FAILED " + e);
        }
        out.println("DONE");
    }

    private static void resumeOnceSpaceIsFreed(Database db, Random random, Path ballast, List<String[]> acked,
                                               PrintStream out) {
        try {
            java.nio.file.Files.delete(ballast);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        out.println("SPACE_FREED");
        int n = 3_000_000;
        for (int attempt = 1; attempt <= 300; attempt++) {
            try {
                for (String[] ack : writeOne(db, random, n++)) {
                    acked.add(ack);
                    out.println("ACK " + ack[0] + " " + ack[1]);
                }
                out.println("RESUMED " + attempt);
                break;
            } catch (ArborException e) {
                sleep(100);
            }
        }
        for (int i = 0; i < WRITES_AFTER_RESUME; i++) {
            for (String[] ack : writeOne(db, random, n++)) {
                acked.add(ack);
                out.println("ACK " + ack[0] + " " + ack[1]);
            }
        }
        int reads = 0;
        for (String[] ack : acked) {
            try {
                if (db.get(ack[0]).path("_id").asText().equals(ack[0])) {
                    reads++;
                }
            } catch (ArborException.NotFound e) {
                out.println("MISSING " + ack[0]);
            }
        }
        out.println("READS_AFTER_RESUME " + reads + " of " + acked.size());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var paths = java.nio.file.Files.walk(from)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                java.nio.file.Files.copy(path, to.resolve(from.relativize(path).toString()));
            }
        }
    }

    /** One write of a random kind; returns the (id, rev) pairs it acknowledged. */
    private static List<String[]> writeOne(Database db, Random random, int n) {
        byte[] data = new byte[1024 + random.nextInt(8192)];
        random.nextBytes(data);
        String id = "doc-" + n;
        switch (random.nextInt(3)) {
            case 0 -> {
                ObjectNode doc = Json.object().put("_id", id).put("n", n);
                doc.putObject("_attachments").putObject("a.bin").put("content_type", "application/octet-stream")
                        .put("data", Base64.getEncoder().encodeToString(data));
                DocResult.Ok ok = db.put(doc);
                return List.<String[]>of(new String[] {ok.id(), ok.rev()});
            }
            case 1 -> {
                List<ObjectNode> docs = new java.util.ArrayList<>();
                for (int k = 0; k < 5; k++) {
                    docs.add(Json.object().put("_id", id + "-" + k).put("filler", Base64.getEncoder().encodeToString(data)));
                }
                List<String[]> acks = new java.util.ArrayList<>();
                for (DocResult result : db.bulkDocs(docs, true)) {
                    if (result instanceof DocResult.Ok ok) {
                        acks.add(new String[] {ok.id(), ok.rev()});
                    }
                }
                return acks;
            }
            default -> {
                DocResult.Ok created = db.put(Json.object().put("_id", id).put("n", n));
                DocResult.Ok ok = db.putAttachment(id, created.rev(), "b.bin", "application/octet-stream",
                        new ByteArrayInputStream(data));
                return List.of(new String[] {created.id(), created.rev()}, new String[] {ok.id(), ok.rev()});
            }
        }
    }
}
