package dev.arbor.server.find;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.Arbor;
import dev.arbor.core.json.Json;
import dev.arbor.server.ArborServer;
import dev.arbor.server.JsonHttp;
import dev.arbor.server.ServerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;

import static dev.arbor.server.JsonHttp.assertError;
import static dev.arbor.server.JsonHttp.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code _find}, {@code _explain} and {@code _index} on a real server, with CouchDB's bodies and errors. */
class FindHttpTest {

    @TempDir
    Path dir;
    private ArborServer server;

    @BeforeEach
    void start() throws Exception {
        server = ArborServer.builder(ServerConfig.defaults(dir).withPort(0).withAccessLog(false),
                Arbor.storage(dir.resolve("data"))).start();
        assertEquals(201, send("PUT", "/db", null).statusCode());
        HttpResponse<String> bulk = send("POST", "/db/_bulk_docs", """
                {"docs":[{"_id":"a","age":31,"type":"user"},{"_id":"b","age":35,"type":"user"},
                         {"_id":"c","age":42,"type":"user"},{"_id":"d","age":33,"type":"bot"},{"_id":"e"}]}""");
        assertEquals(201, bulk.statusCode(), bulk.body());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> send(String method, String path, String json) throws Exception {
        return JsonHttp.send(server, method, path, json);
    }


    @Test
    void indexLifecycleAnswersCouchDbsBodies() throws Exception {
        JsonNode created = ok(send("POST", "/db/_index", """
                {"index":{"fields":["age"]},"ddoc":"people","name":"by-age","type":"json"}"""));
        assertEquals(Json.parse("{\"result\":\"created\",\"id\":\"_design/people\",\"name\":\"by-age\"}"), created);
        assertEquals("exists", ok(send("POST", "/db/_index", """
                {"index":{"fields":["age"]},"ddoc":"people","name":"by-age"}""")).get("result").asText());

        JsonNode list = ok(send("GET", "/db/_index", null));
        assertEquals(2, list.get("total_rows").asInt());
        assertEquals(Json.parse("{\"ddoc\":null,\"name\":\"_all_docs\",\"type\":\"special\",\"def\":{\"fields\":[{\"_id\":\"asc\"}]}}"),
                list.get("indexes").get(0));
        assertEquals(Json.parse("{\"ddoc\":\"_design/people\",\"name\":\"by-age\",\"type\":\"json\",\"partitioned\":false,"
                + "\"def\":{\"fields\":[{\"age\":\"asc\"}]}}"), list.get("indexes").get(1));
        assertEquals(1, ok(send("GET", "/db/_index?skip=1", null)).get("indexes").size());

        assertEquals(Json.parse("{\"ok\":true}"), ok(send("DELETE", "/db/_index/_design/people/json/by-age", null)));
        assertError(send("DELETE", "/db/_index/people/json/by-age", null), 404, "not_found", "Index not found");
        assertEquals(1, ok(send("GET", "/db/_index", null)).get("total_rows").asInt());
    }

    @Test
    void bulkDeleteRemovesTheIndexesOfEachDesignDocAndReportsTheMissingOnes() throws Exception {
        ok(send("POST", "/db/_index", "{\"index\":{\"fields\":[\"age\"]},\"ddoc\":\"p\",\"name\":\"x\"}"));
        ok(send("POST", "/db/_index", "{\"index\":{\"fields\":[\"type\"]},\"ddoc\":\"q\",\"name\":\"y\"}"));
        JsonNode result = ok(send("POST", "/db/_index/_bulk_delete", """
                {"docids":["_design/p","q","_design/none"],"w":2}"""));
        // CouchDB folds the answers up, so each list is in reverse request order.
        assertEquals(Json.parse("""
                {"success":[{"id":"_design/q","ok":true},{"id":"_design/p","ok":true}],
                 "fail":[{"id":"_design/none","error":"not_found"}]}"""), result);
        assertEquals(1, ok(send("GET", "/db/_index", null)).get("total_rows").asInt(), "only _all_docs is left");
        assertEquals(404, send("GET", "/db/_design/p", null).statusCode(), "the design doc went with its last index");

        assertError(send("POST", "/db/_index/_bulk_delete", "{\"docids\":\"p\"}"), 400, "invalid_bulk_docids",
                "Bulk Delete requires an array of non-null docids. Docids: \"p\"");
        assertError(send("POST", "/db/_index/_bulk_delete", "{}"), 400, "missing_required_key", "Missing required key: docids");
        assertEquals(405, send("DELETE", "/db/_index/_bulk_delete", null).statusCode());
    }

    @Test
    void bulkDeleteLeavesADesignDocWithSeveralIndexesWholeAndGoesOn() throws Exception {
        ok(send("POST", "/db/_index", "{\"index\":{\"fields\":[\"age\"]},\"ddoc\":\"two\",\"name\":\"x\"}"));
        ok(send("POST", "/db/_index", "{\"index\":{\"fields\":[\"type\"]},\"ddoc\":\"two\",\"name\":\"y\"}"));
        ok(send("POST", "/db/_index", "{\"index\":{\"fields\":[\"type\"]},\"ddoc\":\"one\",\"name\":\"z\"}"));
        // CouchDB's mango_idx:delete matches exactly one index per design doc (it crashes the request on more).
        JsonNode result = ok(send("POST", "/db/_index/_bulk_delete", "{\"docids\":[\"two\",\"one\"]}"));
        assertEquals(Json.parse("""
                {"success":[{"id":"_design/one","ok":true}],
                 "fail":[{"id":"_design/two","error":"multiple_indexes"}]}"""), result);
        assertEquals(2, ok(send("GET", "/db/_design/two", null)).get("views").size(), "both indexes are still there");
        assertEquals(404, send("GET", "/db/_design/one", null).statusCode());
    }

    @Test
    void anIndexOfTypeArrayIsCreatedAndListedAsArrayButNeedsAnArrayField() throws Exception {
        JsonNode created = ok(send("POST", "/db/_index", """
                {"index":{"fields":["tags.[]"]},"ddoc":"t","name":"by-tag","type":"array"}"""));
        assertEquals("created", created.get("result").asText());
        assertEquals("exists", ok(send("POST", "/db/_index", """
                {"index":{"fields":["tags.[]"]},"ddoc":"t","name":"by-tag","type":"json"}""")).get("result").asText(),
                "json with a [] field is the same index");
        JsonNode listed = ok(send("GET", "/db/_index", null)).get("indexes").get(1);
        assertEquals("array", listed.get("type").asText());

        assertError(send("POST", "/db/_index", """
                {"index":{"fields":["tags"]},"ddoc":"t","name":"plain","type":"array"}"""), 400, "invalid_index",
                "An index of type array needs an array-element field, one with a [] segment as in \"tags.[]\"; "
                        + "these fields have none: tags");
        assertError(send("POST", "/db/_index", "{\"index\":{\"fields\":[\"tags\"]},\"type\":\"text\"}"), 400,
                "invalid_index", "Invalid type for index: text");
        assertEquals(Json.parse("{\"ok\":true}"), ok(send("DELETE", "/db/_index/t/array/by-tag", null)));
    }

    @Test
    void deleteTakesTheDesignDocWithoutItsPrefixToo() throws Exception {
        ok(send("POST", "/db/_index", "{\"index\":{\"fields\":[\"age\"]},\"ddoc\":\"p\",\"name\":\"x\"}"));
        ok(send("POST", "/db/_index", "{\"index\":{\"fields\":[\"type\"]},\"ddoc\":\"p\",\"name\":\"y\"}"));
        ok(send("DELETE", "/db/_index/p/json/x", null));
        assertError(send("GET", "/db/_index/p/json/y", null), 405, "method_not_allowed", "Only DELETE allowed");
        assertEquals(1, ok(send("GET", "/db/_design/p", null)).get("views").size());
    }

    @Test
    void findAnswersDocsBookmarkWarningAndExecutionStats() throws Exception {
        JsonNode full = ok(send("POST", "/db/_find", """
                {"selector":{"type":"user","age":{"$gte":30,"$lt":40}},"fields":["_id","age"],"execution_stats":true}"""));
        assertEquals(Json.parse("[{\"_id\":\"a\",\"age\":31},{\"_id\":\"b\",\"age\":35}]"), full.get("docs"));
        assertEquals("No matching index found, create an index to optimize query time.", full.get("warning").asText());
        assertTrue(full.get("bookmark").isTextual());
        JsonNode stats = full.get("execution_stats");
        assertEquals(5, stats.get("total_docs_examined").asInt());
        assertEquals(2, stats.get("results_returned").asInt());
        assertTrue(stats.has("execution_time_ms") && stats.has("total_keys_examined") && stats.has("total_quorum_docs_examined"));

        ok(send("POST", "/db/_index", "{\"index\":{\"fields\":[\"age\"]},\"name\":\"age\"}"));
        JsonNode indexed = ok(send("POST", "/db/_find", """
                {"selector":{"type":"user","age":{"$gte":30,"$lt":40}},"sort":[{"age":"desc"}],"execution_stats":true}"""));
        assertFalse(indexed.has("warning"), indexed.toString());
        assertEquals("b", indexed.get("docs").get(0).get("_id").asText());
        assertEquals(3, indexed.get("execution_stats").get("total_keys_examined").asInt(), "ages 31, 33, 35");

        JsonNode next = ok(send("POST", "/db/_find", "{\"selector\":{\"age\":{\"$gt\":0}},\"limit\":2,\"bookmark\":\""
                + ok(send("POST", "/db/_find", "{\"selector\":{\"age\":{\"$gt\":0}},\"limit\":2}")).get("bookmark").asText() + "\"}"));
        assertEquals(Json.parse("[\"b\",\"c\"]"), Json.MAPPER.valueToTree(next.get("docs").findValuesAsText("_id")));
    }

    @Test
    void explainShowsTheChosenIndexItsRangeAndTheCandidates() throws Exception {
        ok(send("POST", "/db/_index", "{\"index\":{\"fields\":[\"age\"]},\"ddoc\":\"p\",\"name\":\"age\"}"));
        JsonNode explain = ok(send("POST", "/db/_explain", "{\"selector\":{\"age\":{\"$gte\":30,\"$lt\":40}},\"limit\":10}"));
        assertEquals("db", explain.get("dbname").asText());
        assertEquals("age", explain.at("/index/name").asText());
        assertEquals(Json.parse("[30]"), explain.at("/mrargs/start_key"));
        assertEquals(Json.parse("[40]"), explain.at("/mrargs/end_key"));
        assertEquals(10, explain.get("limit").asInt());
        assertEquals("all_fields", explain.get("fields").asText());
        assertEquals("index_scan", explain.at("/arbor/strategy").asText());
        assertEquals("chosen", explain.at("/index_candidates/0/analysis/reasons/0/name").asText());
        assertEquals("_all_docs", explain.at("/index_candidates/1/index/name").asText());
    }

    @Test
    void malformedRequestsGetCouchDbsErrors() throws Exception {
        assertError(send("POST", "/db/_find", "{}"), 400, "missing_required_key", "Missing required key: selector");
        assertError(send("POST", "/db/_find", "{\"selector\":[]}"), 400, "invalid_selector_json", null);
        assertError(send("POST", "/db/_find", "{\"selector\":{},\"limit\":-1}"), 400, "invalid_non_neg_integer", null);
        assertError(send("POST", "/db/_find", "{\"selector\":{},\"bogus\":1}"), 400, "invalid_key", "Invalid key bogus for this request.");
        assertError(send("POST", "/db/_find", "{\"selector\":{\"a\":{\"$nope\":1}}}"), 400, "invalid_operator", null);
        assertError(send("POST", "/db/_find", "{\"selector\":{},\"sort\":{\"a\":\"asc\"}}"), 400, "invalid_sort_json", null);
        assertError(send("POST", "/db/_find", "{\"selector\":{},\"bookmark\":\"garbage!\"}"), 400, "invalid_bookmark", null);
        assertError(send("POST", "/db/_find", "not json"), 400, "bad_request", null);
        assertError(send("POST", "/db/_index", "{\"ddoc\":\"x\"}"), 400, "missing_required_key", "Missing required key: index");
        assertError(send("POST", "/db/_index", "{\"index\":{}}"), 400, "missing_required_key", "Missing required key: fields");
        assertError(send("POST", "/db/_index", "{\"index\":{\"fields\":[\"a\"]},\"type\":\"text\"}"), 400, "invalid_index", null);
        assertError(send("GET", "/db/_find", null), 405, "method_not_allowed", "Only POST allowed");
        assertError(send("POST", "/nodb/_find", "{\"selector\":{}}"), 404, "not_found", "Database does not exist.");
    }
}
