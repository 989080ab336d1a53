package dev.arbor.engine.mango;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.Arbor;
import dev.arbor.api.Database;
import dev.arbor.api.Storage;
import dev.arbor.api.find.Explain;
import dev.arbor.api.find.FindRequest;
import dev.arbor.api.find.FindResult;
import dev.arbor.api.find.IndexDefinition;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import dev.arbor.core.mango.Selector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Array-element indexes ({@code "tags.[]"}): one row per distinct element, used for {@code $elemMatch},
 * {@code $all}, {@code $allMatch}, {@code $eq} and {@code $in}, with each matching document returned once,
 * in order, across bookmark pages; and always the same matching set as the matcher alone.
 */
class ArrayElementIndexTest {
    @TempDir
    Path dir;

    private Storage storage;
    private Database db;
    /** What the database holds, to judge every answer by the matcher alone. */
    private final Map<String, ObjectNode> model = new LinkedHashMap<>();

    @BeforeEach
    void open() {
        storage = Arbor.storage(dir);
        db = storage.createDatabase("db");
    }

    @AfterEach
    void close() {
        storage.close();
    }

    private static JsonNode json(String singleQuoted) {
        return Json.parse(singleQuoted.replace('\'', '"'));
    }

    private void put(String id, String body) {
        ObjectNode doc = (ObjectNode) json(body);
        doc.put("_id", id);
        ObjectNode previous = model.get(id);
        if (previous != null) {
            doc.put("_rev", db.get(id).get("_rev").asText());
        }
        db.put(doc);
        doc.remove("_rev");
        model.put(id, doc);
    }

    private Set<String> bruteForce(String selector) {
        Selector parsed = Selector.parse(json(selector));
        Set<String> ids = new TreeSet<>();
        model.forEach((id, doc) -> {
            if (parsed.matches(doc)) ids.add(id);
        });
        return ids;
    }

    private static List<String> ids(FindResult result) {
        return result.docs().stream().map(d -> d.get("_id").asText()).toList();
    }

    private FindResult find(String selector) {
        return db.find(FindRequest.of(json(selector)).limit(1000).executionStats(true));
    }

    private Explain explain(String selector) {
        return db.explain(FindRequest.of(json(selector)));
    }

    private void tagged() {
        db.createIndex(IndexDefinition.of("tags.[]").ddoc("t").name("tags"));
        put("a", "{'tags':['red','blue']}");
        put("b", "{'tags':['blue','blue','green']}");
        put("c", "{'tags':[]}");
        put("d", "{'tags':'red'}");
        put("e", "{'tags':[['red'],'pink']}");
        put("f", "{'other':1}");
        put("g", "{'tags':['red','green','blue']}");
    }

    @Test
    void elemMatchEqualityReadsOnlyTheRowsOfThatElement() {
        tagged();
        String selector = "{'tags':{'$elemMatch':{'$eq':'red'}}}";
        Explain explain = explain(selector);
        assertEquals(Explain.Strategy.INDEX_SCAN, explain.strategy());
        assertEquals("array", explain.index().type());
        assertEquals("tags", explain.index().name());
        FindResult result = find(selector);
        assertEquals(List.of("a", "g"), ids(result), "the scalar 'red' and the nested ['red'] are no elements equal to 'red'");
        assertEquals(3, result.executionStats().totalKeysExamined(), "rows of 'red': a, d (its scalar) and g");
    }

    @Test
    void aDocumentMatchingThroughSeveralElementsIsReturnedOnce() {
        tagged();
        FindResult result = find("{'tags':{'$elemMatch':{'$gte':'blue','$lte':'red'}}}");
        assertEquals(bruteForce("{'tags':{'$elemMatch':{'$gte':'blue','$lte':'red'}}}"), new TreeSet<>(ids(result)));
        assertEquals(new HashSet<>(ids(result)).size(), ids(result).size(), "no duplicates: " + ids(result));
    }

    @Test
    void bookmarkPagesVisitEachMatchOnceEvenWhenItHasRowsOnBothSidesOfAPageBreak() {
        db.createIndex(IndexDefinition.of("n.[]").ddoc("t").name("n"));
        for (int i = 0; i < 12; i++) {
            put("d" + i, "{'n':[" + i + "," + (20 - i) + "," + i + "]}");
        }
        String selector = "{'n':{'$elemMatch':{'$gte':0,'$lte':30}}}";
        List<String> seen = new ArrayList<>();
        String bookmark = null;
        for (int page = 0; page < 20; page++) {
            FindResult result = db.find(FindRequest.of(json(selector)).limit(5).bookmark(bookmark));
            seen.addAll(ids(result));
            if (result.docs().isEmpty()) break;
            bookmark = result.bookmark();
        }
        assertEquals(12, seen.size(), "every document once: " + seen);
        assertEquals(bruteForce(selector), new TreeSet<>(seen));
    }

    @Test
    void allReadsTheRowsOfOneValueAndTheMatcherChecksTheOthers() {
        tagged();
        String selector = "{'tags':{'$all':['green','blue']}}";
        assertEquals("array", explain(selector).index().type());
        FindResult result = find(selector);
        assertEquals(List.of("b", "g"), ids(result));
        assertEquals(2, result.executionStats().totalKeysExamined(), "only the rows of 'green'");
    }

    @Test
    void allWithOneArrayArgumentAlsoMatchesTheWholeArraySoItScans() {
        tagged();
        String selector = "{'tags':{'$all':[['red']]}}";
        assertEquals(Explain.Strategy.FULL_SCAN, explain(selector).strategy());
        assertEquals(bruteForce(selector), new TreeSet<>(ids(find(selector))));
    }

    @Test
    void allMatchUsesTheElementRangeAndNeverMatchesAnEmptyArray() {
        tagged();
        String selector = "{'tags':{'$allMatch':{'$gte':'blue','$lt':'h'}}}";
        assertEquals("array", explain(selector).index().type());
        assertEquals(List.of("b"), ids(find(selector)));
    }

    @Test
    void equalityAndInFindScalarsWholeAndArraysByElement() {
        tagged();
        assertEquals(List.of("d"), ids(find("{'tags':'red'}")), "$eq compares an array whole: only the scalar");
        String in = "{'tags':{'$in':['red','pink']}}";
        assertEquals(Explain.Strategy.INDEX_UNION, explain(in).strategy());
        assertEquals(bruteForce(in), new TreeSet<>(ids(find(in))));
        assertEquals(Set.of("a", "d", "e", "g"), bruteForce(in));
    }

    @Test
    void nestedArraysAreElementsThemselves() {
        tagged();
        String selector = "{'tags':{'$elemMatch':{'$eq':['red']}}}";
        assertEquals("array", explain(selector).index().type());
        assertEquals(List.of("e"), ids(find(selector)));
    }

    @Test
    void aMemberOfEachElementCanBeIndexed() {
        db.createIndex(IndexDefinition.of("items.[].sku").ddoc("t").name("sku"));
        put("o1", "{'items':[{'sku':'A','n':1},{'sku':'B','n':2}]}");
        put("o2", "{'items':[{'sku':'B','n':5}]}");
        put("o3", "{'items':[{'n':1}]}");
        put("o4", "{'items':{'sku':'B'}}");
        String selector = "{'items':{'$elemMatch':{'sku':'B','n':{'$gt':3}}}}";
        assertEquals("array", explain(selector).index().type());
        FindResult result = find(selector);
        assertEquals(List.of("o2"), ids(result));
        assertEquals(2, result.executionStats().totalKeysExamined(), "the rows of sku B: o1 and o2");
    }

    @Test
    void aSortOnlyAnArrayIndexWithoutItsElementConditionCouldGiveIsRefusedUntilAPlainIndexGivesIt() {
        db.createIndex(IndexDefinition.of("rank", "tags.[]").ddoc("t").name("rt"));
        for (int i = 0; i < 10; i++) {
            put("r" + i, "{'rank':" + (9 - i) + ",'tags':['x','y','" + (i % 2 == 0 ? "even" : "odd") + "']}");
        }
        FindRequest request = FindRequest.of(json("{'rank':{'$gte':0},'tags':{'$elemMatch':{'$in':['x','y']}}}"))
                .sort(json("['rank']"));
        // $in inside $elemMatch is no element condition the array index can use: no index gives the sort, which
        // CouchDB refuses.
        assertEquals("no_usable_index", assertThrows(ArborException.BadRequest.class, () -> db.find(request)).error());
        db.createIndex(IndexDefinition.of("rank").ddoc("r").name("rank"));
        List<String> seen = new ArrayList<>();
        String bookmark = null;
        for (int page = 0; page < 10; page++) {
            FindResult result = db.find(request.limit(3).bookmark(bookmark));
            seen.addAll(ids(result));
            if (result.docs().isEmpty()) break;
            bookmark = result.bookmark();
        }
        assertEquals(List.of("r9", "r8", "r7", "r6", "r5", "r4", "r3", "r2", "r1", "r0"), seen);
    }

    @Test
    void anInOnAPlainIndexStillFindsArraysHoldingTheValue() {
        db.createIndex(IndexDefinition.of("tags").ddoc("t").name("whole"));
        put("a", "{'tags':['red','blue']}");
        put("d", "{'tags':'red'}");
        put("x", "{'tags':'green'}");
        String in = "{'tags':{'$in':['red','pink']}}";
        assertEquals(Explain.Strategy.INDEX_UNION, explain(in).strategy());
        assertEquals(List.of("a", "d"), ids(find(in)));
    }

    @Test
    void anIndexWithTwoArrayFieldsOrAMarkerFirstIsRefused() {
        var twoArrays = assertThrows(ArborException.BadRequest.class,
                () -> db.createIndex(IndexDefinition.of("a.[]", "b.[]")));
        assertEquals("invalid_index_fields", twoArrays.error());
        assertThrows(ArborException.BadRequest.class, () -> db.createIndex(IndexDefinition.of("[]")));
    }

    @Test
    void anEscapedMarkerNamesAMemberAndMakesAPlainIndex() {
        db.createIndex(IndexDefinition.of("tags.\\[]").ddoc("t").name("literal"));
        assertEquals("json", db.indexes().get(1).type());
    }

    /** Random documents and selectors: the index never changes the matching set, through edits that drop elements. */
    @Test
    void indexedAnswersEqualTheMatcherAloneOnRandomDocumentsAndSelectors() {
        db.createIndex(IndexDefinition.of("t.[]").ddoc("t").name("t"));
        db.createIndex(IndexDefinition.of("k", "t.[]").ddoc("t").name("kt"));
        Random random = new Random(11);
        int indexed = 0;
        for (int round = 0; round < 25; round++) {
            for (int w = 0; w < 20; w++) {
                put("d" + random.nextInt(40), randomDoc(random));
            }
            for (int q = 0; q < 12; q++) {
                String selector = randomSelector(random);
                FindResult result = find(selector);
                List<String> got = ids(result);
                assertEquals(bruteForce(selector), new TreeSet<>(got), "round " + round + ": " + selector);
                assertEquals(new HashSet<>(got).size(), got.size(), "duplicates for " + selector);
                Explain explain = explain(selector);
                if (explain.scans().stream().anyMatch(scan -> scan.index().type().equals("array"))) {
                    indexed++;
                }
            }
        }
        assertTrue(indexed > 100, "most selectors read an array-element index, not a full scan: " + indexed);
    }

    private static String randomValue(Random random) {
        return switch (random.nextInt(6)) {
            case 0 -> "'s" + random.nextInt(4) + "'";
            case 1 -> "[" + random.nextInt(4) + "]";
            case 2 -> "null";
            default -> String.valueOf(random.nextInt(6));
        };
    }

    private static String randomDoc(Random random) {
        StringBuilder doc = new StringBuilder("{'k':" + random.nextInt(3));
        switch (random.nextInt(6)) {
            case 0 -> { } // no t
            case 1 -> doc.append(",'t':").append(randomValue(random)); // not an array
            default -> {
                doc.append(",'t':[");
                int n = random.nextInt(5);
                for (int i = 0; i < n; i++) {
                    doc.append(i == 0 ? "" : ",").append(randomValue(random));
                }
                doc.append("]");
            }
        }
        return doc.append("}").toString();
    }

    private static String randomSelector(Random random) {
        String v = randomValue(random);
        String w = randomValue(random);
        String element = switch (random.nextInt(9)) {
            case 0 -> "{'$elemMatch':{'$eq':" + v + "}}";
            case 1 -> "{'$elemMatch':{'$gt':" + v + ",'$lte':" + w + "}}";
            case 2 -> "{'$all':[" + v + "," + w + "]}";
            case 3 -> "{'$all':[" + v + "]}";
            case 4 -> "{'$allMatch':{'$gte':" + v + "}}";
            case 5 -> "{'$in':[" + v + "," + w + "]}";
            case 6 -> "{'$eq':" + v + "}";
            case 7 -> "{'$elemMatch':{'$lt':" + v + "}}";
            default -> "{'$size':" + random.nextInt(3) + "}";
        };
        String selector = "'t':" + element;
        if (random.nextBoolean()) {
            selector = "'k':" + random.nextInt(3) + "," + selector;
        }
        if (random.nextInt(4) == 0) {
            selector += ",'t':{'$elemMatch':{'$ne':" + w + "}}";
            selector = "'$and':[{" + selector.replace(",'t':{'$elemMatch'", "},{'t':{'$elemMatch'") + "}]";
        }
        return "{" + selector + "}";
    }
}
