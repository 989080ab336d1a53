package dev.arbor.engine.view;

import dev.arbor.api.key.Key;
import dev.arbor.api.key.Keys;
import dev.arbor.api.view.typed.Emitter;
import dev.arbor.api.view.typed.MappedDocument;
import dev.arbor.api.view.typed.TypedQuery;
import dev.arbor.api.view.typed.TypedRow;
import dev.arbor.api.view.typed.TypedView;
import dev.arbor.api.view.typed.ViewHandle;
import dev.arbor.core.json.Json;
import dev.arbor.engine.db.EngineDatabase;
import dev.arbor.engine.kv.MemoryKvStore;
import dev.arbor.engine.storage.EngineSpaces;
import dev.arbor.testkit.Eventually;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A query sees every write committed before it was called, and no more is owed to it: one that queues behind a
 * running update which covers its writes is answered by that update, rather than indexing the writes that arrived
 * while it waited. Without this, queries under constant writes form a convoy on the index's lock.
 */
class QueuedViewQueryTest {
    private final EngineDatabase db = new EngineDatabase("queued", new MemoryKvStore(EngineSpaces.ALL), false, () -> {});
    private final CountDownLatch mapping = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger lateMapped = new AtomicInteger();

    @AfterEach
    void close() {
        release.countDown();
        db.close();
    }

    /** Emits each document's id; holds the update inside the map of "slow" until the test releases it. */
    private final class Ids implements TypedView<String, Long> {
        @Override public String name() { return "ids"; }
        @Override public Key<String> keyType() { return Keys.STRING; }
        @Override public Class<Long> valueType() { return Long.class; }

        @Override
        public void map(MappedDocument doc, Emitter<String, Long> emit) {
            if (doc.id().equals("slow")) {
                mapping.countDown();
                try {
                    release.await(120, TimeUnit.SECONDS); // only ends a hung test
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (doc.id().equals("late")) {
                lateMapped.incrementAndGet();
            }
            emit.emit(doc.id(), 1L);
        }
    }

    @Test
    void queryQueuedBehindAnUpdateCoveringItsWritesIsAnsweredByThatUpdate() throws Exception {
        ViewHandle<String, Long> ids = db.view(new Ids());
        db.put(Json.parseObject("{\"_id\": \"slow\"}"));
        CompletableFuture<List<TypedRow<String, Long>>> first = CompletableFuture.supplyAsync(() -> ids.query(TypedQuery.all()));
        assertTrue(mapping.await(60, TimeUnit.SECONDS), "the first query's update reached the slow document");

        Thread[] queued = new Thread[1];
        CompletableFuture<List<TypedRow<String, Long>>> second = new CompletableFuture<>();
        queued[0] = Thread.ofPlatform().start(() -> second.complete(ids.query(TypedQuery.all())));
        Eventually.until("the second query waits for the running update", () -> queued[0].getState() == Thread.State.WAITING);

        db.put(Json.parseObject("{\"_id\": \"late\"}"));
        release.countDown();

        assertEquals(List.of("slow"), first.get(60, TimeUnit.SECONDS).stream().map(TypedRow::key).toList());
        assertEquals(List.of("slow"), second.get(60, TimeUnit.SECONDS).stream().map(TypedRow::key).toList(),
                "the queued query is answered by the update it waited for");
        assertEquals(0, lateMapped.get(), "nobody indexed the write that came after both queries");

        assertEquals(List.of("late", "slow"), ids.query(TypedQuery.all()).stream().map(TypedRow::key).toList(),
                "a query called after the write sees it");
        assertEquals(1, lateMapped.get());
    }
}
