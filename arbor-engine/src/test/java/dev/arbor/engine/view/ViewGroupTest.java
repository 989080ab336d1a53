package dev.arbor.engine.view;

import dev.arbor.api.key.Key;
import dev.arbor.api.key.Keys;
import dev.arbor.api.view.typed.Emitter;
import dev.arbor.api.view.typed.MappedDocument;
import dev.arbor.api.view.typed.MappedValue;
import dev.arbor.api.view.typed.TypedQuery;
import dev.arbor.api.view.typed.TypedView;
import dev.arbor.api.view.typed.ViewUpdatePolicy;
import dev.arbor.core.json.Json;
import dev.arbor.engine.db.EngineDatabase;
import dev.arbor.engine.kv.MemoryKvStore;
import dev.arbor.engine.storage.EngineSpaces;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Typed views registered together share their index passes (each document read once for all of them) while each
 * keeps its own index and version: a query of one brings its group up to date, and a new version of one view
 * re-maps the documents for that view only.
 */
class ViewGroupTest {
    private final EngineDatabase db = new EngineDatabase("groups", new MemoryKvStore(EngineSpaces.ALL), false, () -> {});
    /** How many documents each view (by name and version) has mapped. */
    private static final Map<String, AtomicInteger> MAPPED = new ConcurrentHashMap<>();

    @AfterEach
    void close() {
        db.close();
    }

    /** Counts documents per city, or sums their ages; records every document it maps. */
    record ByCity(String name, long version, boolean summingAges, ViewUpdatePolicy updatePolicy)
            implements TypedView<String, Long> {
        ByCity(String name, long version, boolean summingAges) {
            this(name, version, summingAges, ViewUpdatePolicy.LAZY);
        }

        @Override public Key<String> keyType() { return Keys.STRING; }
        @Override public Class<Long> valueType() { return Long.class; }

        @Override
        public void map(MappedDocument doc, Emitter<String, Long> emit) {
            MAPPED.computeIfAbsent(name + "@" + version, k -> new AtomicInteger()).incrementAndGet();
            emit.emit(doc.body().get("city").asText(), summingAges ? doc.body().get("age").asLong() : 1L);
        }

        @Override
        public Long reduce(List<MappedValue<String, Long>> mappings, boolean rereduce) {
            return mappings.stream().mapToLong(MappedValue::value).sum();
        }
    }

    private static int mapped(String name, long version) {
        return MAPPED.getOrDefault(name + "@" + version, new AtomicInteger()).get();
    }

    private void people(int from, int to) {
        for (int i = from; i < to; i++) {
            db.put(Json.parseObject("{\"_id\":\"p" + i + "\",\"city\":\"" + (i % 2 == 0 ? "Oslo" : "Rome")
                    + "\",\"age\":" + i + "}"));
        }
    }

    @Test
    void aQueryOfOneViewOfAGroupBuildsTheOthersInTheSamePass() {
        MAPPED.clear();
        people(0, 10);
        ByCity count = new ByCity("g1-count", 0, false);
        ByCity ages = new ByCity("g1-ages", 0, true);
        db.views(List.of(count, ages));

        assertEquals(5L, db.view(count).reduce(TypedQuery.key("Oslo")));
        assertEquals(10, mapped("g1-ages", 0), "the sibling was mapped in the same pass");
        assertEquals(1L + 3 + 5 + 7 + 9, db.view(ages).reduce(TypedQuery.key("Rome")));
        assertEquals(10, mapped("g1-ages", 0), "and its query found nothing left to do");

        people(10, 14);
        db.remove("p0", db.get("p0").path("_rev").asText());
        assertEquals(2L + 4 + 6 + 8 + 10 + 12, db.view(ages).reduce(TypedQuery.key("Oslo")));
        assertEquals(7L, db.view(count).reduce(TypedQuery.key("Rome")));
        assertEquals(14, mapped("g1-count", 0), "only the four new documents were mapped again");
        assertEquals(14, mapped("g1-ages", 0));
    }

    @Test
    void aNewVersionOfOneViewRebuildsThatViewOnly() {
        MAPPED.clear();
        people(0, 10);
        ByCity count = new ByCity("g2-count", 0, false);
        ByCity ages = new ByCity("g2-ages", 0, true);
        db.views(List.of(count, ages));
        db.view(count).reduceGrouped(TypedQuery.all());

        people(10, 12);
        ByCity countAgain = new ByCity("g2-count", 1, false);
        db.views(List.of(countAgain, ages));
        List<Long> perCity = db.view(countAgain).reduceGrouped(TypedQuery.all()).stream()
                .map(group -> group.value()).toList();

        assertEquals(List.of(6L, 6L), perCity);
        assertEquals(12, mapped("g2-count", 1), "the new version mapped every document");
        assertEquals(12, mapped("g2-ages", 0), "the unchanged view only caught up, in the same pass");
        assertEquals(10, mapped("g2-count", 0), "the old version is not kept up to date");
        assertEquals(2L + 4 + 6 + 8 + 10, db.view(ages).reduce(TypedQuery.key("Oslo")));
    }

    @Test
    void eagerViewsRegisteredTogetherStayCurrentWithEveryWrite() {
        MAPPED.clear();
        people(0, 6);
        ByCity count = new ByCity("g3-count", 0, false, ViewUpdatePolicy.EAGER);
        ByCity ages = new ByCity("g3-ages", 0, true, ViewUpdatePolicy.EAGER);
        db.views(List.of(count, ages));
        assertEquals(6, mapped("g3-count", 0), "registration built both");

        people(6, 8);
        assertEquals(4L, db.view(count).reduce(TypedQuery.key("Oslo")));
        assertEquals(1L + 3 + 5 + 7, db.view(ages).reduce(TypedQuery.key("Rome")));
    }
}
