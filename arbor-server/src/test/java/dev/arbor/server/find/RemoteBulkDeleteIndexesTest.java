package dev.arbor.server.find;

import dev.arbor.Arbor;
import dev.arbor.api.Database;
import dev.arbor.api.find.IndexBulkDeleteResult;
import dev.arbor.api.find.IndexDefinition;
import dev.arbor.client.RemoteOptions;
import dev.arbor.client.RemoteStorage;
import dev.arbor.server.ArborServer;
import dev.arbor.server.ServerConfig;
import dev.arbor.testkit.Eventually;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The remote client deletes indexes in bulk with one {@code POST _index/_bulk_delete}, as the server's access log shows. */
class RemoteBulkDeleteIndexesTest {
    @TempDir
    Path dir;

    /** The access log's lines, as the server logs them (after each response). */
    private static final class Lines extends Handler {
        private final List<String> lines = new ArrayList<>();

        @Override
        public synchronized void publish(LogRecord record) {
            lines.add(record.getMessage());
        }

        synchronized List<String> taken() {
            List<String> out = List.copyOf(lines);
            lines.clear();
            return out;
        }

        @Override public void flush() { }
        @Override public void close() { }
    }

    @Test
    void bulkDeleteIndexesIsOneRequest() throws Exception {
        // Held in a local for the whole test: JUL keeps loggers weakly, and a collected logger loses its handler.
        Logger accessLog = Logger.getLogger("dev.arbor.server.access");
        Lines lines = new Lines();
        accessLog.addHandler(lines);
        accessLog.setUseParentHandlers(false);
        try (ArborServer server = ArborServer.builder(ServerConfig.defaults(dir).withPort(0).withAccessLog(true),
                Arbor.storage(dir.resolve("data"))).start();
             RemoteStorage remote = new RemoteStorage(server.uri(), RemoteOptions.DEFAULT)) {
            Database db = remote.createDatabase("db");
            for (String ddoc : List.of("a", "b", "c")) {
                db.createIndex(IndexDefinition.of("f" + ddoc).ddoc(ddoc).name("x"));
            }
            db.createIndex(IndexDefinition.of("g").ddoc("c").name("y"));
            // Lines are logged after each response, so the setup's may still be on their way: wait for all of them
            // rather than a fixed time, so none can be taken for a request of the bulk delete.
            List<String> setup = new ArrayList<>();
            Eventually.until(() -> "the setup's requests are logged: " + setup, () -> {
                setup.addAll(lines.taken());
                return setup.stream().anyMatch(line -> line.startsWith("method=PUT path=/db status=201"))
                        && setup.stream().filter(line -> line.startsWith("method=POST path=/db/_index status=200")).count() == 4;
            });

            IndexBulkDeleteResult result = db.bulkDeleteIndexes(List.of("a", "_design/b", "c", "none"));

            assertEquals(List.of("_design/a", "_design/b"), result.deleted());
            assertEquals(List.of(new IndexBulkDeleteResult.Failure("_design/c", "multiple_indexes"),
                    new IndexBulkDeleteResult.Failure("_design/none", "not_found")), result.failed());
            List<String> requests = new ArrayList<>();
            Eventually.until("the bulk delete is logged", () -> requests.addAll(lines.taken()));
            // A further request would be a wrong client, which only a stretch of time can show: a right one sends
            // none, so however short this turns out on a busy machine it cannot fail a right client.
            Thread.sleep(200);
            requests.addAll(lines.taken());
            assertEquals(1, requests.size(), requests.toString());
            assertTrue(requests.get(0).startsWith("method=POST path=/db/_index/_bulk_delete status=200"),
                    requests.get(0));
        } finally {
            accessLog.removeHandler(lines);
            accessLog.setUseParentHandlers(true);
        }
    }
}
