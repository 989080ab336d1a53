package dev.arbor.engine.kv;

import dev.arbor.engine.store.DocSpaces;
import dev.arbor.engine.storage.EngineSpaces;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.LRUCache;
import org.rocksdb.RocksDB;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A feature adds a space by registering it and opening its stores with it: nothing in this package changes. */
class AddedSpaceTest {
    static {
        RocksDB.loadLibrary(); // before the first LRUCache, which is native too
    }

    /** What a new feature would declare in its own package. */
    private static final Space NOTES = Space.register("test_notes", true);
    private static final Space JOURNAL = Space.register("test_journal", false);
    private static final List<Space> WITH_FEATURE =
            Stream.concat(EngineSpaces.ALL.stream(), Stream.of(NOTES, JOURNAL)).toList();

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    private static void write(KvStore store, Space space, String... keys) {
        try (KvBatch batch = store.newBatch()) {
            for (String key : keys) {
                batch.put(space, bytes(key), bytes(space + ":" + key));
            }
            store.commit(batch, true);
        }
    }

    private static List<String> keys(KvReader reader, Space space) {
        List<String> keys = new ArrayList<>();
        try (KvCursor cursor = reader.scan(space, null, null, false)) {
            while (cursor.next()) {
                keys.add(text(cursor.key()));
            }
        }
        return keys;
    }

    /** The added spaces read back what was written to them, apart from each other and from the features' spaces. */
    private static void writesAndReads(KvStore store) {
        write(store, NOTES, "b", "a");
        write(store, JOURNAL, "a");
        write(store, DocSpaces.DOCS, "a");

        assertEquals("test_notes:a", text(store.get(NOTES, bytes("a"))));
        assertEquals(List.of("test_notes:a", "test_notes:b"),
                store.getAll(NOTES, List.of(bytes("a"), bytes("b"))).stream().map(AddedSpaceTest::text).toList());
        assertEquals(List.of("a", "b"), keys(store, NOTES));
        assertEquals(List.of("a"), keys(store, JOURNAL));
        assertEquals("docs:a", text(store.get(DocSpaces.DOCS, bytes("a"))));
        try (KvSnapshot snapshot = store.snapshot()) {
            try (KvBatch batch = store.newBatch()) {
                batch.delete(NOTES, bytes("b"));
                store.commit(batch, true);
            }
            assertEquals(List.of("a", "b"), keys(snapshot, NOTES), "the snapshot predates the delete");
        }
        assertEquals(List.of("a"), keys(store, NOTES));
    }

    @Test
    void anAddedSpaceWorksInMemory() {
        writesAndReads(new MemoryKvStore(WITH_FEATURE));
    }

    @Test
    void anAddedSpaceWorksOnRocksDbAndSurvivesAReopen(@TempDir Path dir) {
        try (LRUCache cache = new LRUCache(8 << 20)) {
            try (RocksKvStore store = new RocksKvStore(dir, cache, WITH_FEATURE)) {
                writesAndReads(store);
            }
            try (RocksKvStore store = new RocksKvStore(dir, cache, WITH_FEATURE)) {
                assertEquals(List.of("a"), keys(store, NOTES));
                assertEquals(List.of("a"), keys(store, JOURNAL));
            }
        }
    }

    @Test
    void aDatabaseOpensWithoutAFeatureWhoseColumnFamiliesItHolds(@TempDir Path dir) {
        try (LRUCache cache = new LRUCache(8 << 20)) {
            try (RocksKvStore store = new RocksKvStore(dir, cache, WITH_FEATURE)) {
                write(store, NOTES, "kept");
                write(store, DocSpaces.DOCS, "a");
            }
            try (RocksKvStore store = new RocksKvStore(dir, cache, EngineSpaces.ALL)) {
                assertEquals("docs:a", text(store.get(DocSpaces.DOCS, bytes("a"))));
                assertThrows(IllegalStateException.class, () -> store.get(NOTES, bytes("kept")));
            }
            try (RocksKvStore store = new RocksKvStore(dir, cache, WITH_FEATURE)) {
                assertEquals("test_notes:kept", text(store.get(NOTES, bytes("kept"))), "left alone while unwired");
            }
        }
    }

    @Test
    void aSpaceTheStoreWasNotOpenedWithIsRefusedBeforeAnythingIsStaged(@TempDir Path dir) {
        try (LRUCache cache = new LRUCache(8 << 20);
             RocksKvStore rocks = new RocksKvStore(dir, cache, EngineSpaces.ALL)) {
            for (KvStore store : List.of(new MemoryKvStore(EngineSpaces.ALL), rocks)) {
                assertThrows(IllegalStateException.class, () -> store.get(NOTES, bytes("a")));
                assertThrows(IllegalStateException.class, () -> store.scan(JOURNAL, null, null, false));
                try (KvBatch batch = store.newBatch()) {
                    batch.put(DocSpaces.DOCS, bytes("a"), bytes("doc"));
                    assertThrows(IllegalStateException.class, () -> batch.put(NOTES, bytes("a"), bytes("note")));
                    store.commit(batch, false);
                }
                assertEquals("doc", text(store.get(DocSpaces.DOCS, bytes("a"))));
            }
            // The refused scan released what it entered: closing does not wait (10 s) for a reader that never was.
            long start = System.nanoTime();
            rocks.close();
            assertTrue(System.nanoTime() - start < 5_000_000_000L, "close waited for a cursor never opened");
        }
    }

    @Test
    void aNameRegistersOnceAndMustBeAColumnFamilyName() {
        assertThrows(IllegalArgumentException.class, () -> Space.register("test_notes", true));
        assertThrows(IllegalArgumentException.class, () -> Space.register("docs", true));
        for (String bad : List.of("", "Notes", "9lives", "with space", "default")) {
            assertThrows(IllegalArgumentException.class, () -> Space.register(bad, false), bad);
        }
    }

    @Test
    void aStoreRefusesASpaceListedTwice() {
        assertThrows(IllegalArgumentException.class, () -> new MemoryKvStore(List.of(NOTES, NOTES)));
    }

    @Test
    void aMissingValueIsNull() {
        assertNull(new MemoryKvStore(WITH_FEATURE).get(NOTES, bytes("none")));
    }
}
