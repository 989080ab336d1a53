package dev.arbor.server.partition;

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
import java.util.ArrayList;
import java.util.List;

import static dev.arbor.server.JsonHttp.assertError;
import static dev.arbor.server.JsonHttp.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Partitioned databases over HTTP, with the status codes and error bodies of CouchDB's partition tests. */
class PartitionHttpTest {

    @TempDir
    Path dir;
    private ArborServer server;

    @BeforeEach
    void start() throws Exception {
        server = ArborServer.builder(ServerConfig.defaults(dir).withPort(0).withAccessLog(false),
                Arbor.storage(dir.resolve("data"))).start();
        assertEquals(201, send("PUT", "/pdb?partitioned=true", null).statusCode());
        HttpResponse<String> bulk = send("POST", "/pdb/_bulk_docs", """
                {"docs":[{"_id":"sensor-a:r1","v":3},{"_id":"sensor-a:r2","v":1},{"_id":"sensor-a:r3","v":2},
                         {"_id":"sensor-b:r1","v":5},{"_id":"sensor-ab:r1","v":2}]}""");
        assertEquals(201, bulk.statusCode(), bulk.body());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> send(String method, String path, String json) throws Exception {
        return JsonHttp.send(server, method, path, json);
    }


    private static List<String> ids(JsonNode rowsOrDocs, String idField) {
        List<String> ids = new ArrayList<>();
        rowsOrDocs.forEach(r -> ids.add(r.get(idField).asText()));
        return ids;
    }

    @Test
    void databaseInfoCarriesPartitionedProps() throws Exception {
        assertEquals(Json.parse("{\"partitioned\":true}"), ok(send("GET", "/pdb", null)).get("props"));
        assertEquals(201, send("PUT", "/plain", null).statusCode());
        assertEquals(Json.object(), ok(send("GET", "/plain", null)).get("props"));
    }

    @Test
    void badPartitionedParameterAndSystemDatabasesAreRefused() throws Exception {
        assertError(send("PUT", "/bad-db?partitioned=tru", null), 400, "bad_request", "Invalid `partitioned` parameter");
        HttpResponse<String> system = send("PUT", "/_replicator?partitioned=true", null);
        assertEquals(400, system.statusCode(), system.body());
        assertTrue(Json.parse(system.body()).get("reason").asText().contains("Cannot partition a system database"));
    }

    @Test
    void documentIdsNeedAPartitionWithCouchDbsErrors() throws Exception {
        assertError(send("PUT", "/pdb/not-partitioned", "{}"), 400, "illegal_docid", "Doc id must be of form partition:id");
        assertError(send("PUT", "/pdb/_bad:partitioned", "{}"), 400, "illegal_docid",
                "Only reserved document ids may start with underscore.");
        assertError(send("PUT", "/pdb/bad:", "{}"), 400, "illegal_docid", "Document id must not be empty");
        assertError(send("POST", "/pdb/_bulk_docs", "{\"docs\":[{\"_id\":\"foo1\"}]}"), 400, "illegal_docid",
                "Doc id must be of form partition:id");
        assertEquals(400, send("POST", "/pdb", "{\"_id\":\"not-partitioned-post\"}").statusCode());
        assertEquals(201, send("PUT", "/pdb/my-partition:doc", "{\"partitioned_doc\":true}").statusCode());
        assertEquals(201, send("PUT", "/pdb/_design/views", "{\"views\":{}}").statusCode());
    }

    @Test
    void bulkGetOfAnIdWithoutPartitionIsAnErrorEntry() throws Exception {
        JsonNode body = ok(send("POST", "/pdb/_bulk_get", "{\"docs\":[{\"id\":\"my-partition-post\"}]}"));
        JsonNode error = body.get("results").get(0).get("docs").get(0).get("error");
        assertEquals("illegal_docid", error.get("error").asText());
        assertEquals("Doc id must be of form partition:id", error.get("reason").asText());
        assertTrue(error.get("rev").isNull(), body.toString());
    }

    @Test
    void partitionInfoCountsThePartition() throws Exception {
        JsonNode info = ok(send("GET", "/pdb/_partition/sensor-a", null));
        assertEquals("pdb", info.get("db_name").asText());
        assertEquals("sensor-a", info.get("partition").asText());
        assertEquals(3, info.get("doc_count").asLong());
        assertEquals(0, info.get("doc_del_count").asLong());
        assertTrue(info.get("sizes").get("external").asLong() > 0);
        assertTrue(info.get("sizes").has("active"));
    }

    @Test
    void partitionRoutesAnswerCouchDbsErrors() throws Exception {
        assertEquals(400, send("GET", "/pdb/_partition", null).statusCode());
        assertError(send("GET", "/pdb/_partition/_bad", null), 400, "illegal_partition",
                "Partition must not start with an underscore");
        assertError(send("POST", "/pdb/_partition/_bad", "{}"), 400, "illegal_partition",
                "Partition must not start with an underscore");
        assertEquals(405, send("POST", "/pdb/_partition/sensor-a", "{}").statusCode());
        assertEquals(404, send("GET", "/pdb/_partition/sensor-a/_nothing", null).statusCode());
        assertEquals(405, send("GET", "/pdb/_partition/sensor-a/_find", null).statusCode());
        assertEquals(201, send("PUT", "/plain", null).statusCode());
        assertError(send("GET", "/plain/_partition/p", null), 400, "bad_request", "database is not partitioned");
        assertError(send("GET", "/plain/_partition/p/_all_docs", null), 400, "bad_request", "database is not partitioned");
        assertEquals(404, send("GET", "/missing/_partition/p", null).statusCode());
    }

    @Test
    void partitionAllDocsListsOnlyThePartition() throws Exception {
        JsonNode all = ok(send("GET", "/pdb/_partition/sensor-a/_all_docs", null));
        assertEquals(List.of("sensor-a:r1", "sensor-a:r2", "sensor-a:r3"), ids(all.get("rows"), "id"));
        assertEquals(3, all.get("total_rows").asLong());
        JsonNode page = ok(send("GET", "/pdb/_partition/sensor-a/_all_docs?startkey=%22sensor-a:r2%22&include_docs=true", null));
        assertEquals(1, page.get("offset").asLong());
        assertEquals(1, page.get("rows").get(0).get("doc").get("v").asInt());
        JsonNode keys = ok(send("POST", "/pdb/_partition/sensor-a/_all_docs", "{\"keys\":[\"sensor-a:r3\",\"sensor-b:r1\"]}"));
        assertEquals("sensor-a:r3", keys.get("rows").get(0).get("id").asText());
        assertEquals("not_found", keys.get("rows").get(1).get("error").asText());
    }

    @Test
    void partitionFindAndExplainUseAPartitionedIndex() throws Exception {
        JsonNode created = ok(send("POST", "/pdb/_index", "{\"index\":{\"fields\":[\"v\"]},\"ddoc\":\"by-v\",\"name\":\"v\"}"));
        assertEquals("created", created.get("result").asText());
        JsonNode listed = ok(send("GET", "/pdb/_index", null)).get("indexes").get(1);
        assertTrue(listed.get("partitioned").asBoolean());

        String query = "{\"selector\":{\"v\":{\"$gte\":2}},\"sort\":[\"v\"]}";
        JsonNode found = ok(send("POST", "/pdb/_partition/sensor-a/_find", query));
        assertEquals(List.of("sensor-a:r3", "sensor-a:r1"), ids(found.get("docs"), "_id"));
        JsonNode explain = ok(send("POST", "/pdb/_partition/sensor-a/_explain", query));
        assertEquals("v", explain.get("index").get("name").asText());
        assertTrue(explain.get("partitioned").asBoolean());

        JsonNode global = ok(send("POST", "/pdb/_find", "{\"selector\":{\"v\":{\"$gte\":2}}}"));
        assertEquals(4, global.get("docs").size(), "a global query sees every partition");
        assertEquals("_all_docs", ok(send("POST", "/pdb/_explain", "{\"selector\":{\"v\":{\"$gte\":2}}}"))
                .get("index").get("name").asText(), "and never a partitioned index");
    }

    @Test
    void partitionedIndexOnAPlainDatabaseIsRefused() throws Exception {
        assertEquals(201, send("PUT", "/plain", null).statusCode());
        HttpResponse<String> refused = send("POST", "/plain/_index", "{\"index\":{\"fields\":[\"v\"]},\"partitioned\":true}");
        assertEquals(400, refused.statusCode(), refused.body());
        assertEquals("invalid_partitioned_option", Json.parse(refused.body()).get("error").asText());
        JsonNode global = ok(send("POST", "/plain/_index", "{\"index\":{\"fields\":[\"v\"]},\"partitioned\":false}"));
        assertFalse(global.get("id").asText().isEmpty());
    }

    @Test
    void partitionViewAnswersGetAndPostFromThatPartitionAndRefusesTheGlobalQuery() throws Exception {
        assertEquals(201, send("PUT", "/pdb/_design/by-v", """
                {"views":{"v":{"map":"function(doc){ emit(doc.v, null); }","reduce":"_count"}}}""").statusCode());
        JsonNode rows = ok(send("GET", "/pdb/_partition/sensor-a/_design/by-v/_view/v?reduce=false&startkey=2", null));
        assertEquals(List.of("sensor-a:r3", "sensor-a:r1"), ids(rows.get("rows"), "id"));
        assertEquals(3, rows.get("total_rows").asLong());
        assertEquals(1, rows.get("offset").asLong());
        JsonNode counted = ok(send("POST", "/pdb/_partition/sensor-b/_design/by-v/_view/v", "{}"));
        assertEquals(1, counted.get("rows").get(0).get("value").asLong());
        assertError(send("GET", "/pdb/_design/by-v/_view/v", null), 400, "query_parse_error",
                "`partition` parameter is mandatory for queries to this view.");
        assertEquals(201, send("PUT", "/pdb/_design/global", """
                {"options":{"partitioned":false},"views":{"v":{"map":"function(doc){ emit(doc.v, null); }"}}}""")
                .statusCode());
        assertError(send("GET", "/pdb/_partition/sensor-a/_design/global/_view/v", null), 400, "query_parse_error",
                "`partition` parameter is not supported in this design doc");
        assertEquals(5, ok(send("GET", "/pdb/_design/global/_view/v", null)).get("total_rows").asLong());
    }
}
