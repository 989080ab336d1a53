package dev.arbor.engine.view;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.Arbor;
import dev.arbor.api.Database;
import dev.arbor.api.DocResult;
import dev.arbor.api.view.ViewResult;
import dev.arbor.api.view.ViewRow;
import dev.arbor.core.json.Json;
import dev.arbor.js.PouchMapReduce;
import dev.arbor.wire.view.ViewJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The view engine against PouchDB 9's map/reduce for the same design document over the same seeded documents:
 * every query's rows (keys, ids, values, order) and reductions must be equal. Arbor builds its index incrementally
 * (documents arrive in batches with queries between, and extra documents are written and deleted again), PouchDB
 * gets the final documents once, so the comparison also checks incremental maintenance.
 *
 * <p>The documents stay where PouchDB and CouchDB agree (see arbor-js's PouchMapReduceCrossCheckTest): strings from
 * {@code [a-z0-9]}, integral non-negative numbers in keys. Offsets are not compared: PouchDB reports {@code skip}.
 */
class PouchViewCrossCheckTest {
    private static final long SEED = 77L;
    private static final int DOCS = 400;
    private static final String[] CITIES = {"lima", "oslo", "rome", "kyiv", "bern", "a", "b0"};

    private record View(String map, String reduce, List<String> queries) {}

    private static final List<View> VIEWS = List.of(
            new View("function(doc) { emit([doc.city, doc.age], 1); }", "_count", List.of(
                    "{}", "{'group_level':1}", "{'group_level':1,'descending':true,'skip':1,'limit':3}",
                    "{'group':true,'startkey':['oslo'],'endkey':['rome',{}]}", "{'group_level':2,'limit':9}",
                    "{'reduce':false,'startkey':['lima',30],'endkey':['oslo',40],'skip':2,'limit':25}",
                    "{'group':true,'keys':[['rome',33],['a',20],['zz',1]]}")),
            new View("function(doc) { emit([doc.city, doc.age], doc.age); }", "_sum", List.of(
                    "{'group_level':1}", "{'startkey':['b0'],'endkey':['oslo']}", "{'startkey':['rome'],'endkey':['kyiv'],'descending':true}",
                    "{'group_level':1,'startkey':['bern',30],'endkey':['rome',30],'inclusive_end':false}")),
            new View("function(doc) { emit(doc.age, doc.score); }", "_stats", List.of("{}", "{'group':true,'limit':5}",
                    "{'startkey':30,'endkey':40}")),
            new View("function(doc) { (doc.tags || []).forEach(function(t) { emit(t, doc.age); }); }", null, List.of(
                    "{}", "{'startkey':'b','endkey':'c'}", "{'descending':true,'skip':3,'limit':10}",
                    "{'keys':['a','zz','b0','a']}", "{'key':'c','descending':true}",
                    "{'startkey':'b','endkey':'a','descending':true,'inclusive_end':false}")),
            new View("function(doc) { if (doc.age % 2) emit([doc.city, [doc.age % 5]], doc.score); }",
                    "function(keys, values, rereduce) { if (rereduce) { return values.reduce(function(a, b) { return a + b; }, 0); } return values.length; }",
                    List.of("{'group_level':1}", "{'group_level':2}", "{'group':true,'descending':true}")),
            // The map of v3 again: views sharing a map rank and encode its rows once, for both.
            new View("function(doc) { (doc.tags || []).forEach(function(t) { emit(t, doc.age); }); }", "_count",
                    List.of("{'group':true}", "{'startkey':'b','endkey':'c','reduce':false}", "{}")));

    @Test
    void queriesAnswerAsPouchDbDoes(@TempDir Path work) {
        Random random = new Random(SEED);
        List<ObjectNode> docs = new ArrayList<>();
        for (int i = 0; i < DOCS; i++) {
            docs.add(document("d" + String.format("%03d", random.nextInt(1000)) + "-" + i, random));
        }
        ObjectNode input = Json.object();
        ArrayNode docsJson = input.putArray("docs");
        docs.forEach(docsJson::add);
        ArrayNode viewsJson = input.putArray("views");
        ObjectNode ddoc = Json.object().put("_id", "_design/cross");
        ObjectNode views = ddoc.putObject("views");
        for (int i = 0; i < VIEWS.size(); i++) {
            View view = VIEWS.get(i);
            ObjectNode pouchView = viewsJson.addObject().put("map", view.map());
            ObjectNode arborView = views.putObject("v" + i).put("map", view.map());
            if (view.reduce() != null) {
                pouchView.put("reduce", view.reduce());
                arborView.put("reduce", view.reduce());
            }
            ArrayNode queries = pouchView.putArray("queries");
            view.queries().forEach(q -> queries.add(json(q)));
        }
        JsonNode expected = PouchMapReduce.install().run(input, work);

        try (Database db = Arbor.inMemory()) {
            db.put(ddoc);
            List<DocResult.Ok> extras = new ArrayList<>();
            for (int batch = 0; batch < 4; batch++) {
                db.bulkDocs(docs.subList(batch * DOCS / 4, (batch + 1) * DOCS / 4));
                for (int k = 0; k < 10; k++) {
                    extras.add(db.put(document("extra-" + batch + "-" + k, random)));
                }
                db.query("cross", "v0", ViewJson.query(json("{'group_level':1}")));
                db.query("cross", "v3", ViewJson.query(json("{}")));
            }
            for (DocResult.Ok extra : extras) {
                db.remove(extra.id(), extra.rev());
            }
            int comparedRows = 0;
            for (int i = 0; i < VIEWS.size(); i++) {
                List<String> queries = VIEWS.get(i).queries();
                for (int q = 0; q < queries.size(); q++) {
                    JsonNode pouch = expected.get(i).get("queries").get(q);
                    assertEquals(null, pouch.get("error"), "PouchDB failed v" + i + " " + queries.get(q));
                    ViewResult arbor = db.query("cross", "v" + i, ViewJson.query(json(queries.get(q))));
                    assertEquals(pouch.get("rows"), rows(arbor), "v" + i + " " + queries.get(q));
                    comparedRows += arbor.rows().size();
                }
            }
            assertTrue(comparedRows > 1000, "the queries compare many rows, not empty answers: " + comparedRows);
        }
    }

    private static JsonNode json(String singleQuoted) {
        return Json.parse(singleQuoted.replace('\'', '"'));
    }

    private static ArrayNode rows(ViewResult result) {
        ArrayNode rows = Json.MAPPER.createArrayNode();
        for (ViewRow row : result.rows()) {
            ArrayNode entry = rows.addArray();
            entry.add(row.key());
            if (row.id() == null) entry.addNull(); else entry.add(row.id());
            entry.add(row.value());
        }
        return rows;
    }

    private static ObjectNode document(String id, Random random) {
        ObjectNode doc = Json.object().put("_id", id);
        doc.put("city", CITIES[random.nextInt(CITIES.length)]);
        doc.put("age", 18 + random.nextInt(50));
        doc.put("score", random.nextInt(200) - 100);
        ArrayNode tags = doc.putArray("tags");
        for (String tag : new String[]{"a", "b", "b0", "c", "c1"}) {
            if (random.nextInt(3) == 0) tags.add(tag);
        }
        return doc;
    }
}
