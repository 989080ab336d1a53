package dev.arbor.engine.mango;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.find.FindRequest;
import dev.arbor.api.find.IndexDefinition;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import dev.arbor.engine.db.EngineDatabase;
import dev.arbor.engine.kv.FailingCommitsStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Mango index's first build commits each batch on another thread while it stages the next
 * ({@link dev.arbor.engine.kv.BatchCommits}): a batch that fails to commit fails the query that asked for the build,
 * and the next query finishes the build from the last batch that did commit, every document found once.
 */
class IndexBuildCommitTest {
    private final FailingCommitsStore store = new FailingCommitsStore();
    private final EngineDatabase db = new EngineDatabase("mango-build", store, false, () -> {});

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void aBatchThatFailsToCommitFailsTheQueryAndTheNextOneFindsEveryDocumentOnce() {
        int docs = dev.arbor.engine.index.Index.BATCH_DOCUMENTS * 3 + 700;
        List<ObjectNode> bodies = new ArrayList<>();
        for (int i = 0; i < docs; i++) {
            bodies.add(Json.parseObject("{\"_id\":\"d" + i + "\",\"age\":" + (i % 90) + "}"));
        }
        db.bulkDocs(bodies);
        db.createIndex(IndexDefinition.of("age").ddoc("ages").name("age"));
        FindRequest thirties = FindRequest.of(Json.parse("{\"age\":{\"$gte\":30,\"$lt\":40}}")).limit(Integer.MAX_VALUE);

        // The build clears the index's checkpoint first, then commits its first batch; the second batch fails while
        // the third is being staged.
        store.failAfter(2);
        ArborException failure = assertThrows(ArborException.class, () -> db.find(thirties));
        assertTrue(failure.getMessage().contains("disk full"), failure.getMessage());
        long firstBatch = 0;
        for (int i = 0; i < dev.arbor.engine.index.Index.BATCH_DOCUMENTS; i++) {
            firstBatch += i % 90 >= 30 && i % 90 < 40 ? 1 : 0;
        }
        assertEquals(firstBatch, db.find(thirties.update(false)).docs().size(),
                "read as it is, the index holds the first batch's rows, no more");

        store.heal();
        List<ObjectNode> found = db.find(thirties).docs();
        Set<String> ids = new HashSet<>();
        found.forEach(doc -> ids.add(doc.get("_id").asText()));
        long expected = 0;
        for (int i = 0; i < docs; i++) {
            if (i % 90 >= 30 && i % 90 < 40) {
                expected++;
                assertTrue(ids.contains("d" + i), "d" + i);
            }
        }
        assertEquals(expected, found.size(), "every match once");
        assertEquals(expected, ids.size());
    }
}
