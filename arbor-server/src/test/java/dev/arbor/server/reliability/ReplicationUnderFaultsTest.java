package dev.arbor.server.reliability;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.Arbor;
import dev.arbor.api.Database;
import dev.arbor.api.GetOptions;
import dev.arbor.api.OpenRev;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replication through a {@link FaultyProxy} that delays, drops, truncates and resets connections between the
 * replicator (with the remote client) and an Arbor server, in both directions. Every run must end complete
 * (retrying what failed), a second run must resume from the checkpoint, and both sides must end with identical
 * revision trees: no revision lost, none invented or written twice.
 * Short by default; {@code -Darbor.faults.docs=20000 -Darbor.faults.rate=0.3} for a long run.
 */
class ReplicationUnderFaultsTest {
    private static final int DOCS = Integer.getInteger("arbor.faults.docs", 600);
    private static final double RATE = Double.parseDouble(System.getProperty("arbor.faults.rate", "0.05"));
    private static final long SEED = Long.getLong("arbor.faults.seed", System.nanoTime());

    @TempDir
    Path dir;

    private static final ReplicationOptions OPTIONS = ReplicationOptions.DEFAULT
            .checkpointInterval(Duration.ZERO).batchSize(50).maxRetries(200)
            .retryDelays(Duration.ofMillis(5), Duration.ofMillis(100));

    @Test
    @Timeout(300)
    void pushAndPullThroughAFaultyNetworkRetryResumeAndConverge() throws Exception {
        Random random = new Random(SEED);
        ServerConfig config = ServerConfig.defaults(dir.resolve("server")).withPort(0).withAccessLog(false);
        try (Storage local = Arbor.storage(dir.resolve("local"));
             ArborServer server = ArborServer.builder(config, Arbor.storage(dir.resolve("server"))).start();
             FaultyProxy proxy = new FaultyProxy(server.port(), RATE, 30, SEED);
             RemoteStorage remote = new RemoteStorage(proxy.uri(), RemoteOptions.DEFAULT)) {
            Database source = local.databaseOrCreate("source");
            write(source, random, 0, DOCS);

            proxy.faulty(false);
            Database target = remote.databaseOrCreate("target");
            proxy.faulty(true);
            ReplicationResult push = Replicator.replicate(source, target, OPTIONS);
            assertTrue(push.ok(), "push failed: " + push.errors() + " (seed " + SEED + ")");

            // New writes, then a second push: it starts from the checkpoint, not from 0.
            write(source, random, DOCS, DOCS / 4);
            ReplicationResult again = Replicator.replicate(source, target, OPTIONS);
            assertTrue(again.ok(), "second push failed: " + again.errors() + " (seed " + SEED + ")");
            assertTrue(again.startSeq().number() >= push.lastSeq().number(), "second push resumed at " + again.startSeq()
                    + ", the first ended at " + push.lastSeq());

            // And back: pull from the server into a fresh local database through the same faults.
            Database pulled = local.databaseOrCreate("pulled");
            ReplicationResult pull = Replicator.replicate(target, pulled, OPTIONS);
            assertTrue(pull.ok(), "pull failed: " + pull.errors() + " (seed " + SEED + ")");

            proxy.faulty(false);
            Map<String, List<String>> expected = trees(source);
            assertEquals(expected, trees(target), "server side differs from the source (seed " + SEED + ")");
            assertEquals(expected, trees(pulled), "pulled copy differs from the source (seed " + SEED + ")");
            assertEquals(source.info().docCount(), target.info().docCount());
            assertEquals(source.info().docDelCount(), target.info().docDelCount());
            assertTrue(proxy.faults() > 0, "the proxy injected no fault");
            System.out.printf("replication under faults: seed %d, %d docs, %d chunks delayed, %d connections dropped, %d responses truncated,"
                            + " %d reset; push read %d, second push started at seq %s, pull read %d%n",
                    SEED, expected.size(), proxy.count(FaultyProxy.Fate.DELAY), proxy.count(FaultyProxy.Fate.DROP),
                    proxy.count(FaultyProxy.Fate.TRUNCATE), proxy.count(FaultyProxy.Fate.RESET),
                    push.docsRead(), again.startSeq(), pull.docsRead());
        }
    }

    /** Creates docs, then edits, deletes and conflicting branches among them. */
    private static void write(Database db, Random random, int from, int count) {
        List<ObjectNode> docs = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            docs.add(Json.object().put("_id", "doc-%06d".formatted(i)).put("n", i).put("pad", "p".repeat(random.nextInt(300))));
        }
        db.bulkDocs(docs);
        for (int i = from; i < from + count; i += 7) {
            String id = "doc-%06d".formatted(i);
            ObjectNode doc = db.get(id);
            switch (random.nextInt(3)) {
                case 0 -> db.put(doc.put("edited", true));
                case 1 -> db.remove(id, doc.get("_rev").asText());
                default -> db.bulkDocs(List.of(Json.object().put("_id", id)
                        .put("_rev", "1-" + "%032x".formatted(random.nextLong() & Long.MAX_VALUE)).put("branch", true)), false);
            }
        }
    }

    /** Every document's leaves with their full ancestry, deleted ones included. */
    private static Map<String, List<String>> trees(Database db) {
        Map<String, List<String>> out = new TreeMap<>();
        db.changes(dev.arbor.api.ChangesOptions.DEFAULT, row -> {
            List<String> leaves = new ArrayList<>();
            for (OpenRev rev : db.getOpenRevs(row.id(), null, GetOptions.DEFAULT.revs(true))) {
                if (rev instanceof OpenRev.Found(ObjectNode doc)) {
                    leaves.add(doc.path("_rev").asText() + (doc.path("_deleted").asBoolean() ? " deleted " : " ")
                            + doc.path("_revisions"));
                }
            }
            leaves.sort(null);
            out.put(row.id(), leaves);
        });
        return out;
    }
}
