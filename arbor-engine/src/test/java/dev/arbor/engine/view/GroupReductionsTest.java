package dev.arbor.engine.view;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.key.Key;
import dev.arbor.api.key.Keys;
import dev.arbor.api.view.typed.Emitter;
import dev.arbor.api.view.typed.GroupedReduction;
import dev.arbor.api.view.typed.MappedDocument;
import dev.arbor.api.view.typed.MappedValue;
import dev.arbor.api.view.typed.TypedQuery;
import dev.arbor.api.view.typed.TypedRow;
import dev.arbor.api.view.typed.TypedView;
import dev.arbor.api.view.typed.ViewHandle;
import dev.arbor.core.collate.KeyEncoding;
import dev.arbor.core.json.Json;
import dev.arbor.engine.db.EngineDatabase;
import dev.arbor.engine.kv.MemoryKvStore;
import dev.arbor.engine.storage.EngineSpaces;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cached group reductions ({@link GroupReductions}): after random writes, edits and deletes, every grouped
 * query (whole view, ranges that cut through groups, descending) answers what reducing the view's rows by hand gives,
 * and the integrity check finds the groups in agreement with the per-key reductions.
 */
class GroupReductionsTest {

    /** Emits the document's {@code path} array (of length 1 to 4, so keys are prefixes of each other) with {@code n}. */
    record ByPath() implements TypedView<JsonNode, Long> {
        @Override public String name() { return "by-path"; }
        @Override public Key<JsonNode> keyType() { return Keys.JSON; }
        @Override public Class<Long> valueType() { return Long.class; }

        @Override
        public void map(MappedDocument doc, Emitter<JsonNode, Long> emit) {
            emit.emit(doc.body().get("path"), doc.body().get("n").asLong());
            if (doc.body().get("n").asLong() % 4 == 0) {
                emit.emit(doc.body().get("path"), 100L);
            }
        }

        @Override
        public Long reduce(List<MappedValue<JsonNode, Long>> mappings, boolean rereduce) {
            return mappings.stream().mapToLong(MappedValue::value).sum();
        }
    }

    @Test
    void groupedQueriesAfterRandomWritesEqualTheRowsReducedByHand() {
        MemoryKvStore store = new MemoryKvStore(EngineSpaces.ALL);
        try (EngineDatabase db = new EngineDatabase("groups", store, false, () -> {})) {
            ViewHandle<JsonNode, Long> view = db.view(new ByPath());
            Random random = new Random(7);
            Map<String, String> revs = new HashMap<>();
            for (int step = 0; step < 600; step++) {
                String id = "d" + random.nextInt(80);
                int action = random.nextInt(10);
                if (action < 6) {
                    ObjectNode doc = Json.object().put("_id", id).put("n", random.nextInt(9));
                    ArrayNode path = doc.putArray("path");
                    for (int i = 0, length = 1 + random.nextInt(4); i < length; i++) {
                        path.add(i == 0 ? "g" + random.nextInt(3) : Integer.toString(random.nextInt(3)));
                    }
                    if (revs.containsKey(id)) {
                        doc.put("_rev", revs.get(id));
                    }
                    revs.put(id, db.put(doc).rev());
                } else if (action < 8 && revs.containsKey(id)) {
                    db.remove(id, revs.remove(id));
                } else {
                    // Queries between writes make the index catch up in many small batches.
                    view.reduceGrouped(TypedQuery.all(), 1 + random.nextInt(3), Keys.JSON);
                }
            }
            List<TypedQuery<JsonNode>> queries = List.of(TypedQuery.all(), TypedQuery.<JsonNode>all().descending(),
                    TypedQuery.range(Json.parse("[\"g0\",\"1\"]"), Json.parse("[\"g2\",\"1\"]")),
                    TypedQuery.range(Json.parse("[\"g1\"]"), Json.parse("[\"g1\",{}]")),
                    TypedQuery.range(Json.parse("[\"g0\",\"2\",\"0\"]"), Json.parse("[\"g2\"]")).descending());
            for (TypedQuery<JsonNode> query : queries) {
                List<TypedRow<JsonNode, Long>> rows = view.query(query);
                for (int level = 1; level <= GroupReductions.MAX_LEVEL + 1; level++) {
                    Map<String, Long> expected = byHand(rows, level);
                    Map<String, Long> found = asMap(view.reduceGrouped(query, level, Keys.JSON));
                    assertEquals(expected, found, "level " + level + " of " + query);
                    assertEquals(new ArrayList<>(expected.keySet()), new ArrayList<>(found.keySet()),
                            "group order at level " + level + " of " + query);
                }
            }
            assertTrue(new dev.arbor.engine.index.IndexUpdater(store).verify(TypedViewDefinition.of(new ByPath())));
        }
    }

    /** Consecutive rows with the same group key, summed, in row order. */
    private static Map<String, Long> byHand(List<TypedRow<JsonNode, Long>> rows, int level) {
        Map<String, Long> out = new LinkedHashMap<>();
        Map<ByteBuffer, String> shown = new HashMap<>();
        for (TypedRow<JsonNode, Long> row : rows) {
            JsonNode group = ViewReader.truncate(row.key(), level);
            String key = shown.computeIfAbsent(ByteBuffer.wrap(KeyEncoding.encode(group)), k -> Json.text(group));
            out.merge(key, row.value(), Long::sum);
        }
        return out;
    }

    private static Map<String, Long> asMap(List<GroupedReduction<JsonNode, Long>> groups) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (GroupedReduction<JsonNode, Long> group : groups) {
            out.put(Json.text(group.key()), group.value());
        }
        assertEquals(groups.size(), out.size(), "one answer per group");
        return out;
    }
}
