package dev.arbor.api.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.Database;
import dev.arbor.api.DocResult;
import dev.arbor.api.Storage;
import dev.arbor.api.view.ViewIndexInfo;
import dev.arbor.api.view.ViewQuery;
import dev.arbor.api.view.ViewResult;
import dev.arbor.api.view.ViewRow;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.arbor.api.contract.Fixtures.assertArbor;
import static dev.arbor.api.contract.Fixtures.doc;
import static dev.arbor.api.contract.Fixtures.replicated;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * JavaScript views ({@code query}, {@code viewInfo}, {@code viewCleanup}) as every {@link Database} must answer
 * them: CouchDB 3.x's rows, order, reductions and errors, and an index that follows every write.
 */
public abstract class ViewContract {
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

    // ---- helpers ------------------------------------------------------------------------------------------------

    private static JsonNode json(String singleQuoted) {
        return Json.parse(singleQuoted.replace('\'', '"'));
    }

    private void designDoc(String name, String viewsSingleQuoted) {
        ObjectNode ddoc = Json.object();
        ddoc.put("_id", "_design/" + name);
        ddoc.set("views", json(viewsSingleQuoted));
        db.put(ddoc);
    }

    /** Twelve people: ages 20..31, cities Oslo/Rome/Lima in turn, ids p00..p11. */
    private void people() {
        List<ObjectNode> docs = new ArrayList<>();
        String[] cities = {"Oslo", "Rome", "Lima"};
        for (int i = 0; i < 12; i++) {
            docs.add(doc("{'_id':'p" + String.format("%02d", i) + "','age':" + (20 + i) + ",'city':'" + cities[i % 3] + "'}"));
        }
        db.bulkDocs(docs);
        designDoc("people", "{'by_age':{'map':'function(doc){ if (doc.age) emit(doc.age, doc.city); }'},"
                + "'by_city_age':{'map':'function(doc){ if (doc.city) emit([doc.city, doc.age], 1); }','reduce':'_count'},"
                + "'age_sum':{'map':'function(doc){ if (doc.city) emit([doc.city, doc.age], doc.age); }','reduce':'_sum'},"
                + "'js_sum':{'map':'function(doc){ if (doc.city) emit([doc.city, doc.age], doc.age); }',"
                + "'reduce':'function(keys, values, rereduce){ return sum(values); }'}}");
    }

    private ViewResult query(String view, ViewQuery.Builder query) {
        return db.query("people", view, query.build());
    }

    private static List<String> ids(ViewResult result) {
        return result.rows().stream().map(ViewRow::id).toList();
    }

    private static List<String> keys(ViewResult result) {
        return result.rows().stream().map(r -> Json.text(r.key())).toList();
    }

    private static List<String> values(ViewResult result) {
        return result.rows().stream().map(r -> Json.text(r.value())).toList();
    }

    // ---- map rows -----------------------------------------------------------------------------------------------

    @Test
    void rowsComeInKeyCollationOrderThenByDocId() {
        designDoc("mixed", "{'all':{'map':'function(doc){ emit(doc.k, null); }'}}");
        db.bulkDocs(List.of(doc("{'_id':'b','k':'a'}"), doc("{'_id':'a','k':'a'}"), doc("{'_id':'c','k':1}"),
                doc("{'_id':'d','k':null}"), doc("{'_id':'e','k':[1]}"), doc("{'_id':'f','k':{'x':1}}"),
                doc("{'_id':'g','k':'B'}"), doc("{'_id':'h','k':true}"), doc("{'_id':'i','k':false}")));
        ViewResult result = db.query("mixed", "all", ViewQuery.DEFAULT);
        assertEquals(List.of("d", "i", "h", "c", "a", "b", "g", "e", "f"), ids(result));
        assertEquals(9, result.totalRows());
        assertEquals(0, result.offset());
    }

    @Test
    void designDocumentsAreNotMapped() {
        designDoc("all", "{'ids':{'map':'function(doc){ emit(doc._id, null); }'}}");
        db.put(doc("{'_id':'x'}"));
        assertEquals(List.of("x"), ids(db.query("all", "ids", ViewQuery.DEFAULT)));
    }

    @Test
    void mapFunctionsSeeTheConflictsOfADocumentAsInCouchDb() {
        designDoc("c", "{'conflicts':{'map':'function(doc){ emit(doc._id, doc._conflicts || null); }'}}");
        db.put(doc("{'_id':'plain'}"));
        for (String hash : List.of("aaaa", "bbbb")) {
            ObjectNode branch = doc("{'_id':'x','v':'" + hash + "'}");
            branch.put("_rev", "1-" + hash);
            db.bulkDocs(List.of(branch), false);
        }
        ViewResult result = db.query("c", "conflicts", ViewQuery.DEFAULT);
        assertEquals(List.of("null", "[\"1-aaaa\"]"), values(result), "the winner 1-bbbb sees its losing branch");
        // Resolving the conflict reindexes the document without it.
        db.remove("x", "1-aaaa");
        assertEquals(List.of("null", "null"), values(db.query("c", "conflicts", ViewQuery.DEFAULT)));
    }

    @Test
    void includedDocsCarryTheirAttachmentDataWhenAsked() {
        designDoc("a", "{'ids':{'map':'function(doc){ emit(doc._id, null); }'}}");
        db.put(doc("{'_id':'d','_attachments':{'a.txt':{'content_type':'text/plain','data':'aGk='}}}"));
        JsonNode stub = db.query("a", "ids", ViewQuery.builder().includeDocs(true).build()).rows().getFirst().doc()
                .get("_attachments").get("a.txt");
        assertTrue(stub.get("stub").asBoolean());
        JsonNode inline = db.query("a", "ids", ViewQuery.builder().includeDocs(true).attachments(true).build()).rows().getFirst()
                .doc().get("_attachments").get("a.txt");
        assertEquals("aGk=", inline.get("data").asText());
        assertFalse(inline.has("length"), "inline data carries no length, as in CouchDB");
        assertFalse(inline.has("stub"));
    }

    @Test
    void keyRangesHonourInclusiveEndDescendingSkipAndLimit() {
        people();
        assertEquals(List.of("p02", "p03", "p04"),
                ids(query("by_age", ViewQuery.builder().startkey(json("22")).endkey(json("24")))));
        assertEquals(List.of("p02", "p03"), ids(query("by_age",
                ViewQuery.builder().startkey(json("22")).endkey(json("24")).inclusiveEnd(false))));
        assertEquals(List.of("p04", "p03", "p02"), ids(query("by_age",
                ViewQuery.builder().startkey(json("24")).endkey(json("22")).descending(true))));
        assertEquals(List.of("p04", "p03"), ids(query("by_age",
                ViewQuery.builder().startkey(json("24")).endkey(json("22")).descending(true).inclusiveEnd(false))));
        ViewResult page = query("by_age", ViewQuery.builder().startkey(json("22")).skip(2).limit(3));
        assertEquals(List.of("p04", "p05", "p06"), ids(page));
        assertEquals(4, page.offset(), "offset counts the rows before the range and the skipped ones");
        assertEquals(12, page.totalRows());
        assertEquals(List.of("p05"), ids(query("by_age", ViewQuery.builder().key(json("25")))));
    }

    @Test
    void docIdBoundsCutThroughRowsWithEqualKeys() {
        designDoc("same", "{'k':{'map':'function(doc){ emit(doc.k, null); }'}}");
        db.bulkDocs(List.of(doc("{'_id':'a','k':1}"), doc("{'_id':'b','k':1}"), doc("{'_id':'c','k':1}"),
                doc("{'_id':'d','k':2}")));
        assertEquals(List.of("b", "c", "d"), ids(db.query("same", "k",
                ViewQuery.builder().startkey(json("1")).startkeyDocId("b").build())));
        assertEquals(List.of("a", "b"), ids(db.query("same", "k",
                ViewQuery.builder().endkey(json("1")).endkeyDocId("b").build())));
        assertEquals(List.of("a"), ids(db.query("same", "k",
                ViewQuery.builder().endkey(json("1")).endkeyDocId("b").inclusiveEnd(false).build())));
        assertEquals(List.of("b", "a"), ids(db.query("same", "k",
                ViewQuery.builder().startkey(json("1")).startkeyDocId("b").endkey(json("1")).descending(true).build())));
    }

    @Test
    void keysAnswerEachKeyInTheGivenOrder() {
        people();
        ViewResult result = query("by_age", ViewQuery.builder().keys(List.of(json("25"), json("21"), json("99"), json("25"))));
        assertEquals(List.of("p05", "p01", "p05"), ids(result));
    }

    @Test
    void oneDocumentMayEmitTheSameKeyManyTimes() {
        ObjectNode ddoc = doc("{'_id':'_design/multi','views':{'tags':{}}}");
        ((ObjectNode) ddoc.get("views").get("tags")).put("map",
                "function(doc){ doc.tags.forEach(function(t){ emit(t, t.length); }); emit('x', 2); emit('x', 1); }");
        db.put(ddoc);
        db.put(doc("{'_id':'a','tags':['red','red','blue']}"));
        ViewResult result = db.query("multi", "tags", ViewQuery.DEFAULT);
        assertEquals(List.of("\"blue\"", "\"red\"", "\"red\"", "\"x\"", "\"x\""), keys(result));
        assertEquals(List.of("4", "3", "3", "1", "2"), values(result), "equal keys of one document order by value");
    }

    @Test
    void includeDocsAddsTheDocumentOrTheOneItsValueLinksTo() {
        designDoc("links", "{'l':{'map':'function(doc){ emit(doc._id, doc.link ? {_id: doc.link} : null); }'}}");
        db.bulkDocs(List.of(doc("{'_id':'a','n':1}"), doc("{'_id':'b','link':'a'}"), doc("{'_id':'c','link':'gone'}")));
        ViewResult result = db.query("links", "l", ViewQuery.builder().includeDocs(true).build());
        assertEquals(1, result.rows().get(0).doc().get("n").asInt());
        assertEquals("a", result.rows().get(1).doc().get("_id").asText(), "b's row includes the document it links to");
        assertTrue(result.rows().get(2).doc().isNull(), "a link to a missing document includes null");
    }

    @Test
    void conflictedDocumentsAreIndexedByTheirWinnerAndShowConflictsWhenAsked() {
        designDoc("v", "{'v':{'map':'function(doc){ emit(doc.v, null); }'}}");
        db.bulkDocs(List.of(replicated("d", 2, "ba", false, "{'v':'loser'}"),
                replicated("d", 2, "ca", false, "{'v':'winner'}")), false);
        ViewResult result = db.query("v", "v", ViewQuery.builder().includeDocs(true).conflicts(true).build());
        assertEquals(List.of("\"winner\""), keys(result));
        assertEquals(1, result.rows().get(0).doc().get("_conflicts").size());
    }

    // ---- reduce -------------------------------------------------------------------------------------------------

    @Test
    void reduceWithoutGroupingCombinesEveryRowOfTheRange() {
        people();
        assertEquals(List.of("12"), values(query("by_city_age", ViewQuery.builder())));
        assertEquals(List.of("null"), keys(query("by_city_age", ViewQuery.builder())));
        assertEquals(List.of(String.valueOf(22 + 25 + 28 + 31)), values(query("age_sum", ViewQuery.builder()
                .startkey(json("['Lima']")).endkey(json("['Lima',{}]")))));
        assertEquals(List.of(), query("by_city_age", ViewQuery.builder().startkey(json("['Zurich']"))).rows(),
                "an empty range reduces to no row at all");
        assertEquals(-1, query("by_city_age", ViewQuery.builder()).totalRows());
    }

    @Test
    void groupLevelCombinesTheCachedReductionsOfEachGroup() {
        people();
        ViewResult byCity = query("by_city_age", ViewQuery.builder().groupLevel(1));
        assertEquals(List.of("[\"Lima\"]", "[\"Oslo\"]", "[\"Rome\"]"), keys(byCity));
        assertEquals(List.of("4", "4", "4"), values(byCity));
        assertEquals(List.of("[\"Rome\"]", "[\"Oslo\"]", "[\"Lima\"]"),
                keys(query("by_city_age", ViewQuery.builder().groupLevel(1).descending(true))));
        assertEquals(List.of("98", "102"), values(query("js_sum", ViewQuery.builder().groupLevel(1).skip(1).limit(2))),
                "a JavaScript reduce is rereduced per group: Oslo 20+23+26+29, Rome 21+24+27+30");
        ViewResult exact = query("age_sum", ViewQuery.builder().group(true).limit(2));
        assertEquals(List.of("[\"Lima\",22]", "[\"Lima\",25]"), keys(exact));
        assertEquals(List.of("22", "25"), values(exact));
        assertEquals(List.of("[\"Oslo\",20]"), keys(query("age_sum", ViewQuery.builder().group(true)
                .keys(List.of(json("['Oslo',20]")))) ));
    }

    @Test
    void reductionsFollowUpdatesAndDeletes() {
        people();
        assertEquals("4", values(query("by_city_age", ViewQuery.builder().groupLevel(1))).get(0));
        ObjectNode p02 = db.get("p02");
        p02.put("city", "Oslo");
        db.put(p02);
        db.remove("p05", db.get("p05").get("_rev").asText());
        ViewResult byCity = query("by_city_age", ViewQuery.builder().groupLevel(1));
        assertEquals(List.of("[\"Lima\"]", "[\"Oslo\"]", "[\"Rome\"]"), keys(byCity));
        assertEquals(List.of("2", "5", "4"), values(byCity));
        assertEquals(List.of(String.valueOf(20 + 22 + 23 + 26 + 29)),
                values(query("age_sum", ViewQuery.builder().key(null).startkey(json("['Oslo']")).endkey(json("['Oslo',{}]")))));
    }

    @Test
    void reduceFalseAnswersTheMapRows() {
        people();
        ViewResult rows = query("by_city_age", ViewQuery.builder().reduce(false).limit(2));
        assertEquals(List.of("p02", "p05"), ids(rows));
        assertEquals(12, rows.totalRows());
    }

    @Test
    void invalidCombinationsAreCouchDbsQueryParseErrors() {
        people();
        assertArbor(ArborException.BadRequest.class, "query_parse_error", "Reduce is invalid for map-only views.",
                () -> query("by_age", ViewQuery.builder().reduce(true)));
        assertArbor(ArborException.BadRequest.class, "query_parse_error", "Invalid use of grouping on a map view.",
                () -> query("by_age", ViewQuery.builder().group(true)));
        assertArbor(ArborException.BadRequest.class, "query_parse_error", "`include_docs` is invalid for reduce",
                () -> query("by_city_age", ViewQuery.builder().includeDocs(true)));
        assertArbor(ArborException.BadRequest.class, "query_parse_error",
                "Multi-key fetches for reduce views must use `group=true`",
                () -> query("by_city_age", ViewQuery.builder().keys(List.of(json("1")))));
        assertArbor(ArborException.BadRequest.class, "query_parse_error",
                "No rows can match your key range, reverse your start_key and end_key or set descending=true",
                () -> query("by_age", ViewQuery.builder().startkey(json("30")).endkey(json("20"))));
    }

    @Test
    void missingDesignDocumentOrViewIsNotFound() {
        people();
        assertArbor(ArborException.NotFound.class, "not_found", "missing",
                () -> db.query("nope", "by_age", ViewQuery.DEFAULT));
        assertArbor(ArborException.NotFound.class, "not_found", "missing_named_view",
                () -> db.query("people", "nope", ViewQuery.DEFAULT));
    }

    // ---- index maintenance --------------------------------------------------------------------------------------

    @Test
    void updateFalseAnswersFromTheIndexAsItIs() {
        people();
        assertEquals(12, query("by_age", ViewQuery.builder()).totalRows());
        db.put(doc("{'_id':'q','age':50}"));
        ViewResult stale = query("by_age", ViewQuery.builder().update(ViewQuery.Update.FALSE).updateSeq(true));
        assertEquals(12, stale.totalRows());
        ViewResult fresh = query("by_age", ViewQuery.builder().updateSeq(true));
        assertEquals(13, fresh.totalRows());
        assertTrue(fresh.updateSeq().number() > stale.updateSeq().number());
    }

    @Test
    void aChangedViewIsRebuiltAndCleanupKeepsTheCurrentIndex() {
        people();
        String before = db.viewInfo("people").signature();
        assertEquals(12, query("by_age", ViewQuery.builder()).totalRows());
        ObjectNode ddoc = db.get("_design/people");
        ((ObjectNode) ddoc.get("views").get("by_age")).put("map", "function(doc){ if (doc.age > 25) emit(doc.age, null); }");
        db.put(ddoc);
        ViewIndexInfo info = db.viewInfo("people");
        assertNotEquals(before, info.signature());
        assertEquals(6, query("by_age", ViewQuery.builder()).totalRows());
        db.viewCleanup();
        assertEquals(6, query("by_age", ViewQuery.builder().update(ViewQuery.Update.FALSE)).totalRows());
        assertEquals("people", db.viewInfo("_design/people").name());
    }

    /**
     * Random writes, deletes, conflicting replicated revisions and queries against one design document; at the
     * end its incrementally maintained index must answer exactly as a second design document with the same views
     * built from scratch.
     */
    @Test
    void anIncrementallyUpdatedIndexEqualsAFullRebuild() {
        String views = "{'by_n':{'map':'function(doc){ if (doc.n !== undefined) { emit([doc.g, doc.n], doc.n); if (doc.n % 3 === 0) emit([doc.g, doc.n], -1); } }','reduce':'_sum'},"
                + "'stats':{'map':'function(doc){ if (doc.n !== undefined) emit(doc.g, doc.n); }','reduce':'_stats'}}";
        designDoc("live", views);
        Random random = new Random(42);
        Map<String, String> revs = new HashMap<>();
        for (int step = 0; step < 400; step++) {
            String id = "d" + random.nextInt(60);
            int action = random.nextInt(10);
            if (action < 5) {
                ObjectNode d = doc("{'_id':'" + id + "','g':'g" + random.nextInt(4) + "','n':" + random.nextInt(20) + "}");
                if (revs.containsKey(id)) d.put("_rev", revs.get(id));
                revs.put(id, db.put(d).rev());
            } else if (action < 7 && revs.containsKey(id)) {
                db.remove(id, revs.get(id));
                refreshRev(id, revs);
            } else if (action < 8) {
                char leaf = (char) ('a' + random.nextInt(6));
                db.bulkDocs(List.of(replicated(id, 9, leaf + "z", false,
                        "{'g':'g" + random.nextInt(4) + "','n':" + random.nextInt(20) + "}")), false);
                refreshRev(id, revs);
            } else {
                db.query("live", random.nextBoolean() ? "by_n" : "stats",
                        ViewQuery.builder().groupLevel(random.nextInt(3)).build());
            }
        }
        designDoc("fresh", views);
        for (ViewQuery query : List.of(ViewQuery.builder().reduce(false).build(), ViewQuery.DEFAULT,
                ViewQuery.builder().group(true).build(), ViewQuery.builder().groupLevel(1).build(),
                ViewQuery.builder().groupLevel(1).descending(true).startkey(json("['g2']")).build())) {
            for (String view : List.of("by_n", "stats")) {
                ViewResult live = db.query("live", view, query);
                ViewResult fresh = db.query("fresh", view, query);
                assertEquals(fresh.rows(), live.rows(), view + " " + query);
                assertEquals(fresh.totalRows(), live.totalRows());
            }
        }
    }

    /** The winning revision to edit next; none when the document is deleted (a conflict may leave a live leaf). */
    private void refreshRev(String id, Map<String, String> revs) {
        try {
            revs.put(id, db.get(id).get("_rev").asText());
        } catch (ArborException.NotFound e) {
            revs.remove(id);
        }
    }

    @Test
    void writesAfterTheFirstQueryAreIndexedIncrementally() {
        people();
        assertEquals(4, query("by_city_age", ViewQuery.builder().groupLevel(1)).rows().get(0).value().asInt());
        DocResult.Ok added = db.put(doc("{'_id':'zz','age':40,'city':'Lima'}"));
        assertEquals(5, query("by_city_age", ViewQuery.builder().groupLevel(1)).rows().get(0).value().asInt());
        db.remove("zz", added.rev());
        assertEquals(4, query("by_city_age", ViewQuery.builder().groupLevel(1)).rows().get(0).value().asInt());
        assertEquals(12, query("by_age", ViewQuery.builder()).totalRows());
    }

    // ---- validate_doc_update ------------------------------------------------------------------------------------

    private void guard() {
        ObjectNode ddoc = doc("{'_id':'_design/guard'}");
        ddoc.put("validate_doc_update", "function(newDoc, oldDoc, userCtx, secObj) {"
                + " if (newDoc.secret) throw({forbidden: 'no secrets'});"
                + " if (newDoc.login) throw({unauthorized: 'log in first'});"
                + " if (newDoc._deleted && oldDoc && oldDoc.keep) throw({forbidden: 'kept: ' + oldDoc._id}); }");
        db.put(ddoc);
    }

    @Test
    void validateDocUpdateRefusesWritesWithCouchDbsErrors() {
        guard();
        assertArbor(ArborException.Forbidden.class, "forbidden", "no secrets",
                () -> db.put(doc("{'_id':'s','secret':true}")));
        assertArbor(ArborException.Unauthorized.class, "unauthorized", "log in first",
                () -> db.post(doc("{'login':true}")));
        DocResult.Ok kept = db.put(doc("{'_id':'k','keep':true}"));
        assertArbor(ArborException.Forbidden.class, "forbidden", "kept: k", () -> db.remove("k", kept.rev()));
        assertEquals(kept.rev(), db.get("k").get("_rev").asText());
    }

    @Test
    void validateDocUpdateJudgesEachDocumentOfABulkWriteAndReplicatedRevisions() {
        guard();
        List<DocResult> results = db.bulkDocs(List.of(doc("{'_id':'a'}"), doc("{'_id':'b','secret':1}")));
        assertTrue(results.get(0) instanceof DocResult.Ok);
        DocResult.Error refused = (DocResult.Error) results.get(1);
        assertEquals("forbidden", refused.error());
        assertEquals("no secrets", refused.reason());
        List<DocResult> replicated = db.bulkDocs(List.of(replicated("r", 1, "a", false, "{'secret':true}"),
                replicated("ok", 1, "a", false, "{'fine':true}")), false);
        assertEquals(1, replicated.size(), "with new_edits=false only failures are reported");
        assertEquals("forbidden", ((DocResult.Error) replicated.get(0)).error());
        assertArbor(ArborException.NotFound.class, "not_found", "missing", () -> db.get("r"));
        assertEquals(true, db.get("ok").get("fine").asBoolean());
    }

    @Test
    void designDocumentsAreNotValidatedButMustCompile() {
        guard();
        ObjectNode secretDesign = doc("{'_id':'_design/other','secret':true}");
        db.put(secretDesign);
        ObjectNode broken = doc("{'_id':'_design/broken','views':{'v':{'map':'function(doc){ emit( }'}}}");
        ArborException.BadRequest error = org.junit.jupiter.api.Assertions.assertThrows(ArborException.BadRequest.class,
                () -> db.put(broken));
        assertEquals("compilation_error", error.error());
    }

    @Test
    void aChangedReplacedOrRemovedValidatorAppliesFromTheVeryNextWrite() {
        assertEquals("before", db.put(doc("{'_id':'before','secret':true}")).id(), "no validator yet");
        guard();
        assertArbor(ArborException.Forbidden.class, "forbidden", "no secrets", () -> db.put(doc("{'_id':'s1','secret':true}")));

        ObjectNode relaxed = db.get("_design/guard");
        relaxed.put("validate_doc_update", "function(newDoc) { if (newDoc.loud) throw({forbidden: 'too loud'}); }");
        db.put(relaxed);
        db.put(doc("{'_id':'s2','secret':true}"));
        assertArbor(ArborException.Forbidden.class, "forbidden", "too loud", () -> db.put(doc("{'_id':'l','loud':true}")));

        // A validator that arrives by replication counts too.
        ObjectNode replicatedGuard = replicated("_design/replicated", 1, "r", false, null);
        replicatedGuard.put("validate_doc_update", "function(newDoc) { if (newDoc.shout) throw({forbidden: 'no shouting'}); }");
        db.bulkDocs(List.of(replicatedGuard), false);
        assertArbor(ArborException.Forbidden.class, "forbidden", "no shouting", () -> db.put(doc("{'_id':'sh','shout':true}")));

        db.remove("_design/guard", db.get("_design/guard").get("_rev").asText());
        db.purge(java.util.Map.of("_design/replicated", List.of(db.get("_design/replicated").get("_rev").asText())));
        db.put(doc("{'_id':'l2','loud':true,'shout':true}"));
        assertEquals(true, db.get("l2").get("shout").asBoolean());
    }
}
