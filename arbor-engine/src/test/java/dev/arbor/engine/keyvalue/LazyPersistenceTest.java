package dev.arbor.engine.keyvalue;

import dev.arbor.KeyValueOptions;
import dev.arbor.api.kv.KeyValuePersistence;
import dev.arbor.api.kv.KeyValueStore;
import dev.arbor.engine.db.EngineDatabase;
import dev.arbor.engine.kv.MemoryKvStore;
import dev.arbor.engine.kv.Space;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** When lazy changes reach the store: visible at once, committed after N changes, after T, and at close. */
class LazyPersistenceTest {
    private final MemoryKvStore store = new MemoryKvStore();

    private EngineDatabase open(int maxChanges, Duration maxDelay) {
        return new EngineDatabase("db", store, false,
                new KeyValueOptions(KeyValuePersistence.lazy(maxChanges, maxDelay), InstantSource.system(), Duration.ofHours(1)),
                () -> {});
    }

    private boolean committed(String key) {
        return store.get(Space.KV, KeyLayout.entry("", key)) != null;
    }

    @Test
    void changesAreVisibleAtOnceAndCommittedTogetherAtTheNthChange() {
        try (EngineDatabase db = open(3, Duration.ofHours(1))) {
            KeyValueStore kv = db.keyValue().orElseThrow();
            kv.set("a", 1);
            kv.increment("a", 1);
            assertEquals(Optional.of(2L), kv.get("a", Long.class), "readers see buffered changes");
            assertNull(store.get(Space.KV, KeyLayout.entry("", "a")), "two changes: not committed yet");
            kv.set("b", 1);
            assertNotNull(store.get(Space.KV, KeyLayout.entry("", "a")), "the third change commits the buffer");
            assertEquals(2L, StoredEntry.decode(store.get(Space.KV, KeyLayout.entry("", "a"))).value().asLong());
            assertEquals(Optional.of(1L), kv.get("b", Long.class));
        }
    }

    @Test
    @Timeout(10)
    void aLoneChangeIsCommittedOnceItIsMaxDelayOld() throws InterruptedException {
        try (EngineDatabase db = open(1_000_000, Duration.ofMillis(50))) {
            KeyValueStore kv = db.keyValue().orElseThrow();
            long start = System.nanoTime();
            kv.set("lonely", "x");
            assertEquals(false, committed("lonely"));
            while (!committed("lonely")) {
                Thread.sleep(5);
            }
            assertEquals(true, System.nanoTime() - start >= Duration.ofMillis(50).toNanos(), "not before its delay");
        }
    }

    @Test
    void closingCommitsWhatIsBufferedAndDeletionsCommitToo() {
        try (EngineDatabase db = open(1_000_000, Duration.ofHours(1))) {
            KeyValueStore kv = db.keyValue().orElseThrow();
            kv.set("kept", 1);
            kv.set("removed", 1);
            assertEquals(false, committed("kept"));
        }
        assertEquals(true, committed("kept"));
        assertEquals(true, committed("removed"));
        try (EngineDatabase db = open(1_000_000, Duration.ofHours(1))) {
            db.keyValue().orElseThrow().delete("removed");
        }
        assertEquals(false, committed("removed"));
    }
}
