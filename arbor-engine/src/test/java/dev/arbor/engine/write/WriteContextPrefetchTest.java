package dev.arbor.engine.write;

import dev.arbor.engine.store.DbState;

import dev.arbor.engine.kv.KvBatch;
import dev.arbor.engine.kv.MemoryKvStore;
import dev.arbor.engine.kv.Space;
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
        MemoryKvStore store = new MemoryKvStore();
        try (KvBatch batch = store.newBatch()) {
            batch.put(Space.DOCS, bytes(key), bytes(value));
            store.commit(batch, false);
        }
        return store;
    }

    @Test
    void prefetchedKeysReadTheCommittedValueOrNothing() {
        WriteContext ctx = new WriteContext(storeHolding("a", "stored"), DbState.EMPTY);
        ctx.prefetch(Space.DOCS, List.of(bytes("a"), bytes("missing")));

        assertArrayEquals(bytes("stored"), ctx.get(Space.DOCS, bytes("a")));
        assertNull(ctx.get(Space.DOCS, bytes("missing")));
    }

    @Test
    void aStagedWriteHidesThePrefetchedValueUntilItIsRolledBack() {
        WriteContext ctx = new WriteContext(storeHolding("a", "stored"), DbState.EMPTY);
        ctx.prefetch(Space.DOCS, List.of(bytes("a"), bytes("new")));

        ctx.mark();
        ctx.put(Space.DOCS, bytes("new"), bytes("staged"));
        ctx.delete(Space.DOCS, bytes("a"));
        assertArrayEquals(bytes("staged"), ctx.get(Space.DOCS, bytes("new")));
        assertNull(ctx.get(Space.DOCS, bytes("a")));

        ctx.rollback();
        assertNull(ctx.get(Space.DOCS, bytes("new")));
        assertArrayEquals(bytes("stored"), ctx.get(Space.DOCS, bytes("a")));
    }
}
