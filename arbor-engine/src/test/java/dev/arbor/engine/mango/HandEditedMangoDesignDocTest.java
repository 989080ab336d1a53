package dev.arbor.engine.mango;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.find.FindRequest;
import dev.arbor.api.find.IndexDefinition;
import dev.arbor.core.json.Json;
import dev.arbor.engine.db.EngineDatabase;
import dev.arbor.engine.kv.KvCursor;
import dev.arbor.engine.kv.MemoryKvStore;
import dev.arbor.engine.kv.Space;
import dev.arbor.engine.storage.EngineSpaces;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A {@code language: "query"} design document edited or deleted directly, not through {@code _index}: queries
 * follow the document at once (a changed definition is a new index, built from empty), and the old index's
 * rows go on {@code _view_cleanup}, as CouchDB (whose Mango indexes are views) drops them.
 */
class HandEditedMangoDesignDocTest {
    private final MemoryKvStore store = new MemoryKvStore(EngineSpaces.ALL);
    private EngineDatabase db;

    @BeforeEach
    void open() {
        db = new EngineDatabase("db", store, false, () -> {});
        for (int i = 0; i < 6; i++) {
            db.put((ObjectNode) Json.parse("{\"_id\":\"d" + i + "\",\"a\":" + i + ",\"b\":" + (10 - i) + "}"));
        }
        db.createIndex(IndexDefinition.of("a").ddoc("q").name("idx"));
    }

    @AfterEach
    void close() {
        db.close();
    }

    private long storedRows(Space space) {
        long n = 0;
        try (KvCursor cursor = store.scan(space, null, null, false)) {
            while (cursor.next()) n++;
        }
        return n;
    }

    private List<String> find(String selector) {
        return db.find(FindRequest.of(Json.parse(selector))).docs().stream().map(d -> d.get("_id").asText()).toList();
    }

    @Test
    void anEditedDefinitionIsANewIndexAndCleanupDropsTheOldRows() {
        assertEquals(List.of("d4", "d5"), find("{\"a\":{\"$gte\":4}}"));
        assertEquals(6, storedRows(MangoSpaces.ROWS));

        ObjectNode ddoc = db.get("_design/q");
        JsonNode view = ddoc.get("views").get("idx");
        ((ObjectNode) view.get("map").get("fields")).removeAll().put("b", "asc");
        ((ObjectNode) view.get("options").get("def")).putArray("fields").add("b");
        db.put(ddoc);

        assertEquals(List.of("b"), db.indexes().get(1).fields(), "the edited definition is the index now");
        // In the order of the new index: b 9, then b 10.
        assertEquals("idx", db.explain(FindRequest.of(Json.parse("{\"b\":{\"$gt\":8}}"))).index().name());
        assertEquals(List.of("d1", "d0"), find("{\"b\":{\"$gt\":8}}"));
        assertEquals(12, storedRows(MangoSpaces.ROWS), "the new index was built; the old rows wait for cleanup");

        db.viewCleanup();
        assertEquals(6, storedRows(MangoSpaces.ROWS), "only the current definition's rows are left");
        assertEquals(List.of("d1", "d0"), find("{\"b\":{\"$gt\":8}}"), "the current index is untouched");
    }

    @Test
    void aDeletedDesignDocStopsServingAndCleanupDropsEverythingItHad() {
        find("{\"a\":{\"$gte\":4}}");
        db.remove("_design/q", db.get("_design/q").get("_rev").asText());

        assertEquals(1, db.indexes().size(), "only _all_docs");
        assertEquals(List.of("d4", "d5"), find("{\"a\":{\"$gte\":4}}"), "answered by a full scan");
        db.viewCleanup();
        assertEquals(0, storedRows(MangoSpaces.ROWS));
        assertEquals(0, storedRows(MangoSpaces.DOCS));
    }
}
