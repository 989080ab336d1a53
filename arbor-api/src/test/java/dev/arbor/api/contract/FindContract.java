package dev.arbor.api.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.AllDocsOptions;
import dev.arbor.api.AllDocsRow;
import dev.arbor.api.Database;
import dev.arbor.api.Storage;
import dev.arbor.api.find.Explain;
import dev.arbor.api.find.FindRequest;
import dev.arbor.api.find.FindResult;
import dev.arbor.api.find.IndexBulkDeleteResult;
import dev.arbor.api.find.IndexDefinition;
import dev.arbor.api.find.IndexInfo;
import dev.arbor.api.find.IndexResult;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import dev.arbor.core.mango.Selector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static dev.arbor.api.contract.Fixtures.assertArbor;
import static dev.arbor.api.contract.Fixtures.doc;
import static dev.arbor.api.contract.Fixtures.replicated;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mango queries and indexes ({@code find}, {@code explain}, {@code createIndex}, {@code indexes},
 * {@code deleteIndex}) as every local {@link Database} must answer them: CouchDB 3.x's results, and Arbor's
 * planner choices (index union, in-memory sort with a warning) where it goes beyond CouchDB.
 */
public abstract class FindContract {
    protected abstract Storage newStorage();

    protected Storage storage;
    protected Database db;

    @BeforeEach
    void openFreshDatabase() {
        storage = newStorage();
        db = storage.createDatabase("db");
    }

    @AfterEach
    void closeStorage() {
        if (storage != null) storage.close();
    }

    // ---- helpers ------------------------------------------------------------------------------

    private static JsonNode json(String singleQuoted) {
        return Json.parse(singleQuoted.replace('\'', '"'));
    }

    private FindRequest query(String selector) {
        return FindRequest.of(json(selector));
    }

    private static List<String> ids(FindResult result) {
        return result.docs().stream().map(d -> d.get("_id").asText()).toList();
    }

    /** Twelve users and a few other docs: ages 20..31, cities alternating. */
    private void people() {
        List<ObjectNode> docs = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            docs.add(doc("{'_id':'u" + (char) ('a' + i) + "','type':'user','age':" + (20 + i)
                    + ",'city':'" + (i % 2 == 0 ? "Oslo" : "Rome") + "','name':'n" + (11 - i) + "'}"));
        }
        docs.add(doc("{'_id':'x1','type':'admin','age':40}"));
        docs.add(doc("{'_id':'x2','type':'user'}"));
        db.bulkDocs(docs);
    }

    /** What a full scan with the matcher answers: the contract every index plan must equal. */
    private Set<String> bruteForce(String selector) {
        Selector parsed = Selector.parse(json(selector));
        Set<String> ids = new HashSet<>();
        for (AllDocsRow row : db.allDocs(AllDocsOptions.DEFAULT.includeDocs(true)).rows()) {
            if (parsed.matches(row.doc())) {
                ids.add(row.id());
            }
        }
        return ids;
    }

    // ---- answers as bytes ---------------------------------------------------------------------

    @Test
    void findIntoASinkHandsOverTheBytesOfWhatFindReturns() {
        people();
        db.createIndex(IndexDefinition.of("age").ddoc("people").name("by-age"));
        db.createIndex(IndexDefinition.of("name").ddoc("people").name("by-name"));
        db.bulkDocs(List.of(replicated("uz", 2, "ba", false, "{'type':'user','age':25,'branch':'b'}"),
                replicated("uz", 2, "ca", false, "{'type':'user','age':25,'branch':'c'}")), false);
        FindRequest users = query("{'type':'user','age':{'$gte':22}}");
        List<FindRequest> requests = List.of(users, users.limit(3).skip(1), users.fields(List.of("_id", "name")),
                users.conflicts(true), users.sort(json("[{'name':'desc'}]")).limit(4), users.executionStats(true),
                query("{'name':{'$gt':'n3'}}").conflicts(true), query("{'type':'nobody'}"));
        for (FindRequest request : requests) {
            FindResult tree = db.find(request);
            List<String> docs = new ArrayList<>();
            List<Object> rest = new ArrayList<>();
            db.find(request, new dev.arbor.api.find.FindSink() {
                @Override
                public void doc(byte[] json) {
                    docs.add(new String(json, java.nio.charset.StandardCharsets.UTF_8));
                }

                @Override
                public void end(String bookmark, List<String> warnings, dev.arbor.api.find.ExecutionStats stats) {
                    rest.addAll(List.of(bookmark, warnings, stats == null ? "none" : stats.resultsReturned()));
                }
            });
            assertEquals(tree.docs().stream().map(d -> new String(Json.bytes(d), java.nio.charset.StandardCharsets.UTF_8)).toList(),
                    docs, request.toString());
            assertEquals(List.of(tree.bookmark(), tree.warnings(),
                    tree.executionStats() == null ? "none" : tree.executionStats().resultsReturned()), rest);
        }
    }

    // ---- indexes ------------------------------------------------------------------------------

    @Test
    void createIndexWritesACouchDbQueryDesignDocAndAnswersExistsTheSecondTime() {
        IndexResult created = db.createIndex(IndexDefinition.of("age").ddoc("people").name("by-age"));
        assertEquals(new IndexResult(true, "_design/people", "by-age"), created);
        assertEquals("created", created.result());

        ObjectNode ddoc = db.get("_design/people");
        assertEquals("query", ddoc.get("language").asText());
        assertEquals(json("{'age':'asc'}"), ddoc.at("/views/by-age/map/fields"));
        assertEquals("_count", ddoc.at("/views/by-age/reduce").asText());
        assertEquals(json("['age']"), ddoc.at("/views/by-age/options/def/fields"));

        IndexResult again = db.createIndex(IndexDefinition.of("age").ddoc("_design/people").name("by-age"));
        assertFalse(again.created());
        assertEquals("exists", again.result());
        assertEquals(ddoc.get("_rev"), db.get("_design/people").get("_rev"), "an existing index writes nothing");
    }

    @Test
    void anIndexWithoutDdocOrNameIsNamedAfterItsDefinition() {
        IndexResult first = db.createIndex(IndexDefinition.of("a", "b"));
        IndexResult second = db.createIndex(IndexDefinition.of("a", "b"));
        assertTrue(first.id().startsWith("_design/"));
        assertEquals(first.id(), "_design/" + first.name());
        assertEquals(first.id(), second.id());
        assertFalse(second.created());
    }

    @Test
    void indexesListsAllDocsFirstThenEveryJsonIndexByDesignDocAndName() {
        db.createIndex(IndexDefinition.of("b").ddoc("z").name("one"));
        db.createIndex(IndexDefinition.of("a", "c").ddoc("a").name("two").partialFilterSelector(json("{'type':'user'}")));
        List<IndexInfo> indexes = db.indexes();
        assertEquals(IndexInfo.ALL_DOCS, indexes.get(0));
        // Listed normalized, as CouchDB lists it.
        assertEquals(new IndexInfo("_design/a", "two", "json", List.of("a", "c"), json("{'type':{'$eq':'user'}}"), false),
                indexes.get(1));
        assertEquals(new IndexInfo("_design/z", "one", "json", List.of("b"), null, false), indexes.get(2));
        assertEquals(3, indexes.size());
    }

    @Test
    void deleteIndexRemovesItAndTheDesignDocWithItsLastIndex() {
        db.createIndex(IndexDefinition.of("a").ddoc("d").name("x"));
        db.createIndex(IndexDefinition.of("b").ddoc("d").name("y"));
        db.deleteIndex("d", "x");
        assertEquals(List.of("y"), db.indexes().stream().skip(1).map(IndexInfo::name).toList());
        db.deleteIndex("_design/d", "y");
        assertEquals(List.of(IndexInfo.ALL_DOCS), db.indexes());
        Fixtures.assertNotFound("deleted", () -> db.get("_design/d"));
        Fixtures.assertNotFound("Index not found", () -> db.deleteIndex("d", "y"));
    }

    @Test
    void bulkDeleteIndexesDeletesTheOneIndexOfEachDesignDocAndLeavesOneWithSeveral() {
        db.createIndex(IndexDefinition.of("a").ddoc("one").name("x"));
        db.createIndex(IndexDefinition.of("a").ddoc("two").name("x"));
        db.createIndex(IndexDefinition.of("b").ddoc("two").name("y"));
        db.createIndex(IndexDefinition.of("c").ddoc("three").name("z"));

        IndexBulkDeleteResult result = db.bulkDeleteIndexes(List.of("one", "_design/two", "none", "three"));
        assertEquals(List.of("_design/one", "_design/three"), result.deleted(), "in request order");
        assertEquals(List.of(new IndexBulkDeleteResult.Failure("_design/two", "multiple_indexes"),
                new IndexBulkDeleteResult.Failure("_design/none", "not_found")), result.failed());
        assertEquals(List.of("_design/two", "_design/two"),
                db.indexes().stream().skip(1).map(IndexInfo::ddoc).toList(), "a design doc with two keeps both");
        Fixtures.assertNotFound("deleted", () -> db.get("_design/one"));
    }

    @Test
    void anIndexOfTypeArrayNeedsAnArrayElementField() {
        assertTrue(db.createIndex(IndexDefinition.of("tags.[]").ddoc("t").name("tag").type("array")).created());
        assertEquals("array", db.indexes().get(1).type());
        assertArbor(ArborException.BadRequest.class, "invalid_index", null,
                () -> db.createIndex(IndexDefinition.of("tags").ddoc("t").name("plain").type("array")));
        assertEquals(2, db.indexes().size());
    }

    @Test
    void aDesignDocOfAnotherLanguageIsNotTakenOver() {
        db.put(doc("{'_id':'_design/js','views':{'v':{'map':'function(doc){}'}}}"));
        assertArbor(ArborException.BadRequest.class, "invalid_ddoc_lang", null,
                () -> db.createIndex(IndexDefinition.of("a").ddoc("js").name("a")));
    }

    // ---- queries ------------------------------------------------------------------------------

    @Test
    void withoutAnIndexEveryDocIsScannedAndTheAnswerSaysSo() {
        people();
        FindResult result = db.find(query("{'type':'user','age':{'$gte':30}}").executionStats(true));
        assertEquals(List.of("uk", "ul"), ids(result));
        assertEquals(List.of("No matching index found, create an index to optimize query time."), result.warnings());
        assertEquals(14, result.executionStats().totalDocsExamined());
        assertEquals(2, result.executionStats().resultsReturned());
        assertEquals(Explain.Strategy.FULL_SCAN, db.explain(query("{'type':'user'}")).strategy());
    }

    @Test
    void aRangeOnAnIndexedFieldReadsOnlyItsRowsInIndexOrder() {
        people();
        db.createIndex(IndexDefinition.of("age").ddoc("p").name("age"));
        FindResult result = db.find(query("{'age':{'$gt':25,'$lte':28}}").executionStats(true));
        assertEquals(List.of("ug", "uh", "ui"), ids(result));
        assertEquals(List.of(), result.warnings());
        assertEquals(3, result.executionStats().totalKeysExamined(), "only the rows in range are read");
        assertEquals(3, result.executionStats().totalDocsExamined());

        Explain explain = db.explain(query("{'age':{'$gt':25,'$lte':28}}"));
        assertEquals("age", explain.index().name());
        assertEquals(Explain.Strategy.INDEX_SCAN, explain.strategy());
        assertEquals(json("[25]"), explain.scans().get(0).startKey());
        assertFalse(explain.scans().get(0).inclusiveStart());
        assertEquals(json("[28]"), explain.scans().get(0).endKey());
        assertTrue(explain.scans().get(0).inclusiveEnd());
    }

    @Test
    void equalityPrefixesThenARangeUseACompoundIndexAndItsOrder() {
        people();
        db.createIndex(IndexDefinition.of("city", "age").ddoc("p").name("city-age"));
        db.createIndex(IndexDefinition.of("age").ddoc("p").name("age"));
        FindRequest request = query("{'city':'Rome','age':{'$gte':25}}").sort(json("[{'city':'desc'},{'age':'desc'}]"));
        Explain explain = db.explain(request);
        assertEquals("city-age", explain.index().name(), "an equality and a range beat a range alone");
        assertFalse(explain.sortInMemory());
        FindResult result = db.find(request);
        assertEquals(List.of("ul", "uj", "uh", "uf"), ids(result));
        assertEquals(List.of(), result.warnings());
    }

    @Test
    void aSortNoIndexGivesIsRefusedAsInCouchDb() {
        people();
        db.createIndex(IndexDefinition.of("age").ddoc("p").name("age"));
        var e = org.junit.jupiter.api.Assertions.assertThrows(ArborException.BadRequest.class,
                () -> db.find(query("{'age':{'$gte':28}}").sort(json("['name']"))));
        assertEquals("no_usable_index", e.error());
        assertEquals("No index exists for this sort, try indexing by the sort fields.", e.reason());
        db.createIndex(IndexDefinition.of("name").ddoc("n").name("name"));
        // names run backwards from ages: n3 (age 28) .. n0 (age 31); x1 (age 40) has no name and is left out.
        FindResult result = db.find(query("{'age':{'$gte':28}}").sort(json("['name']")));
        assertEquals(List.of("ul", "uk", "uj", "ui"), ids(result));
        assertFalse(db.explain(query("{'age':{'$gte':28}}").sort(json("['name']"))).sortInMemory());
    }

    @Test
    void findNeverAnswersDesignDocuments() {
        db.put(doc("{'_id':'a','type':'x'}"));
        db.put(doc("{'_id':'_design/foo','type':'x','views':{}}"));
        assertEquals(List.of("a"), ids(db.find(query("{'type':'x'}"))));
        assertEquals(List.of("a"), ids(db.find(query("{'_id':{'$gt':null}}"))));
        db.createIndex(IndexDefinition.of("type").ddoc("t").name("type"));
        assertEquals(List.of("a"), ids(db.find(query("{'type':'x'}"))));
    }

    @Test
    void twoIndexesOnTheSameFieldsWithDifferentNamesGetTwoDesignDocuments() {
        IndexResult one = db.createIndex(IndexDefinition.of("n").name("one"));
        IndexResult two = db.createIndex(IndexDefinition.of("n").name("two"));
        org.junit.jupiter.api.Assertions.assertNotEquals(one.id(), two.id());
        assertEquals("exists", db.createIndex(IndexDefinition.of("n").name("one")).result());
    }

    @Test
    void aPartialFilterSelectorIsStoredNormalized() {
        IndexResult created = db.createIndex(IndexDefinition.of("n").ddoc("pp").name("p")
                .partialFilterSelector(json("{'type':'x'}")));
        JsonNode view = db.get(created.id()).get("views").get("p");
        assertEquals(json("{'type':{'$eq':'x'}}"), view.get("map").get("partial_filter_selector"));
        assertEquals(json("{'type':'x'}"), view.get("options").get("def").get("partial_filter_selector"));
        assertEquals("exists", db.createIndex(IndexDefinition.of("n").ddoc("pp").name("p")
                .partialFilterSelector(json("{'type':{'$eq':'x'}}"))).result());
    }

    @Test
    void fieldsProjectTheResults() {
        people();
        FindResult result = db.find(query("{'_id':'ua'}").fields(List.of("_id", "city", "missing")));
        assertEquals(List.of(json("{'_id':'ua','city':'Oslo'}")), result.docs());
    }

    @Test
    void pagesWithLimitAndBookmarkVisitEveryMatchOnceInOrder() {
        people();
        db.createIndex(IndexDefinition.of("age").ddoc("p").name("age"));
        db.createIndex(IndexDefinition.of("name", "age").ddoc("p").name("name-age"));
        for (String sort : List.of("[{'age':'asc'}]", "[{'age':'desc'}]", "['name']")) {
            List<String> all = ids(db.find(query("{'age':{'$gt':0}}").sort(json(sort)).limit(100)));
            List<String> paged = new ArrayList<>();
            String bookmark = null;
            for (int page = 0; page < 10; page++) {
                FindResult result = db.find(query("{'age':{'$gt':0}}").sort(json(sort)).limit(5).bookmark(bookmark));
                if (result.docs().isEmpty()) {
                    assertEquals("nil", result.bookmark());
                    break;
                }
                paged.addAll(ids(result));
                bookmark = result.bookmark();
            }
            assertEquals(all, paged, "sort " + sort);
            assertEquals(12, all.size() - (sort.contains("name") ? 0 : 1), "every user with an age, and x1 when not sorted by name");
        }
    }

    @Test
    void skipAndLimitApplyAfterMatching() {
        people();
        db.createIndex(IndexDefinition.of("age").ddoc("p").name("age"));
        assertEquals(List.of("uc", "ud"), ids(db.find(query("{'type':'user','age':{'$gt':0}}").skip(2).limit(2))));
        assertEquals(List.of(), ids(db.find(query("{'age':{'$gt':0}}").limit(0))));
    }

    @Test
    void anOrWhoseBranchesAreEachIndexedReadsTheUnionOfTheirRanges() {
        people();
        db.createIndex(IndexDefinition.of("age").ddoc("p").name("age"));
        db.createIndex(IndexDefinition.of("name").ddoc("p").name("name"));
        String selector = "{'$or':[{'age':{'$lt':22}},{'name':'n0'},{'age':31}]}";
        Explain explain = db.explain(query(selector));
        assertEquals(Explain.Strategy.INDEX_UNION, explain.strategy());
        assertEquals(3, explain.scans().size());
        FindResult result = db.find(query(selector).executionStats(true));
        assertEquals(bruteForce(selector), new HashSet<>(ids(result)));
        assertEquals(List.of("ua", "ub", "ul"), ids(result), "union results come in id order, each once");
        assertEquals(4, result.executionStats().totalKeysExamined(), "ul is in two ranges, read once as a doc");
        assertEquals(3, result.executionStats().totalDocsExamined());
    }

    @Test
    void anInOnAnIndexedFieldReadsOneRangePerValue() {
        people();
        db.createIndex(IndexDefinition.of("age").ddoc("p").name("age"));
        String selector = "{'age':{'$in':[21,23,99]},'type':'user'}";
        assertEquals(Explain.Strategy.INDEX_UNION, db.explain(query(selector)).strategy());
        assertEquals(List.of("ub", "ud"), ids(db.find(query(selector))));
        assertEquals(List.of("ud", "ub"), ids(db.find(query(selector).sort(json("[{'age':'desc'}]")))));
    }

    @Test
    void useIndexIsHonouredWhenUsableAndOtherwiseIgnoredWithCouchDbsWarning() {
        people();
        db.createIndex(IndexDefinition.of("age").ddoc("p").name("age"));
        db.createIndex(IndexDefinition.of("age", "city").ddoc("q").name("age-city"));
        String selector = "{'age':{'$gt':29},'city':'Rome'}";
        assertEquals("age", db.explain(query(selector)).index().name(), "as good a range, fewer fields");
        FindRequest request = query(selector).useIndex(List.of("q", "age-city"));
        assertEquals("age-city", db.explain(request).index().name());
        assertEquals(List.of(), db.find(request).warnings());

        FindResult ignored = db.find(query("{'city':'Oslo'}").useIndex(List.of("q", "age-city")));
        assertEquals(List.of("_design/q, age-city was not used because it is not a valid index for this query.",
                "No matching index found, create an index to optimize query time."), ignored.warnings());
        assertEquals(6, ignored.docs().size());
        FindResult missing = db.find(query("{'city':'Oslo'}").useIndex(List.of("nope")));
        assertEquals("_design/nope was not used because it does not contain a valid index for this query.",
                missing.warnings().get(0));
    }

    @Test
    void aPartialIndexHoldsOnlyItsDocsAndServesOnlyQueriesThatNameIt() {
        people();
        db.createIndex(IndexDefinition.of("age").ddoc("p").name("adults").partialFilterSelector(json("{'age':{'$gte':30}}")));
        assertEquals(Explain.Strategy.FULL_SCAN, db.explain(query("{'age':{'$gt':0}}")).strategy());
        FindResult named = db.find(query("{'age':{'$gt':0}}").useIndex(List.of("p", "adults")).executionStats(true));
        // As in CouchDB, a named partial index answers from its rows only.
        assertEquals(List.of("uk", "ul", "x1"), ids(named));
        assertEquals(3, named.executionStats().totalKeysExamined());
    }

    @Test
    void conflictsAndDeletedDocsFollowTheWinningRevision() {
        db.createIndex(IndexDefinition.of("branch").ddoc("p").name("branch"));
        db.bulkDocs(List.of(replicated("c", 2, "ba", false, "{'branch':'b'}"), replicated("c", 2, "ca", false, "{'branch':'c'}")), false);
        assertEquals(List.of(), ids(db.find(query("{'branch':'b'}"))), "the losing leaf is not indexed");
        FindResult result = db.find(query("{'branch':'c'}").conflicts(true));
        assertEquals(List.of("c"), ids(result));
        assertEquals(1, result.docs().get(0).get("_conflicts").size());
        String winner = result.docs().get(0).get("_rev").asText();
        db.remove("c", winner);
        assertEquals(List.of("c"), ids(db.find(query("{'branch':'b'}"))), "deleting the winner promotes the other leaf");
        assertEquals(List.of(), ids(db.find(query("{'branch':'c'}"))));
    }

    @Test
    void updateFalseReadsTheIndexAsItIsAndTheNextQueryCatchesUp() {
        db.createIndex(IndexDefinition.of("n").ddoc("p").name("n"));
        db.put(doc("{'_id':'a','n':1}"));
        assertEquals(List.of("a"), ids(db.find(query("{'n':{'$gt':0}}"))));
        db.put(doc("{'_id':'b','n':2}"));
        assertEquals(List.of("a"), ids(db.find(query("{'n':{'$gt':0}}").update(false))));
        assertEquals(List.of("a", "b"), ids(db.find(query("{'n':{'$gt':0}}"))));
    }

    @Test
    void malformedQueriesFailWithCouchDbsErrors() {
        assertArbor(ArborException.BadRequest.class, "invalid_operator", null, () -> db.find(query("{'a':{'$bogus':1}}")));
        assertArbor(ArborException.BadRequest.class, "invalid_bookmark", null, () -> db.find(query("{}").bookmark("not a bookmark!")));
        assertArbor(ArborException.BadRequest.class, "unsupported_mixed_sort", null,
                () -> db.find(query("{}").sort(json("[{'a':'asc'},{'b':'desc'}]"))));
    }

    /**
     * The incremental index equals a full scan after any mix of creates, updates, deletes, conflicting
     * replicated edits and purges between queries.
     */
    @Test
    void incrementalIndexesAlwaysAnswerWhatAFullScanWithTheMatcherAnswers() {
        db.createIndex(IndexDefinition.of("v").ddoc("p").name("v"));
        db.createIndex(IndexDefinition.of("k", "v").ddoc("p").name("kv"));
        Random random = new Random(7);
        List<String> selectors = List.of("{'v':{'$gte':3,'$lt':7}}", "{'k':'b','v':{'$gt':2}}", "{'$or':[{'v':1},{'v':{'$gt':8}}]}",
                "{'v':{'$in':[0,5,9]}}", "{'k':{'$in':['a','c']},'v':{'$lte':4}}");
        for (int round = 0; round < 30; round++) {
            for (int w = 0; w < 15; w++) {
                String id = "d" + random.nextInt(25);
                String rev = currentRev(id);
                int action = random.nextInt(10);
                if (action < 6 || rev == null) {
                    ObjectNode d = doc("{'v':" + random.nextInt(10) + ",'k':'" + (char) ('a' + random.nextInt(3)) + "'}");
                    if (random.nextInt(8) == 0) {
                        d.remove("v");
                    }
                    d.put("_id", id);
                    if (rev != null) d.put("_rev", rev);
                    db.put(d);
                } else if (action < 8) {
                    db.remove(id, rev);
                } else {
                    // A conflicting branch arrives by replication; the winner may change.
                    db.bulkDocs(List.of(replicated(id, 9, "f" + round + w, false, "{'v':" + random.nextInt(10) + ",'k':'a'}")), false);
                }
            }
            if (round % 10 == 9) {
                String victim = "d" + random.nextInt(25);
                String rev = currentRev(victim);
                if (rev != null) {
                    db.purge(Map.of(victim, List.of(rev)));
                }
            }
            for (String selector : selectors) {
                assertEquals(bruteForce(selector), new HashSet<>(ids(db.find(query(selector).limit(1000)))),
                        "round " + round + ": " + selector);
            }
        }
    }

    private String currentRev(String id) {
        try {
            return db.get(id).get("_rev").asText();
        } catch (ArborException.NotFound e) {
            return null;
        }
    }

    @Test
    void executionStatsAreOnlyThereWhenAskedFor() {
        people();
        assertNull(db.find(query("{}")).executionStats());
        assertNotNull(db.find(query("{}").executionStats(true)).executionStats());
    }
}
