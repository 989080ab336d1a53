package dev.arbor.replication;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.Database;
import dev.arbor.api.Storage;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import dev.arbor.testkit.Eventually;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.arbor.replication.LocalReplicationTest.writeDocs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Interrupting, resuming, live replication, selecting documents, creating targets and retrying. */
class ReplicationControlTest {
    @TempDir
    Path dir;
    private Storage storage;

    @AfterEach
    void close() {
        if (storage != null) {
            storage.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aCancelledReplicationResumesFromItsCheckpointAndConverges(Engine engine) {
        storage = engine.storage(dir);
        Database a = storage.createDatabase("a");
        Database b = storage.createDatabase("b");
        writeDocs(a, "d-", 10_000);
        ReplicationOptions options = ReplicationOptions.DEFAULT.batchSize(100).checkpointInterval(Duration.ZERO);
        AtomicInteger batches = new AtomicInteger();
        Replication[] running = new Replication[1];
        CountDownLatch started = new CountDownLatch(1);
        running[0] = Replicator.start(a, b, options, event -> {
            if (event instanceof ReplicationEvent.Change) {
                awaitQuietly(started);
                if (batches.incrementAndGet() == 30) {
                    running[0].cancel();
                }
            }
        });
        started.countDown();
        ReplicationResult interrupted = running[0].await();
        assertEquals(ReplicationResult.Status.CANCELLED, interrupted.status());
        assertTrue(interrupted.docsWritten() >= 3_000 && interrupted.docsWritten() < 10_000, "stopped mid-way: " + interrupted.docsWritten());

        ReplicationResult resumed = Replicator.replicate(a, b, options);
        assertEquals(interrupted.lastSeq(), resumed.startSeq(), "resumed where the checkpoint says");
        assertEquals(10_000 - interrupted.docsWritten(), resumed.docsRead(), "reads only what the first run did not write");
        assertEquals(10_000, b.info().docCount());
        Convergence.assertSameDocuments(a, b);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void continuousReplicationCarriesALaterWriteWithoutPolling(Engine engine) throws Exception {
        storage = engine.storage(dir);
        Database a = storage.createDatabase("a");
        Database b = storage.createDatabase("b");
        writeDocs(a, "d-", 50);
        AtomicInteger changesCalls = new AtomicInteger();
        Database observedA = InterceptedDatabase.wrap(a, new InterceptedDatabase.Hook() {
            @Override
            public void before(String method) {
                if (method.equals("changes")) {
                    changesCalls.incrementAndGet();
                }
            }
        });
        CountDownLatch paused = new CountDownLatch(1);
        List<ReplicationEvent> events = new CopyOnWriteArrayList<>();
        Replication live = Replicator.start(observedA, b, ReplicationOptions.DEFAULT.continuous(true), event -> {
            events.add(event);
            if (event instanceof ReplicationEvent.Paused) {
                paused.countDown();
            }
        });
        assertTrue(paused.await(60, TimeUnit.SECONDS), "caught up and paused");
        assertEquals(50, b.info().docCount());
        int callsWhenPaused = changesCalls.get();
        // Polling is reading on a timer, so only a stretch of time can show it; a replication that waits for the
        // source's commit reads nothing here however long or short the stretch turns out, so this never fails it.
        Thread.sleep(500);
        assertEquals(callsWhenPaused, changesCalls.get(), "idle: the changes feed is not read again");

        CountDownLatch arrived = new CountDownLatch(1);
        try (var subscription = b.onCommit(event -> {
            if (b.info().docCount() == 51) {
                arrived.countDown();
            }
        })) {
            a.put(Json.parseObject("{\"_id\":\"later\",\"v\":1}"));
            // How soon it arrives is the benchmarks' business; the timeout only ends a replication that never woke.
            assertTrue(arrived.await(60, TimeUnit.SECONDS), "the write woke the paused replication and reached the target");
        }
        assertEquals(1, b.get("later").get("v").asInt());
        live.cancel();
        ReplicationResult result = live.await(Duration.ofSeconds(60));
        assertEquals(ReplicationResult.Status.CANCELLED, result.status());
        assertEquals(51, result.docsWritten());
        assertInstanceOf(ReplicationEvent.Active.class, events.get(0));
        assertInstanceOf(ReplicationEvent.Complete.class, events.get(events.size() - 1));
    }

    @Test
    void liveSyncCarriesWritesBothWays() throws Exception {
        storage = Engine.MEMORY.storage(dir);
        Database a = storage.createDatabase("a");
        Database b = storage.createDatabase("b");
        Sync sync = Replicator.sync(a, b, ReplicationOptions.DEFAULT.continuous(true), ReplicationListener.NONE);
        a.put(Json.parseObject("{\"_id\":\"from-a\"}"));
        b.put(Json.parseObject("{\"_id\":\"from-b\"}"));
        Eventually.until("each write reached the other side", () -> a.info().docCount() == 2 && b.info().docCount() == 2);
        sync.cancel();
        SyncResult result = sync.await();
        assertEquals(List.of(ReplicationResult.Status.CANCELLED, ReplicationResult.Status.CANCELLED),
                List.of(result.push().status(), result.pull().status()));
        Convergence.assertSameDocuments(a, b);
        assertEquals(2, a.info().docCount());
    }

    @Test
    void docIdsAndAJavaFilterReplicateOnlyTheDocumentsTheySelect() {
        storage = Engine.MEMORY.storage(dir);
        Database a = storage.createDatabase("a");
        writeDocs(a, "d-", 100);
        Database byIds = storage.createDatabase("by-ids");
        ReplicationResult ids = Replicator.replicate(a, byIds, ReplicationOptions.DEFAULT.docIds(List.of("d-00003", "d-00042")));
        assertEquals(2, ids.docsWritten());
        assertEquals(2, byIds.info().docCount());

        Database byFilter = storage.createDatabase("by-filter");
        JavaFilter even = new JavaFilter("even", doc -> doc.path("n").asInt() % 2 == 0);
        ReplicationResult filtered = Replicator.replicate(a, byFilter, ReplicationOptions.DEFAULT.javaFilter(even));
        assertEquals(50, filtered.docsWritten());
        assertEquals(0, byFilter.get("d-00042").get("n").asInt() % 2);
        assertThrows(ArborException.NotFound.class, () -> byFilter.get("d-00043"));
        assertFalse(ReplicationId.of(a, byFilter, ReplicationOptions.DEFAULT.javaFilter(even)).base()
                .equals(ReplicationId.of(a, byFilter, ReplicationOptions.DEFAULT).base()), "a filter is part of the id");
    }

    @Test
    void aSelectorReplicatesOnlyDocumentsWhoseWinnerMatchesAndIsPartOfTheId() {
        storage = Engine.MEMORY.storage(dir);
        Database a = storage.createDatabase("a");
        writeDocs(a, "d-", 100);
        Database b = storage.createDatabase("b");
        ObjectNode selector = Json.parseObject("{\"n\":{\"$lt\":10}}");
        ReplicationResult result = Replicator.replicate(a, b, ReplicationOptions.DEFAULT.selector(selector));
        assertTrue(result.ok(), result.errors().toString());
        assertEquals(10, result.docsWritten());
        assertEquals(10, b.info().docCount());
        assertFalse(ReplicationId.of(a, b, ReplicationOptions.DEFAULT.selector(selector)).base()
                .equals(ReplicationId.of(a, b, ReplicationOptions.DEFAULT).base()), "a selector is part of the id");
    }

    @Test
    void aMalformedSelectorFailsTheReplicationWithMangosError() {
        storage = Engine.MEMORY.storage(dir);
        Database a = storage.createDatabase("a");
        Database b = storage.createDatabase("b");
        ReplicationResult result = Replicator.replicate(a, b,
                ReplicationOptions.DEFAULT.selector(Json.parseObject("{\"n\":{\"$nosuch\":1}}")));
        assertEquals(ReplicationResult.Status.FAILED, result.status());
        assertTrue(result.errors().get(0).startsWith("invalid_operator") || result.errors().get(0).contains("$nosuch"),
                result.errors().toString());
    }

    @Test
    void aDesignDocFilterTheSourceLacksIsNotFoundBeforeAnythingRuns() {
        storage = Engine.MEMORY.storage(dir);
        Database a = storage.createDatabase("a");
        Database b = storage.createDatabase("b");
        var missing = assertThrows(dev.arbor.core.error.ArborException.NotFound.class,
                () -> Replicator.replicate(a, b, ReplicationOptions.DEFAULT.filter("app/by_type")));
        assertTrue(missing.reason().contains("_design/app"), missing.reason());
    }

    @Test
    void docIdsFilterAndSelectorAreMutuallyExclusiveAsInCouchDb() {
        storage = Engine.MEMORY.storage(dir);
        Database a = storage.createDatabase("a");
        Database b = storage.createDatabase("b");
        ReplicationResult result = Replicator.replicate(a, b, ReplicationOptions.DEFAULT.docIds(List.of("x"))
                .selector(dev.arbor.core.json.Json.parseObject("{\"type\":\"a\"}")));
        assertEquals(ReplicationResult.Status.FAILED, result.status());
        assertEquals(List.of("bad_request: `selector`, `filter` and `doc_ids` are mutually exclusive"), result.errors());
    }

    @Test
    void createTargetCreatesTheTargetDatabaseOtherwiseAMissingTargetIsNotFound() {
        storage = Engine.MEMORY.storage(dir);
        Database a = storage.createDatabase("a");
        writeDocs(a, "d-", 10);
        assertThrows(ArborException.NotFound.class, () -> Replicator.replicate(a, storage, "copy", ReplicationOptions.DEFAULT));
        ReplicationResult created = Replicator.replicate(a, storage, "copy", ReplicationOptions.DEFAULT.createTarget(true));
        assertEquals(10, created.docsWritten());
        assertEquals(10, storage.database("copy").info().docCount());
    }

    @Test
    void transientFailuresOfTheTargetAreRetriedWithBackoffAndTheReplicationCompletes() {
        storage = Engine.MEMORY.storage(dir);
        Database a = storage.createDatabase("a");
        Database b = storage.createDatabase("b");
        writeDocs(a, "d-", 1_000);
        AtomicInteger failuresLeft = new AtomicInteger(2);
        Database flakyB = InterceptedDatabase.wrap(b, new InterceptedDatabase.Hook() {
            @Override
            public void before(String method) {
                if (method.equals("bulkDocs") && failuresLeft.getAndDecrement() > 0) {
                    throw new ArborException.Internal("disk hiccup", new java.io.IOException("injected"));
                }
            }
        });
        List<Duration> retryDelays = new CopyOnWriteArrayList<>();
        ReplicationOptions options = ReplicationOptions.DEFAULT.batchSize(100).retryDelays(Duration.ofMillis(20), Duration.ofSeconds(1));
        ReplicationResult result = Replicator.start(a, flakyB, options, event -> {
            if (event instanceof ReplicationEvent.Error error && error.retryIn() != null) {
                retryDelays.add(error.retryIn());
            }
        }).await();
        assertTrue(result.ok());
        assertEquals(List.of(Duration.ofMillis(20), Duration.ofMillis(40)), retryDelays, "exponential backoff");
        assertEquals(1_000, b.info().docCount());
        Convergence.assertSameDocuments(a, b);
    }

    @Test
    void aRefusalIsNotRetriedAndFailsTheReplication() {
        storage = Engine.MEMORY.storage(dir);
        Database a = storage.createDatabase("a");
        writeDocs(a, "d-", 10);
        Database forbidding = InterceptedDatabase.wrap(storage.createDatabase("b"), new InterceptedDatabase.Hook() {
            @Override
            public void before(String method) {
                if (method.equals("revsDiff")) {
                    throw new ArborException.Forbidden("you may not write here");
                }
            }
        });
        ReplicationResult result = Replicator.replicate(a, forbidding, ReplicationOptions.DEFAULT);
        assertEquals(ReplicationResult.Status.FAILED, result.status());
        assertEquals(List.of("forbidden: you may not write here"), result.errors());
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
