package dev.arbor.js;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.core.collate.Collation;
import dev.arbor.core.json.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Arbor's map/reduce against PouchDB 9's for the same JavaScript over the same seeded random documents:
 * the same rows in the same order (reduce=false), the same per-key reductions (group=true) and the same
 * total. Arbor's side sorts rows by CouchDB collation of {@code [key, docid]} as a view index does, and
 * checks that reducing chunks and rereducing them gives the total too.
 *
 * <p>The documents stay where PouchDB and CouchDB agree: strings from {@code [a-z0-9]} (pouchdb-collate
 * orders strings by code unit, CouchDB by ICU), integral numbers (so sums do not depend on the order of
 * additions), and no document emits one key twice (PouchDB then orders by value, CouchDB by emit order).
 * Negative numbers stay out of keys (values have them): PouchDB decodes them from its index strings inexactly
 * ({@code ["post", -36]} comes back as {@code ["post", -35.99999999999999]}); CouchDB returns them as emitted.
 */
class PouchMapReduceCrossCheckTest {
    private static final long SEED = 20240918L;
    private static final int DOCS = 300;
    private static final List<String[]> VIEWS = List.of(
            new String[] {"function(doc) { emit(doc.s, doc.n); }", "_sum"},
            new String[] {"function(doc) { if (doc.arr) { emit([doc.type, Math.abs(doc.n)], doc.arr); } }", "_sum"},
            new String[] {"function(doc) { emit(doc.type, null); emit(doc.b, 1); }", "_count"},
            new String[] {"function(doc) { emit(doc.n + 50, doc.n); }", "_stats"},
            new String[] {"function(doc) { (doc.tags || []).forEach(function(tag) { emit(tag, {id: doc._id, n: doc.n}); }); }", null},
            new String[] {"function(doc) { emit(doc.o, doc.missing); }", null},
            new String[] {"function(doc) { if (doc.n % 3 === 0) { throw new Error('skip'); } emit([doc.b, doc.s, Math.abs(doc.n) % 5], doc.type); }",
                    "function(keys, values, rereduce) { if (rereduce) { var t = 0; for (var i = 0; i < values.length; i++) { t += values[i]; } return t; } return values.length; }"},
            new String[] {"function(doc) { if (doc.o && doc.o.x !== undefined) { emit([doc.o.x, [doc.o.y]], [doc.n, -doc.n]); } }",
                    "function(keys, values, rereduce) { var lo = null; values.forEach(function(v) { var x = rereduce ? v : v[0]; if (lo === null || x < lo) { lo = x; } }); return lo; }"},
            new String[] {"function(doc) { emit(null, doc.n > 0); emit(doc._id, [doc.n, doc.s, doc.b, null, {nested: doc.tags}]); }", null});

    private static PouchMapReduce pouch;

    @BeforeAll
    static void installPouchDb() {
        pouch = PouchMapReduce.install();
    }

    @Test
    void rowsGroupedReductionsAndTotalsMatchPouchDb(@TempDir Path work) {
        List<ObjectNode> docs = documents(new Random(SEED));
        ObjectNode input = Json.object();
        ArrayNode docsJson = input.putArray("docs");
        docs.forEach(docsJson::add);
        ArrayNode viewsJson = input.putArray("views");
        ObjectNode ddoc = Json.object();
        ddoc.put("_id", "_design/crosscheck");
        ObjectNode views = ddoc.putObject("views");
        for (int i = 0; i < VIEWS.size(); i++) {
            ObjectNode view = viewsJson.addObject().put("map", VIEWS.get(i)[0]);
            ObjectNode arborView = views.putObject("v" + i).put("map", VIEWS.get(i)[0]);
            if (VIEWS.get(i)[1] != null) {
                view.put("reduce", VIEWS.get(i)[1]);
                arborView.put("reduce", VIEWS.get(i)[1]);
            }
        }
        JsonNode expected = pouch.run(input, work);
        DesignDocFunctions functions = DesignDocFunctions.compile(ddoc, JsOptions.defaults().withLog(line -> { }));

        for (int i = 0; i < VIEWS.size(); i++) {
            JsonNode pouchView = expected.get(i);
            assertFalse(pouchView.has("error"), "PouchDB failed on view " + i + ": " + pouchView);
            ViewFunctions view = functions.views().get("v" + i);
            List<MapRow> rows = mapAll(view.map(), docs);
            ArrayNode arborRows = Json.MAPPER.createArrayNode();
            rows.forEach(row -> arborRows.addArray().add(row.key()).add(row.docId()).add(row.value()));
            assertSameRows(pouchView.get("rows"), arborRows, "rows of view " + i + " (" + VIEWS.get(i)[0] + ")");
            assertTrue(rows.size() > 10, "view " + i + " emits too little to test anything");
            if (view.reduce().isPresent()) {
                ReduceFunction reduce = view.reduce().get();
                assertSameRows(pouchView.get("grouped"), grouped(reduce, rows), "group=true of view " + i);
                assertEquals(pouchView.get("total"), reduce.finish(reduce.reduce(rows)), "total of view " + i);
                assertEquals(pouchView.get("total"), reduce.finish(rereduceInChunks(reduce, rows)), "rereduced total of view " + i);
            }
        }
    }

    /** Equal arrays, or a failure naming the first row that differs (the arrays are long). */
    private static void assertSameRows(JsonNode expected, JsonNode actual, String what) {
        for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
            assertEquals(expected.get(i), actual.get(i), what + ", row " + i);
        }
        assertEquals(expected.size(), actual.size(), what + ": number of rows");
    }

    /** Every doc's emits, sorted as a view index sorts them: by key, then doc id, in CouchDB collation. */
    private static List<MapRow> mapAll(MapFunction map, List<ObjectNode> docs) {
        List<MapRow> rows = new ArrayList<>();
        for (ObjectNode doc : docs) {
            String id = doc.get("_id").textValue();
            for (Emit emit : map.map(Json.MAPPER.valueToTree(doc).toString())) {
                rows.add(new MapRow(emit.key(), id, emit.value()));
            }
        }
        Comparator<MapRow> byKey = (a, b) -> Collation.INSTANCE.compare(a.key(), b.key());
        rows.sort(byKey.thenComparing((a, b) -> Collation.compareStrings(a.docId(), b.docId())));
        return rows;
    }

    private static ArrayNode grouped(ReduceFunction reduce, List<MapRow> rows) {
        ArrayNode result = Json.MAPPER.createArrayNode();
        int start = 0;
        while (start < rows.size()) {
            int end = start + 1;
            while (end < rows.size() && Collation.INSTANCE.compare(rows.get(start).key(), rows.get(end).key()) == 0) {
                end++;
            }
            result.addArray().add(rows.get(start).key()).add(reduce.finish(reduce.reduce(rows.subList(start, end))));
            start = end;
        }
        return result;
    }

    private static JsonNode rereduceInChunks(ReduceFunction reduce, List<MapRow> rows) {
        List<JsonNode> reductions = new ArrayList<>();
        for (int from = 0; from < rows.size(); from += 37) {
            reductions.add(reduce.reduce(rows.subList(from, Math.min(rows.size(), from + 37))));
        }
        return reduce.rereduce(reductions);
    }

    private static List<ObjectNode> documents(Random random) {
        List<String> strings = List.of("", "a", "ab", "abc", "b", "ba", "c", "a1", "0", "10", "9", "z");
        List<String> types = List.of("post", "comment", "user");
        List<ObjectNode> docs = new ArrayList<>();
        for (int i = 0; i < DOCS; i++) {
            ObjectNode doc = Json.object();
            doc.put("_id", "doc" + String.format("%04d", random.nextInt(10_000)) + "-" + i);
            doc.put("type", types.get(random.nextInt(types.size())));
            doc.put("n", random.nextInt(101) - 50);
            doc.put("s", strings.get(random.nextInt(strings.size())));
            doc.put("b", random.nextBoolean());
            if (random.nextInt(3) > 0) {
                ArrayNode arr = doc.putArray("arr");
                int length = random.nextInt(4);
                for (int k = 0; k < length; k++) {
                    arr.add(random.nextInt(21) - 10);
                }
            }
            if (random.nextBoolean()) {
                ObjectNode o = doc.putObject("o");
                if (random.nextBoolean()) {
                    o.put("x", random.nextInt(5));
                }
                o.put("y", strings.get(random.nextInt(strings.size())));
            }
            Set<String> tags = new LinkedHashSet<>();
            int tagCount = random.nextInt(4);
            for (int k = 0; k < tagCount; k++) {
                tags.add(strings.get(random.nextInt(strings.size())));
            }
            ArrayNode tagArray = doc.putArray("tags");
            tags.forEach(tagArray::add);
            docs.add(doc);
        }
        return docs;
    }
}
