package dev.arbor.engine.write;

import dev.arbor.engine.store.DbState;
import dev.arbor.engine.store.DocSpaces;

import dev.arbor.engine.kv.KvBatch;
import dev.arbor.engine.kv.MemoryKvStore;
import dev.arbor.engine.storage.EngineSpaces;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Values read ahead for a bulk write answer like the store would, and never hide what the group staged. */
class WriteContextPrefetchTest {
    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static MemoryKvStore storeHolding(String key, String value) {
        MemoryKvStore store = new MemoryKvStore(EngineSpaces.ALL);
        try (KvBatch batch = store.newBatch()) {
            batch.put(DocSpaces.DOCS, bytes(key), bytes(value));
            store.commit(batch, false);
        }
        return store;
    }

    @Test
    void prefetchedKeysReadTheCommittedValueOrNothing() {
        WriteContext ctx = new WriteContext(storeHolding("a", "stored"), DbState.EMPTY);
        ctx.prefetch(DocSpaces.DOCS, List.of(bytes("a"), bytes("missing")));

        assertArrayEquals(bytes("stored"), ctx.get(DocSpaces.DOCS, bytes("a")));
        assertNull(ctx.get(DocSpaces.DOCS, bytes("missing")));
    }

    @Test
    void aStagedWriteHidesThePrefetchedValueUntilItIsRolledBack() {
        WriteContext ctx = new WriteContext(storeHolding("a", "stored"), DbState.EMPTY);
        ctx.prefetch(DocSpaces.DOCS, List.of(bytes("a"), bytes("new")));

        ctx.mark();
        ctx.put(DocSpaces.DOCS, bytes("new"), bytes("staged"));
        ctx.delete(DocSpaces.DOCS, bytes("a"));
        assertArrayEquals(bytes("staged"), ctx.get(DocSpaces.DOCS, bytes("new")));
        assertNull(ctx.get(DocSpaces.DOCS, bytes("a")));

        ctx.rollback();
        assertNull(ctx.get(DocSpaces.DOCS, bytes("new")));
        assertArrayEquals(bytes("stored"), ctx.get(DocSpaces.DOCS, bytes("a")));
    }
}
