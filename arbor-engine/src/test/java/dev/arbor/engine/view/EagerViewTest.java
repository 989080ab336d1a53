package dev.arbor.engine.view;

import dev.arbor.api.DocResult;
import dev.arbor.api.key.Key;
import dev.arbor.api.key.Keys;
import dev.arbor.api.view.typed.AccessPolicy;
import dev.arbor.api.view.typed.Emitter;
import dev.arbor.api.view.typed.MappedDocument;
import dev.arbor.api.view.typed.MappedValue;
import dev.arbor.api.view.typed.TypedQuery;
import dev.arbor.api.view.typed.TypedRow;
import dev.arbor.api.view.typed.TypedView;
import dev.arbor.api.view.typed.ViewHandle;
import dev.arbor.api.view.typed.ViewUpdatePolicy;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import dev.arbor.engine.db.EngineDatabase;
import dev.arbor.engine.kv.KvBatch;
import dev.arbor.engine.kv.KvCursor;
import dev.arbor.engine.kv.MemoryKvStore;
import dev.arbor.engine.storage.EngineSpaces;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Eager and unique views: rows commit with the documents, a unique key belongs to one document, a refused write
 * changes nothing, and the index survives a crash and an integrity check as a rebuild would make it.
 */
class EagerViewTest {

    /** Users by email, the key unique (or merely eager, or lazy, for comparisons). */
    record UsersByEmail(String name, ViewUpdatePolicy updatePolicy) implements TypedView<String, Long> {
        @Override public Key<String> keyType() { return Keys.STRING; }
        @Override public Class<Long> valueType() { return Long.class; }

        @Override
        public void map(MappedDocument doc, Emitter<String, Long> emit) {
            if (doc.body().hasNonNull("email")) {
                emit.emit(doc.body().get("email").asText(), 1L);
            }
        }

        @Override
        public Long reduce(List<MappedValue<String, Long>> mappings, boolean rereduce) {
            return mappings.stream().mapToLong(MappedValue::value).sum();
        }
    }

    private static final UsersByEmail UNIQUE = new UsersByEmail("users-by-email", ViewUpdatePolicy.UNIQUE);

    private static EngineDatabase open(MemoryKvStore store) {
        return new EngineDatabase("users", store, false, () -> {});
    }

    private static DocResult.Ok user(EngineDatabase db, String id, String email) {
        return db.put(Json.parseObject("{\"_id\":\"" + id + "\",\"email\":\"" + email + "\"}"));
    }

    @Test
    void eagerRowsAreThereWithoutAnyUpdateByTheQuery() {
        try (EngineDatabase db = open(new MemoryKvStore(EngineSpaces.ALL))) {
            ViewHandle<String, Long> eager = db.view(new UsersByEmail("eager", ViewUpdatePolicy.EAGER));
            ViewHandle<String, Long> lazy = db.view(new UsersByEmail("lazy", ViewUpdatePolicy.LAZY));
            user(db, "u1", "ada@example.org");

            TypedQuery<String> asItIs = TypedQuery.<String>all().access(AccessPolicy.NO_UPDATE);
            assertEquals(List.of(new TypedRow<>("ada@example.org", 1L, "u1")), eager.query(asItIs));
            assertEquals(List.of(), lazy.query(asItIs));
            assertEquals(1L, eager.reduce(asItIs));
        }
    }

    @Test
    void aSecondDocumentWithTheSameUniqueKeyIsRefusedWithAConflictNamingBoth() {
        try (EngineDatabase db = open(new MemoryKvStore(EngineSpaces.ALL))) {
            ViewHandle<String, Long> byEmail = db.view(UNIQUE);
            String rev = user(db, "u1", "ada@example.org").rev();

            ArborException.Conflict refused = assertThrows(ArborException.Conflict.class,
                    () -> user(db, "u2", "ada@example.org"));
            assertTrue(refused.reason().contains("users-by-email") && refused.reason().contains("ada@example.org")
                    && refused.reason().contains("u1"), refused.reason());
            assertThrows(ArborException.NotFound.class, () -> db.get("u2"), "the refused write left nothing");
            assertEquals(List.of("u1"), ids(byEmail.query(TypedQuery.all())));

            // The owner may rewrite its own key, and a key it gives up is free again.
            db.put(Json.parseObject("{\"_id\":\"u1\",\"_rev\":\"" + rev + "\",\"email\":\"lovelace@example.org\"}"));
            user(db, "u2", "ada@example.org");
            assertEquals(List.of("u2", "u1"), ids(byEmail.query(TypedQuery.all())));
        }
    }

    @Test
    void inABulkRequestOnlyTheOffendingDocumentFails() {
        try (EngineDatabase db = open(new MemoryKvStore(EngineSpaces.ALL))) {
            ViewHandle<String, Long> byEmail = db.view(UNIQUE);
            List<DocResult> results = db.bulkDocs(List.of(
                    Json.parseObject("{\"_id\":\"a\",\"email\":\"one@example.org\"}"),
                    Json.parseObject("{\"_id\":\"b\",\"email\":\"one@example.org\"}"),
                    Json.parseObject("{\"_id\":\"c\",\"email\":\"two@example.org\"}")), true);

            assertInstanceOf(DocResult.Ok.class, results.get(0));
            DocResult.Error error = assertInstanceOf(DocResult.Error.class, results.get(1));
            assertEquals("conflict", error.error());
            assertInstanceOf(DocResult.Ok.class, results.get(2));
            assertEquals(List.of("a", "c"), ids(byEmail.query(TypedQuery.all())));
            assertEquals(2L, byEmail.reduce(TypedQuery.all()));
        }
    }

    @Test
    void replicatedWritesAreHeldToUniquenessToo() {
        try (EngineDatabase db = open(new MemoryKvStore(EngineSpaces.ALL))) {
            db.view(UNIQUE);
            user(db, "u1", "ada@example.org");

            List<DocResult> results = db.bulkDocs(List.of(Json.parseObject(
                    "{\"_id\":\"u9\",\"_rev\":\"1-abc\",\"email\":\"ada@example.org\"}")), false);

            DocResult.Error error = assertInstanceOf(DocResult.Error.class, results.get(0));
            assertEquals("conflict", error.error());
            assertThrows(ArborException.NotFound.class, () -> db.get("u9"));
        }
    }

    @Test
    void concurrentWritersRacingForOneUniqueKeyLeaveExactlyOneWinner() throws Exception {
        try (EngineDatabase db = open(new MemoryKvStore(EngineSpaces.ALL))) {
            ViewHandle<String, Long> byEmail = db.view(UNIQUE);
            for (int round = 0; round < 20; round++) {
                String email = "race" + round + "@example.org";
                int writers = 8;
                CountDownLatch start = new CountDownLatch(1);
                AtomicInteger won = new AtomicInteger();
                AtomicInteger refused = new AtomicInteger();
                List<Thread> threads = new ArrayList<>();
                for (int w = 0; w < writers; w++) {
                    String id = "r" + round + "-" + w;
                    threads.add(Thread.ofPlatform().start(() -> {
                        try {
                            start.await();
                            user(db, id, email);
                            won.incrementAndGet();
                        } catch (ArborException.Conflict e) {
                            refused.incrementAndGet();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }));
                }
                start.countDown();
                for (Thread thread : threads) {
                    thread.join();
                }
                assertEquals(1, won.get(), "round " + round);
                assertEquals(writers - 1, refused.get());
                assertEquals(1, byEmail.query(TypedQuery.key(email)).size());
            }
            assertEquals(20, db.info().docCount());
        }
    }

    @Test
    void aUniqueViewOverDocumentsThatShareAKeyRefusesToRegister() {
        try (EngineDatabase db = open(new MemoryKvStore(EngineSpaces.ALL))) {
            user(db, "u1", "same@example.org");
            user(db, "u2", "same@example.org");

            ArborException.Conflict refused = assertThrows(ArborException.Conflict.class, () -> db.view(UNIQUE));
            assertTrue(refused.reason().contains("same@example.org"), refused.reason());
            user(db, "u3", "same@example.org");
        }
    }

    @Test
    void viewCleanupKeepsTheIndexesOfRegisteredTypedViews() {
        try (EngineDatabase db = open(new MemoryKvStore(EngineSpaces.ALL))) {
            ViewHandle<String, Long> eager = db.view(new UsersByEmail("eager", ViewUpdatePolicy.EAGER));
            user(db, "u1", "ada@example.org");

            db.viewCleanup();

            assertEquals(List.of("u1"), ids(eager.query(TypedQuery.<String>all().access(AccessPolicy.NO_UPDATE))));
        }
    }

    @Test
    void afterACrashTheEagerIndexEqualsARebuild() {
        MemoryKvStore store = new MemoryKvStore(EngineSpaces.ALL);
        EngineDatabase crashed = open(store);
        crashed.view(new UsersByEmail("eager", ViewUpdatePolicy.EAGER));
        Random random = new Random(7);
        Map<String, String> revs = new java.util.HashMap<>();
        for (int i = 0; i < 400; i++) {
            String id = "u" + random.nextInt(60);
            String rev = revs.get(id);
            if (rev != null && random.nextInt(4) == 0) {
                crashed.remove(id, rev);
                revs.remove(id);
                continue;
            }
            var doc = Json.parseObject("{\"_id\":\"" + id + "\",\"email\":\"e" + random.nextInt(30) + "\"}");
            if (rev != null) {
                doc.put("_rev", rev);
            }
            revs.put(id, crashed.put(doc).rev());
        }
        // No close: the store is opened again as after a killed process, with whatever the last commit left.
        try (EngineDatabase reopened = open(store)) {
            ViewHandle<String, Long> eager = reopened.view(new UsersByEmail("eager", ViewUpdatePolicy.EAGER));
            ViewHandle<String, Long> rebuilt = reopened.view(new UsersByEmail("rebuilt", ViewUpdatePolicy.LAZY));

            TypedQuery<String> asItIs = TypedQuery.<String>all().access(AccessPolicy.NO_UPDATE);
            assertEquals(rebuilt.query(TypedQuery.all()), eager.query(asItIs));
            assertEquals(rebuilt.reduceGrouped(TypedQuery.all()), eager.reduceGrouped(asItIs));
            assertFalse(eager.query(asItIs).isEmpty());
        }
    }

    @Test
    void theIntegrityCheckRebuildsAnIndexWithRowsMissing() {
        MemoryKvStore store = new MemoryKvStore(EngineSpaces.ALL);
        UsersByEmail eager = new UsersByEmail("eager", ViewUpdatePolicy.EAGER);
        List<TypedRow<String, Long>> before;
        try (EngineDatabase db = open(store)) {
            db.view(eager);
            for (int i = 0; i < 50; i++) {
                user(db, "u" + i, "e" + (i % 7));
            }
            before = db.view(eager).query(TypedQuery.all());
        }
        int deleted = 0;
        try (KvBatch batch = store.newBatch(); KvCursor rows = store.scan(ViewSpaces.ROWS, null, null, false)) {
            while (rows.next()) {
                if (deleted++ % 5 == 0) {
                    batch.delete(ViewSpaces.ROWS, rows.key());
                }
            }
            store.commit(batch, false);
        }
        try (EngineDatabase db = open(store)) {
            TypedQuery<String> asItIs = TypedQuery.<String>all().access(AccessPolicy.NO_UPDATE);
            assertTrue(db.view(eager).query(asItIs).size() < before.size(), "the corruption shows without the check");

            ViewHandle<String, Long> verified = db.view(eager, true);

            assertEquals(before, verified.query(asItIs));
            assertEquals(50L, verified.reduce(asItIs));
            assertTrue(db.view(eager, true).query(asItIs).size() == 50, "a sound index passes the check as it is");
        }
    }

    private static List<String> ids(List<TypedRow<String, Long>> rows) {
        return rows.stream().map(TypedRow::docId).toList();
    }
}
