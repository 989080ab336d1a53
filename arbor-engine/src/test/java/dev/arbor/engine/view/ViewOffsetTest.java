package dev.arbor.engine.view;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.view.ViewQuery;
import dev.arbor.api.view.ViewResult;
import dev.arbor.core.json.Json;
import dev.arbor.engine.db.EngineDatabase;
import dev.arbor.engine.kv.MemoryKvStore;
import dev.arbor.engine.storage.EngineSpaces;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * CouchDB's {@code offset} of a map query (the rows before the first one the range could return, in the scan's
 * direction) wherever the range starts: near the start, in the middle, near the end, past either end, with doc id
 * bounds, ascending and descending. It is counted from whichever end of the view is nearer.
 */
class ViewOffsetTest {

    @Test
    void offsetCountsTheRowsBeforeTheRangeInTheDirectionOfTheScan() {
        try (EngineDatabase db = new EngineDatabase("offsets", new MemoryKvStore(EngineSpaces.ALL), false, () -> {})) {
            db.put(Json.parseObject("{\"_id\":\"_design/d\",\"views\":{\"n\":{\"map\":"
                    + "\"function(doc){ emit(doc.n, null); if (doc.n % 10 === 0) emit(doc.n, 1); }\"}}}"));
            List<ObjectNode> docs = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                docs.add(Json.parseObject("{\"_id\":\"doc" + i + "\",\"n\":" + i + "}"));
            }
            db.bulkDocs(new ArrayList<>(docs), true);
            long total = 220;
            for (int start : new int[]{-5, 0, 1, 7, 100, 150, 190, 199, 250}) {
                // Ascending: rows with n < start come first; n % 10 == 0 emits two rows.
                long below = rowsBelow(start);
                ViewResult up = db.query("d", "n", ViewQuery.builder().startkey(IntNode.valueOf(start)).limit(1).build());
                assertEquals(total, up.totalRows());
                assertEquals(below, up.offset(), "ascending from " + start);
                ViewResult down = db.query("d", "n",
                        ViewQuery.builder().startkey(IntNode.valueOf(start)).descending(true).limit(1).build());
                assertEquals(total - rowsBelow(start + 1), down.offset(), "descending from " + start);
                ViewResult skipped = db.query("d", "n",
                        ViewQuery.builder().startkey(IntNode.valueOf(start)).skip(3).limit(1).build());
                assertEquals(Math.min(total, below + 3), skipped.offset(), "ascending from " + start + ", skip 3");
            }
            // A doc id bound past the only document of key 150: the range starts after both of its rows.
            ViewResult pastKey = db.query("d", "n", ViewQuery.builder().startkey(IntNode.valueOf(150))
                    .startkeyDocId("doc150z").limit(1).build());
            assertEquals(rowsBelow(151), pastKey.offset());
        }
    }

    /** Rows with a key below {@code n}: one per doc, two for multiples of ten. */
    private static long rowsBelow(int n) {
        long rows = 0;
        for (int i = 0; i < Math.min(Math.max(n, 0), 200); i++) {
            rows += i % 10 == 0 ? 2 : 1;
        }
        return rows;
    }
}
