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

/**
 * A query learns whether its index needs updating from the database's counters in memory and the checkpoint the
 * updater last committed, without reading either from the store: it must still see every write acknowledged
 * before it, and an index whose rows were dropped must be rebuilt, not trusted.
 */
class IndexFreshnessTest {
    /** Read through the index on {@code a}: a document it has no row for is not returned. */
    private static final FindRequest SMALL = FindRequest.of(Json.parse("{\"a\":{\"$lt\":10}}")).useIndex(List.of("q", "a"));

    private EngineDatabase db;

    @BeforeEach
    void open() {
        db = new EngineDatabase("db", new MemoryKvStore(EngineSpaces.ALL), false, () -> {});
        List<ObjectNode> docs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            docs.add(doc(i));
        }
        db.bulkDocs(docs);
        db.createIndex(IndexDefinition.of("a").ddoc("q").name("a"));
    }

    @AfterEach
    void close() {
        db.close();
    }

    private static ObjectNode doc(int i) {
        return (ObjectNode) Json.parse(String.format("{\"_id\":\"d%03d\",\"a\":%d}", i, i));
    }

    private static List<String> ids(FindResult result) {
        return result.docs().stream().map(d -> d.get("_id").asText()).toList();
    }

    @Test
    void everyAcknowledgedWriteIsSeenByTheNextQuery() {
        assertEquals(10, db.find(SMALL).docs().size());
        for (int round = 0; round < 5; round++) {
            ObjectNode moved = db.get(String.format("d%03d", 10 + round));
            moved.put("a", -1 - round);
            db.put(moved);
            assertEquals(11 + round, db.find(SMALL).docs().size(), "the edit of round " + round);
        }
        db.remove("d000", db.get("d000").get("_rev").asText());
        assertEquals(14, db.find(SMALL).docs().size(), "the delete");
    }

    @Test
    void anIndexDeletedAndDefinedAgainIsRebuiltByItsNextQuery() {
        assertEquals(10, db.find(SMALL).docs().size());
        db.deleteIndex("q", "a");
        db.createIndex(IndexDefinition.of("a").ddoc("q").name("a"));

        FindResult result = db.find(SMALL);

        assertEquals(List.of("d000", "d001", "d002", "d003", "d004", "d005", "d006", "d007", "d008", "d009"), ids(result));
    }
}
