package dev.arbor.engine.mango;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.find.FindRequest;
import dev.arbor.api.find.FindResult;
import dev.arbor.api.find.IndexDefinition;
import dev.arbor.core.json.Json;
import dev.arbor.engine.db.EngineDatabase;
import dev.arbor.engine.kv.MemoryKvStore;
import dev.arbor.engine.storage.EngineSpaces;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A query asked again reuses its parse and plan only while they still hold (same request, same indexes), and a
 * page of an index scan reads about the rows it needs at the yield it has seen, not the next power of two.
 */
class RepeatedFindTest {
    private EngineDatabase db;

    @BeforeEach
    void open() {
        db = new EngineDatabase("db", new MemoryKvStore(EngineSpaces.ALL), false, () -> {});
        List<ObjectNode> docs = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            docs.add((ObjectNode) Json.parse(String.format("{\"_id\":\"d%03d\",\"a\":%d,\"b\":%b}", i, i, i % 10 == 0)));
        }
        db.bulkDocs(docs);
    }

    @AfterEach
    void close() {
        db.close();
    }

    private static List<String> ids(FindResult result) {
        return result.docs().stream().map(d -> d.get("_id").asText()).toList();
    }

    @Test
    void aRepeatedQueryReadsAnIndexCreatedSinceItsLastRun() {
        FindRequest request = FindRequest.of(Json.parse("{\"a\":{\"$gte\":498}}")).executionStats(true);
        FindResult before = db.find(request);
        assertEquals(List.of("d498", "d499"), ids(before));
        assertEquals(500, before.executionStats().totalDocsExamined(), "no index yet: every document is read");

        db.createIndex(IndexDefinition.of("a").ddoc("q").name("a"));
        FindResult after = db.find(request);
        assertEquals(List.of("d498", "d499"), ids(after));
        assertEquals(2, after.executionStats().totalDocsExamined(), "the new index narrows the scan");
        assertTrue(after.warnings().isEmpty(), after.warnings().toString());
    }

    @Test
    void editingTheSelectorOfAnAskedRequestChangesTheNextAnswer() {
        db.createIndex(IndexDefinition.of("a").ddoc("q").name("a"));
        ObjectNode selector = (ObjectNode) Json.parse("{\"a\":{\"$gte\":497}}");
        FindRequest request = FindRequest.of(selector);
        assertEquals(List.of("d497", "d498", "d499"), ids(db.find(request)));

        ((ObjectNode) selector.get("a")).put("$gte", 499);
        assertEquals(List.of("d499"), ids(db.find(request)));
    }

    @Test
    void aPageReadsAboutTheIndexRowsItNeedsAtTheYieldSeen() {
        db.createIndex(IndexDefinition.of("a").ddoc("q").name("a"));
        // One document in ten answers: 25 answers lie in the first 241 rows. A batch of 32 finds 4, so the next
        // batch is sized for the 21 still needed (211 rows), not doubled until it passes them (32+64+128+256).
        FindResult page = db.find(FindRequest.of(Json.parse("{\"a\":{\"$gte\":0},\"b\":true}")).limit(25).executionStats(true));
        assertEquals(25, page.docs().size());
        assertEquals("d240", page.docs().get(24).get("_id").asText());
        long rows = page.executionStats().totalKeysExamined();
        assertTrue(rows >= 241 && rows < 300, "index rows read: " + rows);
    }

    @Test
    void aLargeResultJudgedOnSeveralCoresKeepsIndexOrderAndEveryMatch() {
        List<ObjectNode> docs = new ArrayList<>();
        for (int i = 500; i < 5_000; i++) {
            // a descends as ids ascend, so index order is not id order; every third document answers
            docs.add((ObjectNode) Json.parse(String.format("{\"_id\":\"d%04d\",\"a\":%d,\"b\":%b}", i, 10_000 - i, i % 3 == 0)));
        }
        db.bulkDocs(docs);
        db.createIndex(IndexDefinition.of("a").ddoc("q").name("a"));
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 500; i += 10) {
            expected.add(String.format("d%03d", i)); // the setup's answers: a = i, below every a added here
        }
        for (int i = 4_999; i >= 500; i--) {
            if (i % 3 == 0) {
                expected.add(String.format("d%04d", i));
            }
        }
        FindRequest all = FindRequest.of(Json.parse("{\"a\":{\"$gte\":0},\"b\":true}")).limit(Integer.MAX_VALUE).executionStats(true);
        FindResult result = db.find(all);
        assertEquals(expected, ids(result));
        assertEquals(5_000, result.executionStats().totalKeysExamined());

        List<byte[]> streamed = new ArrayList<>();
        db.find(all, new dev.arbor.api.find.FindSink() {
            @Override
            public void doc(byte[] json) {
                streamed.add(json);
            }

            @Override
            public void end(String bookmark, List<String> warnings, dev.arbor.api.find.ExecutionStats stats) {}
        });
        assertEquals(expected, streamed.stream().map(json -> Json.parse(json).get("_id").asText()).toList());
    }
}
