package dev.arbor.engine.view;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.view.ViewQuery;
import dev.arbor.api.view.ViewRow;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import dev.arbor.engine.db.EngineDatabase;
import dev.arbor.engine.kv.FailingCommitsStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A first build commits its batches on another thread while it maps the next ({@link dev.arbor.engine.kv.BatchCommits}): a batch that
 * fails to commit must fail the query that asked for the build, leave the index exactly at the last batch that did
 * commit, and let the next query finish the build with every row and reduction right.
 */
class FirstBuildCommitTest {
    private final FailingCommitsStore store = new FailingCommitsStore();
    private final EngineDatabase db = new EngineDatabase("first-build", store, false, () -> {});

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void aBatchThatFailsToCommitFailsTheBuildAndTheNextQueryFinishesItExactly() {
        int docs = ViewPass.BATCH_DOCUMENTS * 3 + 700;
        List<ObjectNode> bodies = new ArrayList<>();
        for (int i = 0; i < docs; i++) {
            bodies.add(Json.parseObject("{\"_id\":\"d" + i + "\",\"color\":\"c" + (i % 7) + "\",\"n\":" + i + "}"));
        }
        db.bulkDocs(bodies);
        db.put(Json.parseObject("""
                {"_id": "_design/colors", "views": {
                  "count": {"map": "function (doc) { emit(doc.color, doc.n); }", "reduce": "_count"},
                  "sum": {"map": "function (doc) { emit(doc.color, doc.n); }", "reduce": "_sum"}}}"""));

        // Two commits go through: the first build's clearing of the index's checkpoint, then its first batch; the second
        // batch fails to commit while the third is being mapped.
        store.failAfter(2);
        ArborException failure = assertThrows(ArborException.class,
                () -> db.query("colors", "count", ViewQuery.builder().group(true).build()));
        assertTrue(failure.getMessage().contains("disk full"), failure.getMessage());

        // The index stands at the first batch: its rows, each counted once, no half-committed batch.
        List<ViewRow> partial = db.query("colors", "count",
                ViewQuery.builder().reduce(false).update(ViewQuery.Update.FALSE).build()).rows();
        assertEquals(ViewPass.BATCH_DOCUMENTS, partial.size());
        assertEquals(ViewPass.BATCH_DOCUMENTS, db.query("colors", "count",
                ViewQuery.builder().update(ViewQuery.Update.FALSE).build()).rows().get(0).value().longValue(),
                "the cached reductions count the committed rows, no more");

        store.heal();
        long[] count = new long[7];
        long[] sum = new long[7];
        for (int i = 0; i < docs; i++) {
            count[i % 7]++;
            sum[i % 7] += i;
        }
        List<ViewRow> counted = db.query("colors", "count", ViewQuery.builder().group(true).build()).rows();
        List<ViewRow> summed = db.query("colors", "sum", ViewQuery.builder().group(true).build()).rows();
        assertEquals(7, counted.size());
        for (int color = 0; color < 7; color++) {
            assertEquals("c" + color, counted.get(color).key().asText());
            assertEquals(count[color], counted.get(color).value().longValue());
            assertEquals(sum[color], summed.get(color).value().longValue());
        }
        assertEquals(docs, db.query("colors", "sum", ViewQuery.builder().reduce(false).build()).rows().size());
        assertEquals((long) docs, db.query("colors", "count", ViewQuery.builder().build()).rows().get(0).value().longValue());
    }
}
