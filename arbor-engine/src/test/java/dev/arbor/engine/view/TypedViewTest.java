package dev.arbor.engine.view;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.key.Key;
import dev.arbor.api.key.Keys;
import dev.arbor.api.view.typed.AccessPolicy;
import dev.arbor.api.view.typed.Emitter;
import dev.arbor.api.view.typed.GroupedReduction;
import dev.arbor.api.view.typed.MappedDocument;
import dev.arbor.api.view.typed.MappedValue;
import dev.arbor.api.view.typed.TypedQuery;
import dev.arbor.api.view.typed.TypedRow;
import dev.arbor.api.view.typed.TypedView;
import dev.arbor.api.view.typed.ViewHandle;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import dev.arbor.engine.db.EngineDatabase;
import dev.arbor.engine.kv.MemoryKvStore;
import dev.arbor.engine.storage.EngineSpaces;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Typed views read as BonsaiDb's book does: a blog's posts counted by category, sales by {@code [year, month]}
 * grouped by year, events over {@code Instant} keys read backwards; then versions, access policies and errors.
 */
class TypedViewTest {
    private final EngineDatabase db = new EngineDatabase("typed", new MemoryKvStore(EngineSpaces.ALL), false, () -> {});

    @AfterEach
    void close() {
        db.close();
    }

    /** Counts blog posts per category: emits (category, 1) and sums. */
    record PostsByCategory(long version) implements TypedView<String, Long> {
        PostsByCategory() {
            this(0);
        }

        @Override public String name() { return "posts-by-category"; }
        @Override public Key<String> keyType() { return Keys.STRING; }
        @Override public Class<Long> valueType() { return Long.class; }

        @Override
        public void map(MappedDocument doc, Emitter<String, Long> emit) {
            if (doc.body().has("category")) {
                emit.emit(doc.body().get("category").asText(), 1L);
            }
        }

        @Override
        public Long reduce(List<MappedValue<String, Long>> mappings, boolean rereduce) {
            return mappings.stream().mapToLong(MappedValue::value).sum();
        }
    }

    record YearMonth(int year, int month) {}

    /** Sales amounts keyed by [year, month]. */
    record SalesByMonth() implements TypedView<YearMonth, Double> {
        @Override public String name() { return "sales-by-month"; }
        @Override public Key<YearMonth> keyType() { return Keys.record(YearMonth.class); }
        @Override public Class<Double> valueType() { return Double.class; }

        @Override
        public void map(MappedDocument doc, Emitter<YearMonth, Double> emit) {
            // Members read on demand: the same values as the whole body's.
            emit.emit(new YearMonth(doc.get("year").asInt(), doc.get("month").asInt()), doc.get("amount").asDouble());
        }

        @Override
        public Double reduce(List<MappedValue<YearMonth, Double>> mappings, boolean rereduce) {
            return mappings.stream().mapToDouble(MappedValue::value).sum();
        }
    }

    /** Events by time, map-only. */
    record EventsByTime() implements TypedView<Instant, String> {
        @Override public String name() { return "events-by-time"; }
        @Override public Key<Instant> keyType() { return Keys.INSTANT; }
        @Override public Class<String> valueType() { return String.class; }

        @Override
        public void map(MappedDocument doc, Emitter<Instant, String> emit) {
            emit.emit(Instant.parse(doc.body().get("at").asText()), doc.body().get("what").asText());
        }
    }

    /** Reads each row's key in its reduce: a row reduces to its month, so a key's reduction is rows × month. */
    record MonthWeighted() implements TypedView<YearMonth, Long> {
        @Override public String name() { return "month-weighted"; }
        @Override public Key<YearMonth> keyType() { return Keys.record(YearMonth.class); }
        @Override public Class<Long> valueType() { return Long.class; }

        @Override
        public void map(MappedDocument doc, Emitter<YearMonth, Long> emit) {
            emit.emit(new YearMonth(2024, doc.body().get("month").asInt()), 1L);
        }

        @Override
        public Long reduce(List<MappedValue<YearMonth, Long>> mappings, boolean rereduce) {
            long total = 0;
            for (MappedValue<YearMonth, Long> mapping : mappings) {
                total += rereduce ? mapping.value() : mapping.key().month();
            }
            return total;
        }
    }

    private void post(String id, String category) {
        db.put(Json.parseObject("{\"_id\":\"" + id + "\",\"category\":\"" + category + "\",\"title\":\"" + id + "\"}"));
    }

    @Test
    void blogPostsAreCountedPerCategoryByTheReduce() {
        post("p1", "rust");
        post("p2", "java");
        post("p3", "rust");
        post("p4", "databases");
        ViewHandle<String, Long> byCategory = db.view(new PostsByCategory());

        assertEquals(4L, byCategory.reduce(TypedQuery.all()));
        assertEquals(2L, byCategory.reduce(TypedQuery.key("rust")));
        assertNull(byCategory.reduce(TypedQuery.key("cooking")));
        assertEquals(List.of(new GroupedReduction<>("databases", 1L), new GroupedReduction<>("java", 1L),
                new GroupedReduction<>("rust", 2L)), byCategory.reduceGrouped(TypedQuery.all()));
        assertEquals(List.of(new TypedRow<>("rust", 1L, "p1"), new TypedRow<>("rust", 1L, "p3")),
                byCategory.query(TypedQuery.key("rust")));

        var withDocs = byCategory.queryWithDocs(TypedQuery.key("java"));
        assertEquals(1, withDocs.size());
        assertEquals("p2", withDocs.get(0).document().get("title").asText());
        assertTrue(withDocs.get(0).document().get("_rev").asText().startsWith("1-"));

        post("p5", "java");
        assertEquals(2L, byCategory.reduce(TypedQuery.key("java")), "a lazy view catches up before answering");
    }

    @Test
    void reducesReadTheEmittedKeysAcrossBuildBatchesAndAfterUpdates() {
        // More documents than one build batch holds, so every key gains rows in several batches.
        int docs = ViewPass.BATCH_DOCUMENTS * 2 + 500;
        List<ObjectNode> bodies = new java.util.ArrayList<>();
        for (int i = 0; i < docs; i++) {
            bodies.add(Json.parseObject("{\"_id\":\"m" + i + "\",\"month\":" + (i % 12 + 1) + "}"));
        }
        db.bulkDocs(bodies);
        ViewHandle<YearMonth, Long> weighted = db.view(new MonthWeighted());
        long[] rows = new long[13];
        for (int i = 0; i < docs; i++) {
            rows[i % 12 + 1]++;
        }
        assertEquals(rows[7] * 7, weighted.reduce(TypedQuery.key(new YearMonth(2024, 7))));
        assertEquals(rows[12] * 12, weighted.reduce(TypedQuery.key(new YearMonth(2024, 12))));

        // m6 moves from July to March: July loses a row (re-reduced from stored rows), March gains one.
        ObjectNode moved = (ObjectNode) db.get("m6");
        moved.put("month", 3);
        db.put(moved);
        assertEquals((rows[7] - 1) * 7, weighted.reduce(TypedQuery.key(new YearMonth(2024, 7))));
        assertEquals((rows[3] + 1) * 3, weighted.reduce(TypedQuery.key(new YearMonth(2024, 3))));
        long total = 0;
        for (int month = 1; month <= 12; month++) {
            total += rows[month] * month;
        }
        assertEquals(total - 7 + 3, weighted.reduce(TypedQuery.all()));
    }

    @Test
    void deleteDocsRemovesEveryDocumentWithASelectedRow() {
        post("p1", "rust");
        post("p2", "spam");
        post("p3", "spam");
        ViewHandle<String, Long> byCategory = db.view(new PostsByCategory());

        assertEquals(2, byCategory.deleteDocs(TypedQuery.key("spam")));

        assertEquals(List.of(new GroupedReduction<>("rust", 1L)), byCategory.reduceGrouped(TypedQuery.all()));
        assertThrows(ArborException.NotFound.class, () -> db.get("p2"));
    }

    @Test
    void aYearMonthRecordKeyReducesPerYearAtGroupLevelOne() {
        String[][] sales = {{"2023", "11", "10"}, {"2023", "12", "5.5"}, {"2024", "1", "7"}, {"2024", "1", "3"},
                {"2024", "2", "1"}};
        for (int i = 0; i < sales.length; i++) {
            db.put(Json.parseObject("{\"_id\":\"s" + i + "\",\"year\":" + sales[i][0] + ",\"month\":" + sales[i][1]
                    + ",\"amount\":" + sales[i][2] + "}"));
        }
        ViewHandle<YearMonth, Double> byMonth = db.view(new SalesByMonth());

        assertEquals(List.of(new GroupedReduction<>(List.of(2023), 15.5), new GroupedReduction<>(List.of(2024), 11.0)),
                byMonth.reduceGrouped(TypedQuery.all(), 1, Keys.list(Keys.INTEGER)));
        assertEquals(List.of(new GroupedReduction<>(new YearMonth(2024, 1), 10.0),
                        new GroupedReduction<>(new YearMonth(2024, 2), 1.0)),
                byMonth.reduceGrouped(TypedQuery.range(new YearMonth(2024, 1), new YearMonth(2024, 12))));
        assertEquals(26.5, byMonth.reduce(TypedQuery.all()));
    }

    @Test
    void descendingRangesOverInstantKeysRunFromTheHighBoundDown() {
        Instant base = Instant.parse("2024-05-01T00:00:00Z");
        for (int hour = 0; hour < 6; hour++) {
            db.put(Json.parseObject("{\"_id\":\"e" + hour + "\",\"at\":\"" + base.plusSeconds(3600L * hour)
                    + "\",\"what\":\"tick " + hour + "\"}"));
        }
        ViewHandle<Instant, String> events = db.view(new EventsByTime());
        TypedQuery<Instant> hoursOneToFour = TypedQuery.range(base.plusSeconds(3600), base.plusSeconds(4 * 3600));

        assertEquals(List.of("e4", "e3", "e2", "e1"), ids(events.query(hoursOneToFour.descending())));
        assertEquals(List.of("e3", "e2", "e1"), ids(events.query(hoursOneToFour.exclusiveEnd().descending())));
        assertEquals(List.of("e1", "e2", "e3"), ids(events.query(hoursOneToFour.exclusiveEnd())));
        assertEquals(List.of("e3", "e2"), ids(events.query(hoursOneToFour.descending().skip(1).limit(2))));
        assertEquals(List.of("e5", "e4"), ids(events.query(TypedQuery.<Instant>range(base.plusSeconds(4 * 3600), null)
                .descending())));
        assertEquals(base.plusSeconds(7200), events.query(TypedQuery.key(base.plusSeconds(7200))).get(0).key());
    }

    @Test
    void aMapOnlyViewRefusesReduceQueries() {
        ViewHandle<Instant, String> events = db.view(new EventsByTime());

        ArborException.BadRequest refused = assertThrows(ArborException.BadRequest.class,
                () -> events.reduce(TypedQuery.all()));
        assertEquals("query_parse_error", refused.error());
    }

    /** Indexes one field; which field is part of the code, so a change of it comes with a new version. */
    record ByField(String field, long version) implements TypedView<String, String> {
        @Override public String name() { return "by-field"; }
        @Override public Key<String> keyType() { return Keys.STRING; }
        @Override public Class<String> valueType() { return String.class; }

        @Override
        public void map(MappedDocument doc, Emitter<String, String> emit) {
            emit.emit(doc.body().path(field).asText());
        }
    }

    @Test
    void aNewVersionReindexesWithTheNewMap() {
        post("p1", "rust");
        assertEquals(List.of("rust"), keys(db.view(new ByField("category", 1)).query(TypedQuery.all())));

        assertEquals(List.of("p1"), keys(db.view(new ByField("title", 2)).query(TypedQuery.all())));
        assertEquals(List.of("rust"), keys(db.view(new ByField("category", 1)).query(TypedQuery.all())),
                "the old version's index is still there until cleaned up");
    }

    private static List<String> keys(List<TypedRow<String, String>> rows) {
        return rows.stream().map(TypedRow::key).toList();
    }

    @Test
    void accessPoliciesDecideWhetherAQueryWaitsForTheIndex() {
        ViewHandle<String, Long> byCategory = db.view(new PostsByCategory());
        assertEquals(List.of(), byCategory.query(TypedQuery.all()));
        post("p1", "rust");

        assertEquals(List.of(), byCategory.query(TypedQuery.<String>all().access(AccessPolicy.NO_UPDATE)));
        assertEquals(1, byCategory.query(TypedQuery.<String>all().access(AccessPolicy.UPDATE_BEFORE)).size());
    }

    private static List<String> ids(List<? extends TypedRow<?, ?>> rows) {
        return rows.stream().map(TypedRow::docId).toList();
    }
}
