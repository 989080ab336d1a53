package dev.arbor.server.view;

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

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static dev.arbor.server.JsonHttp.assertError;
import static dev.arbor.server.JsonHttp.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code _view}, {@code /queries}, {@code _info} and {@code _view_cleanup} on a real server, with CouchDB's bodies. */
class ViewHttpTest {

    @TempDir
    Path dir;
    private ArborServer server;

    @BeforeEach
    void start() throws Exception {
        server = ArborServer.builder(ServerConfig.defaults(dir).withPort(0).withAccessLog(false),
                Arbor.storage(dir.resolve("data"))).start();
        assertEquals(201, send("PUT", "/db", null).statusCode());
        HttpResponse<String> bulk = send("POST", "/db/_bulk_docs", """
                {"docs":[{"_id":"a","city":"Oslo","age":31},{"_id":"b","city":"Rome","age":35},
                         {"_id":"c","city":"Oslo","age":42},{"_id":"d","city":"Lima","age":33},
                         {"_id":"_design/people","views":{
                            "by_city":{"map":"function(doc){ if (doc.city) emit([doc.city, doc.age], 1); }","reduce":"_count"},
                            "by_age":{"map":"function(doc){ if (doc.age) emit(doc.age, doc.city); }"}}}]}""");
        assertEquals(201, bulk.statusCode(), bulk.body());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> send(String method, String path, String json) throws Exception {
        return JsonHttp.send(server, method, path, json);
    }


    private static String q(String json) {
        return URLEncoder.encode(json, StandardCharsets.UTF_8);
    }

    @Test
    void getAnswersMapRowsWithTotalAndOffset() throws Exception {
        JsonNode body = ok(send("GET", "/db/_design/people/_view/by_age?startkey=" + q("33") + "&limit=2", null));
        assertEquals(Json.parse("""
                {"total_rows":4,"offset":1,"rows":[{"id":"d","key":33,"value":"Lima"},{"id":"b","key":35,"value":"Rome"}]}"""),
                body);
        JsonNode docs = ok(send("GET", "/db/_design/people/_view/by_age?key=31&include_docs=true&update_seq=true", null));
        assertEquals("Oslo", docs.get("rows").get(0).get("doc").get("city").asText());
        assertTrue(docs.get("update_seq").asLong() >= 5);
    }

    @Test
    void reduceAnswersGroupsWithoutTotals() throws Exception {
        JsonNode grouped = ok(send("GET", "/db/_design/people/_view/by_city?group_level=1", null));
        assertEquals(Json.parse("""
                {"rows":[{"key":["Lima"],"value":1},{"key":["Oslo"],"value":2},{"key":["Rome"],"value":1}]}"""), grouped);
        assertEquals(Json.parse("{\"rows\":[{\"key\":null,\"value\":4}]}"),
                ok(send("GET", "/db/_design/people/_view/by_city", null)));
        JsonNode rows = ok(send("GET", "/db/_design/people/_view/by_city?reduce=false&descending=true&limit=1", null));
        assertEquals("b", rows.get("rows").get(0).get("id").asText());
    }

    @Test
    void postTakesKeysAndParametersInTheBody() throws Exception {
        JsonNode body = ok(send("POST", "/db/_design/people/_view/by_age", "{\"keys\":[42,31,7]}"));
        assertEquals(2, body.get("rows").size());
        assertEquals("c", body.get("rows").get(0).get("id").asText());
        JsonNode grouped = ok(send("POST", "/db/_design/people/_view/by_city?group=true",
                "{\"keys\":[[\"Oslo\",42]]}"));
        assertEquals(Json.parse("{\"rows\":[{\"key\":[\"Oslo\",42],\"value\":1}]}"), grouped);
    }

    @Test
    void queriesAnswersEachQueryInTurn() throws Exception {
        JsonNode body = ok(send("POST", "/db/_design/people/_view/by_age/queries",
                "{\"queries\":[{\"keys\":[35]},{\"descending\":true,\"limit\":1}]}"));
        assertEquals(2, body.get("results").size());
        assertEquals("b", body.get("results").get(0).get("rows").get(0).get("id").asText());
        assertEquals("c", body.get("results").get(1).get("rows").get(0).get("id").asText());
        assertEquals(4, body.get("results").get(1).get("total_rows").asInt());
    }

    @Test
    void errorsHaveCouchDbsStatusAndBody() throws Exception {
        assertError(send("GET", "/db/_design/nope/_view/by_age", null), 404, "not_found", "missing");
        assertError(send("GET", "/db/_design/people/_view/nope", null), 404, "not_found", "missing_named_view");
        assertError(send("GET", "/db/_design/people/_view/by_age?group=true", null), 400, "query_parse_error",
                "Invalid use of grouping on a map view.");
        assertError(send("GET", "/db/_design/people/_view/by_age?limit=-1", null), 400, "query_parse_error",
                "`limit` must be a positive integer.");
        assertError(send("GET", "/db/_design/people/_view/by_age?descending=maybe", null), 400, "query_parse_error", null);
        assertError(send("GET", "/db/_design/people/_view/by_age?update=soon", null), 400, "query_parse_error",
                "Invalid value for `update`.");
        assertError(send("GET", "/db/_design/people/_view/by_age/queries", null), 405, "method_not_allowed", null);
    }

    @Test
    void infoDescribesTheIndexAndCleanupIsAccepted() throws Exception {
        ok(send("GET", "/db/_design/people/_view/by_age", null));
        JsonNode info = ok(send("GET", "/db/_design/people/_info", null));
        assertEquals("people", info.get("name").asText());
        assertEquals(32, info.get("view_index").get("signature").asText().length());
        assertEquals("javascript", info.get("view_index").get("language").asText());
        assertFalse(info.get("view_index").get("updater_running").asBoolean());
        assertTrue(info.get("view_index").get("sizes").get("active").asLong() > 0);
        HttpResponse<String> cleanup = send("POST", "/db/_view_cleanup", "{}");
        assertEquals(202, cleanup.statusCode(), cleanup.body());
        assertEquals(Json.parse("{\"ok\":true}"), Json.parse(cleanup.body()));
        assertEquals(4, ok(send("GET", "/db/_design/people/_view/by_age?update=false", null)).get("total_rows").asInt());
    }

    @Test
    void changesFeedsFilterByJavaScriptFunctionWithReqQueryAndByView() throws Exception {
        HttpResponse<String> put = send("PUT", "/db/_design/app", """
                {"filters":{"in_city":"function(doc, req){ return doc.city === req.query.city; }"},
                 "views":{"old":{"map":"function(doc){ if (doc.age > 34) emit(doc._id, null); }"}}}""");
        assertEquals(201, put.statusCode(), put.body());
        JsonNode oslo = ok(send("GET", "/db/_changes?filter=app/in_city&city=Oslo", null));
        assertEquals(List.of("a", "c"), changedIds(oslo));
        JsonNode old = ok(send("GET", "/db/_changes?filter=_view&view=app/old", null));
        assertEquals(List.of("b", "c"), changedIds(old));
    }

    private static List<String> changedIds(JsonNode changes) {
        List<String> ids = new java.util.ArrayList<>();
        changes.get("results").forEach(row -> ids.add(row.get("id").asText()));
        return ids;
    }
}
