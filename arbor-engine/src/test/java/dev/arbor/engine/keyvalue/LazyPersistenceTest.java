package dev.arbor.engine.keyvalue;

import dev.arbor.options.KeyValueOptions;
import dev.arbor.api.keyvalue.KeyValuePersistence;
import dev.arbor.api.keyvalue.KeyValueStore;
import dev.arbor.engine.db.EngineDatabase;
import dev.arbor.engine.kv.MemoryKvStore;
import dev.arbor.engine.storage.EngineSpaces;
import dev.arbor.testkit.Eventually;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When lazy changes reach the store: visible at once, committed after N changes, after T, and at close. */
class LazyPersistenceTest {
    private final MemoryKvStore store = new MemoryKvStore(EngineSpaces.ALL);

    private EngineDatabase open(int maxChanges, Duration maxDelay) {
        return new EngineDatabase("db", store, false,
                new KeyValueOptions(KeyValuePersistence.lazy(maxChanges, maxDelay), InstantSource.system(), Duration.ofHours(1)),
                () -> {});
    }

    private boolean committed(String key) {
        return store.get(KeyValueSpaces.KV, KeyLayout.entry("", key)) != null;
    }

    @Test
    void changesAreVisibleAtOnceAndCommittedTogetherAtTheNthChange() {
        try (EngineDatabase db = open(3, Duration.ofHours(1))) {
            KeyValueStore kv = db.keyValue().orElseThrow();
            kv.set("a", 1);
            kv.increment("a", 1);
            assertEquals(Optional.of(2L), kv.get("a", Long.class), "readers see buffered changes");
            assertNull(store.get(KeyValueSpaces.KV, KeyLayout.entry("", "a")), "two changes: not committed yet");
            kv.set("b", 1);
            assertNotNull(store.get(KeyValueSpaces.KV, KeyLayout.entry("", "a")), "the third change commits the buffer");
            assertEquals(2L, StoredEntry.decode(store.get(KeyValueSpaces.KV, KeyLayout.entry("", "a"))).value().asLong());
            assertEquals(Optional.of(1L), kv.get("b", Long.class));
        }
    }

    @Test
    @Timeout(120)
    void aLoneChangeIsCommittedOnceItIsMaxDelayOld() throws Exception {
        Duration maxDelay = Duration.ofMillis(50);
        try (EngineDatabase db = open(1_000_000, maxDelay)) {
            KeyValueStore kv = db.keyValue().orElseThrow();
            long start = System.nanoTime();
            kv.set("lonely", "x");
            // Not "uncommitted right after set": a busy machine may stall the test past the delay between the two.
            // Whenever the change is seen committed, though, it must have been at least maxDelay old by then.
            Eventually.until("the lone change is committed", () -> committed("lonely"));
            assertTrue(System.nanoTime() - start >= maxDelay.toNanos(), "not before its delay");
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
