package dev.arbor.engine.concurrency;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.Arbor;
import dev.arbor.api.AllDocsOptions;
import dev.arbor.api.AllDocsRow;
import dev.arbor.api.Database;
import dev.arbor.api.DocResult;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many threads against one RocksDB-backed database. Scale with {@code -Darbor.concurrency.ops=N} (edits per writer;
 * default short for {@code mvn verify}).
 */
class ConcurrentWritersTest {
    private static final int OPS = Integer.getInteger("arbor.concurrency.ops", 300);

    @TempDir
    Path dir;

    private record Edit(String parent, String rev, long counter) {}

    @Test
    void racingWritersOnOneDocumentEachWinOnceFromADistinctParentAndLoseNoUpdate() throws Exception {
        int writers = 8;
        try (Database db = Arbor.open(dir)) {
            db.put(Json.parseObject("{\"_id\":\"hot\",\"counter\":0}"));
            ConcurrentLinkedQueue<Edit> accepted = new ConcurrentLinkedQueue<>();
            AtomicLong conflicts = new AtomicLong();
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(writers);
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                done.add(pool.submit(() -> {
                    go.await();
                    int mine = 0;
                    while (mine < OPS / writers) {
                        ObjectNode current = db.get("hot");
                        String parent = current.get("_rev").asText();
                        long counter = current.get("counter").asLong() + 1;
                        current.put("counter", counter);
                        try {
                            DocResult.Ok ok = db.put(current);
                            accepted.add(new Edit(parent, ok.rev(), counter));
                            mine++;
                        } catch (ArborException.Conflict lost) {
                            conflicts.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get();
            }
            pool.shutdown();

            int total = writers * (OPS / writers);
            assertEquals(total, accepted.size());
            Set<String> parents = new HashSet<>();
            Set<Long> counters = new HashSet<>();
            for (Edit edit : accepted) {
                // Two accepted edits from the same parent would be a race both sides won.
                assertTrue(parents.add(edit.parent()), "two accepted edits from parent " + edit.parent());
                assertTrue(counters.add(edit.counter()), "counter " + edit.counter() + " written twice: a lost update");
            }
            ObjectNode last = db.get("hot");
            assertEquals(total, last.get("counter").asLong(), "the final counter counts every accepted edit");
            assertTrue(last.get("_rev").asText().startsWith((total + 1) + "-"), last.get("_rev").asText());
            assertFalse(db.get("hot", dev.arbor.api.GetOptions.DEFAULT.conflicts(true)).has("_conflicts"),
                    "interactive edits never make conflicts");
        }
    }

    @Test
    void scansDuringConcurrentBulkTransfersAlwaysSeeTheSameTotal() throws Exception {
        int writers = 4;
        int accountsPerWriter = 2;
        long start = 1000;
        try (Database db = Arbor.open(dir)) {
            List<ObjectNode> seed = new ArrayList<>();
            for (int i = 0; i < writers * accountsPerWriter; i++) {
                seed.add(Json.parseObject("{\"_id\":\"acct-%03d\",\"balance\":%d}".formatted(i, start)));
            }
            db.bulkDocs(seed);
            long expectedTotal = start * writers * accountsPerWriter;
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicLong scans = new AtomicLong();
            ExecutorService pool = Executors.newFixedThreadPool(writers + 2);
            List<Future<?>> writersDone = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                String from = "acct-%03d".formatted(w * 2);
                String to = "acct-%03d".formatted(w * 2 + 1);
                writersDone.add(pool.submit(() -> {
                    for (int i = 0; i < OPS / writers; i++) {
                        // Each writer owns its two accounts, so its bulk never conflicts: only atomicity is tested.
                        ObjectNode a = db.get(from);
                        ObjectNode b = db.get(to);
                        long amount = (i % 7) + 1;
                        a.put("balance", a.get("balance").asLong() - amount);
                        b.put("balance", b.get("balance").asLong() + amount);
                        for (DocResult result : db.bulkDocs(List.of(a, b))) {
                            assertTrue(result instanceof DocResult.Ok, result.toString());
                        }
                    }
                    return null;
                }));
            }
            List<Future<?>> readers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                readers.add(pool.submit(() -> {
                    while (writing.get()) {
                        long total = 0;
                        int rows = 0;
                        for (AllDocsRow row : db.allDocs(AllDocsOptions.DEFAULT.includeDocs(true)).rows()) {
                            total += row.doc().get("balance").asLong();
                            rows++;
                        }
                        assertEquals(writers * accountsPerWriter, rows);
                        assertEquals(expectedTotal, total, "a scan saw half of a bulk transfer");
                        scans.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> f : writersDone) {
                f.get();
            }
            writing.set(false);
            for (Future<?> f : readers) {
                f.get();
            }
            pool.shutdown();
            assertTrue(scans.get() > 0, "the readers never scanned");
            assertEquals(writers * accountsPerWriter + 2L * writers * (OPS / writers),
                    db.info().updateSeq().number(), "one sequence per document written");
        }
    }
}
