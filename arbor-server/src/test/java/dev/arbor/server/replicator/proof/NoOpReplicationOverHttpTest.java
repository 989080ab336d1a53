package dev.arbor.server.replicator.proof;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.Arbor;
import dev.arbor.api.Database;
import dev.arbor.api.Storage;
import dev.arbor.client.RemoteOptions;
import dev.arbor.client.RemoteStorage;
import dev.arbor.core.json.Json;
import dev.arbor.replication.ReplicationOptions;
import dev.arbor.replication.ReplicationResult;
import dev.arbor.replication.Replicator;
import dev.arbor.server.ArborServer;
import dev.arbor.server.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 5's cost goal over HTTP: both peers are databases of a real Arbor server reached through the client, and
 * what a run asked of the server is read from the server's own access log. A run resumed from its checkpoint
 * sends one changes read whose answer is as long as the changes since the checkpoint, one {@code _revs_diff} and
 * one {@code _bulk_get} for those changes, and never walks the documents.
 */
class NoOpReplicationOverHttpTest {
    private static final int DOCS = 10_000;
    /** The last request of a run that replicated something: the source's checkpoint. */
    private static final String CHECKPOINT_METHOD = "PUT";
    private static final String CHECKPOINT_PATH = "/origin/_local/";
    /** One checkpoint per run, at its end, so each run's requests end with it. */
    private static final ReplicationOptions ONE_CHECKPOINT = ReplicationOptions.DEFAULT.checkpointInterval(java.time.Duration.ofHours(1));
    private static final Pattern LINE = Pattern.compile("method=(\\S+) path=(\\S+) status=(\\d+) bytes=(\\d+)");

    @TempDir
    Path dir;

    /** One access-log line. */
    record Request(String method, String path, int status, long bytes) {}

    /**
     * Collects the access log; the server's request threads publish, the test thread reads between runs. A line
     * is written after its response has gone out, so a client can see a run end before the run's last lines are
     * logged: {@link #take} waits for the line of the run's last request.
     */
    static final class AccessLogRecorder extends Handler {
        private final List<Request> requests = new ArrayList<>();

        @Override
        public synchronized void publish(LogRecord record) {
            Matcher line = LINE.matcher(record.getMessage());
            if (line.find()) {
                requests.add(new Request(line.group(1), line.group(2), Integer.parseInt(line.group(3)), Long.parseLong(line.group(4))));
                notifyAll();
            }
        }

        /**
         * The requests logged since the last call, once the last request of a replication run is among them: the
         * source's checkpoint write ({@code PUT /origin/_local/...}), sent after every other request was answered,
         * or, for a run with nothing to do (which writes no checkpoint), its changes read.
         */
        synchronized List<Request> take(String lastMethod, String lastPathPrefix) throws InterruptedException {
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (requests.stream().noneMatch(r -> r.method().equals(lastMethod) && r.path().startsWith(lastPathPrefix))) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    throw new AssertionError("the run's final checkpoint never reached the access log: " + requests);
                }
                wait(left);
            }
            List<Request> taken = List.copyOf(requests);
            requests.clear();
            return taken;
        }

        @Override public void flush() { }

        @Override public void close() { }
    }

    @Test
    @Timeout(180)
    void aResumedReplicationAsksTheServerOnlyAboutTheChangesSinceItsCheckpoint() throws Exception {
        // Held in a local for the whole test: JUL keeps loggers weakly, and a collected logger loses its handler.
        Logger accessLog = Logger.getLogger("dev.arbor.server.access");
        AccessLogRecorder recorder = new AccessLogRecorder();
        accessLog.addHandler(recorder);
        accessLog.setUseParentHandlers(false);
        Storage storage = Arbor.storage(dir.resolve("data"));
        try (ArborServer server = ArborServer.builder(ServerConfig.defaults(dir.resolve("data")).withPort(0).withAccessLog(true), storage).start();
             RemoteStorage remote = new RemoteStorage(server.uri(), RemoteOptions.DEFAULT)) {
            Database origin = storage.databaseOrCreate("origin");
            storage.databaseOrCreate("copy");
            writeDocs(origin, 0, DOCS);
            Database source = remote.database("origin");
            Database target = remote.database("copy");

            ReplicationResult first = Replicator.replicate(source, target, ONE_CHECKPOINT);
            assertEquals(DOCS, first.docsWritten(), first.errors().toString());
            long firstChangesBytes = bytes(recorder.take(CHECKPOINT_METHOD, CHECKPOINT_PATH), "GET", "/origin/_changes");
            assertTrue(firstChangesBytes > DOCS * 20L, "the first run's changes answer carries every row: " + firstChangesBytes);

            writeDocs(origin, DOCS, 2);
            origin.put(origin.get(id(17)).put("edited", true));
            ReplicationResult second = Replicator.replicate(source, target, ONE_CHECKPOINT);
            List<Request> secondRun = recorder.take(CHECKPOINT_METHOD, CHECKPOINT_PATH);
            assertEquals(3, second.docsWritten(), second.errors().toString());
            assertEquals(3, second.changesRead());
            assertEquals(3, second.missingChecked());
            assertEquals(3, second.docsRead());
            assertEquals(1, count(secondRun, "GET", "/origin/_changes"), secondRun.toString());
            assertEquals(1, count(secondRun, "POST", "/copy/_revs_diff"), secondRun.toString());
            assertEquals(1, count(secondRun, "POST", "/origin/_bulk_get"), secondRun.toString());
            assertEquals(1, count(secondRun, "POST", "/copy/_bulk_docs"), secondRun.toString());
            assertEquals(List.of(), documentWalks(secondRun), "no reads of documents one by one or of _all_docs");
            long secondChangesBytes = bytes(secondRun, "GET", "/origin/_changes");
            long bytesPerRow = firstChangesBytes / DOCS;
            assertTrue(secondChangesBytes < 3 * bytesPerRow + 200,
                    "three rows' worth (" + bytesPerRow + " bytes a row), not the log's: " + secondChangesBytes);

            ReplicationResult third = Replicator.replicate(source, target, ONE_CHECKPOINT);
            List<Request> thirdRun = recorder.take("GET", "/origin/_changes");
            assertEquals(0, third.changesRead());
            assertEquals(0, third.docsWritten());
            assertEquals(1, count(thirdRun, "GET", "/origin/_changes"), thirdRun.toString());
            assertTrue(bytes(thirdRun, "GET", "/origin/_changes") < 200, "an empty changes answer: " + thirdRun);
            for (String step : List.of("/copy/_revs_diff", "/origin/_bulk_get", "/copy/_bulk_docs")) {
                assertEquals(0, count(thirdRun, "POST", step), step + " in " + thirdRun);
            }
            assertEquals(List.of(), documentWalks(thirdRun));
        } finally {
            accessLog.removeHandler(recorder);
            accessLog.setUseParentHandlers(true);
        }
    }

    private static long count(List<Request> requests, String method, String path) {
        return requests.stream().filter(r -> r.method().equals(method) && r.path().equals(path)).count();
    }

    private static long bytes(List<Request> requests, String method, String path) {
        return requests.stream().filter(r -> r.method().equals(method) && r.path().equals(path)).mapToLong(Request::bytes).sum();
    }

    /** Reads that would make a run cost O(docs): _all_docs, or GETs of documents (not _local checkpoints or the changes feed). */
    private static List<Request> documentWalks(List<Request> requests) {
        return requests.stream().filter(r -> r.path().contains("/_all_docs")
                || (r.method().equals("GET") && r.path().matches("/(origin|copy)/[^_].*"))).toList();
    }

    private static String id(int n) {
        return String.format("doc-%05d", n);
    }

    private static void writeDocs(Database db, int from, int count) {
        for (int start = from; start < from + count; start += 1_000) {
            List<ObjectNode> docs = new ArrayList<>();
            for (int n = start; n < Math.min(from + count, start + 1_000); n++) {
                docs.add(Json.object().put("_id", id(n)).put("n", n));
            }
            db.bulkDocs(docs);
        }
    }
}
