package dev.arbor.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.Arbor;
import dev.arbor.api.Storage;
import dev.arbor.core.json.Json;
import dev.arbor.server.ArborServer;
import dev.arbor.server.ServerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Per-document read access over real HTTP, proved by comparison: a user given the documents whose ids start with
 * {@code a:} (and the design document) reads database {@code shared}, which also holds others' documents, and every
 * answer must equal what an admin reads from {@code mirror}, a database holding only the documents that user may
 * see, written the same way. Only sequence values differ between two databases, so they are left out of the
 * comparison; counts, offsets, rows, errors and bodies are compared whole.
 */
class PerDocumentAccessHttpTest {
    private static final String ADMIN = basic("root", "rootpw");
    private static final String ALICE = basic("alice", "wonder");

    @TempDir
    Path dir;
    private ArborServer server;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private record Reply(int status, String body) {
        JsonNode json() {
            return Json.parse(body);
        }
    }

    private static String basic(String name, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((name + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @BeforeEach
    void start() throws Exception {
        Files.writeString(dir.resolve("arbor.ini"), "[chttpd_auth]\niterations = 1000\n");
        Storage storage = Arbor.storage(dir);
        ServerAuth auth = ServerAuth.open(dir, storage, "root:rootpw");
        server = ArborServer.builder(ServerConfig.defaults(dir).withPort(0).withAccessLog(false), auth.guard(storage))
                .accessControl(auth)
                .extension(auth.sessionEndpoints())
                .start();
        admin("PUT", "/_permissions", null, 201);
        admin("PUT", "/_permissions/group:a-docs", """
                {"statements": [{"resources": [["arbor", "database", "shared", "document", {"prefix": "a:"}],
                                               ["arbor", "database", "shared", "document", "_design/v"]],
                                 "actions": ["database.read_document", "database.write_document", "database.read_changes",
                                             "database.query_view", "database.query_index"]}]}""", 201);
        admin("PUT", "/_permissions/group:parts-a", """
                {"statements": [{"resources": [["arbor", "database", "parts", "document", {"prefix": "a:"}]],
                                 "actions": ["database.read_document", "database.query_index"]}]}""", 201);
        admin("PUT", "/_users/org.couchdb.user:alice", "{\"name\":\"alice\",\"type\":\"user\",\"roles\":[],"
                + "\"groups\":[\"a-docs\",\"parts-a\"],\"password\":\"wonder\"}", 201);
        admin("PUT", "/shared", null, 201);
        admin("PUT", "/mirror", null, 201);
        // The same visible history in both, others' writes interleaved in shared only.
        String design = """
                {"views": {"byN": {"map": "function (doc) { if (doc.n) emit(doc.n, doc.n); }"},
                           "count": {"map": "function (doc) { if (doc.n) emit(doc.n, 1); }", "reduce": "_count"},
                           "sum": {"map": "function (doc) { if (doc.n) emit(doc.n % 2, doc.n); }",
                                   "reduce": "function (keys, values) { return sum(values); }"}}}""";
        both("PUT", "/_design/v", design);
        admin("PUT", "/shared/b:1", "{\"n\":10}", 201);
        both("PUT", "/a:1", "{\"n\":1}");
        admin("PUT", "/shared/c", "{\"n\":5}", 201);
        both("PUT", "/a:2", "{\"n\":2,\"_attachments\":{\"note.txt\":{\"content_type\":\"text/plain\",\"data\":\"aGk=\"}}}");
        admin("PUT", "/shared/b:2", "{\"n\":20,\"_attachments\":{\"note.txt\":{\"content_type\":\"text/plain\",\"data\":\"aGk=\"}}}", 201);
        String rev3 = both("PUT", "/a:3", "{\"n\":3}");
        both("DELETE", "/a:3?rev=" + rev3, null);
        String revB3 = admin("PUT", "/shared/b:3", "{\"n\":30}", 201).json().path("rev").asText();
        admin("DELETE", "/shared/b:3?rev=" + revB3, null, 200);
        both("PUT", "/a:4", "{\"n\":4}");
        admin("PUT", "/shared/zz", "{\"n\":40}", 201);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void everyReadAnswersAsADatabaseHoldingOnlyTheVisibleDocuments() throws Exception {
        List<String> reads = List.of(
                "GET /",
                "GET /_all_docs",
                "GET /_all_docs?include_docs=true",
                "GET /_all_docs?descending=true",
                "GET /_all_docs?startkey=\"a:2\"",
                "GET /_all_docs?startkey=\"a:4\"&descending=true&limit=2",
                "GET /_all_docs?skip=1&limit=2",
                "GET /_all_docs?key=\"b:1\"",
                "GET /_all_docs?endkey=\"b\"&inclusive_end=false",
                "POST /_all_docs {\"keys\":[\"a:1\",\"b:1\",\"a:3\",\"nothing\"]}",
                "GET /a:1",
                "GET /a:1?revs_info=true",
                "GET /b:1",
                "GET /nothing",
                "GET /a:3",
                "GET /b:1?open_revs=all",
                "GET /a:2/note.txt",
                "GET /b:2/note.txt",
                "POST /_bulk_get {\"docs\":[{\"id\":\"a:1\"},{\"id\":\"b:1\"},{\"id\":\"nothing\"},{\"id\":\"b:2\",\"rev\":\"1-x\"}]}",
                "POST /_revs_diff {\"b:1\":[\"1-abc\"],\"nothing\":[\"1-abc\"]}",
                "GET /_changes",
                "GET /_changes?include_docs=true",
                "GET /_changes?style=all_docs",
                "GET /_changes?limit=2",
                "GET /_changes?limit=0",
                "GET /_changes?descending=true&limit=2",
                "POST /_changes?filter=_doc_ids {\"doc_ids\":[\"a:1\",\"b:1\",\"nothing\"]}",
                "POST /_changes?filter=_selector {\"selector\":{\"n\":{\"$gt\":1}}}",
                "GET /_changes?feed=longpoll&since=0",
                "GET /_design_docs",
                "POST /_explain {\"selector\":{\"n\":{\"$gt\":0}}}",
                "GET /_index",
                "POST /_find {\"selector\":{\"n\":{\"$gt\":0}}}",
                "POST /_find {\"selector\":{\"n\":{\"$gt\":0}},\"limit\":2,\"skip\":1}",
                "POST /_find {\"selector\":{\"_id\":{\"$gt\":null}},\"fields\":[\"_id\",\"n\"]}",
                "GET /_design/v/_view/byN",
                "GET /_design/v/_view/byN?include_docs=true",
                "GET /_design/v/_view/byN?skip=1&limit=2",
                "GET /_design/v/_view/byN?descending=true&startkey=3",
                "GET /_design/v/_view/byN?key=10",
                "GET /_design/v/_view/count?reduce=false",
                "GET /_design/v/_view/count",
                "GET /_design/v/_view/count?group=true",
                "GET /_design/v/_view/count?startkey=2&endkey=10",
                "POST /_design/v/_view/count {\"keys\":[1,10,4]}",
                "GET /_design/v/_view/sum?group=true&descending=true&limit=2",
                "GET /_design/v/_view/sum");
        for (String read : reads) {
            Reply seen = asAlice("shared", read);
            Reply expected = asAdmin("mirror", read);
            assertEquals(expected.status(), seen.status(), read + ": " + seen.body());
            assertEquals(comparable(expected), comparable(seen), read);
        }
    }

    @Test
    void aPartitionGrantShowsThatPartitionOnly() throws Exception {
        admin("PUT", "/parts?partitioned=true", null, 201);
        admin("PUT", "/partsmirror?partitioned=true", null, 201);
        for (String db : List.of("/parts", "/partsmirror")) {
            admin("PUT", db + "/a:1", "{\"n\":1}", 201);
            admin("PUT", db + "/a:2", "{\"n\":2}", 201);
        }
        admin("PUT", "/parts/b:1", "{\"n\":10}", 201);
        admin("PUT", "/parts/b:2", "{\"n\":20}", 201);
        for (String read : List.of("GET /", "GET /_all_docs", "GET /_partition/a", "GET /_partition/a/_all_docs",
                "GET /_partition/b/_all_docs", "GET /_partition/b", "GET /b:1",
                "POST /_partition/a/_find {\"selector\":{\"n\":{\"$gt\":0}}}",
                "POST /_partition/b/_find {\"selector\":{\"n\":{\"$gt\":0}}}")) {
            Reply seen = asAlice("parts", read);
            Reply expected = asAdmin("partsmirror", read);
            assertEquals(expected.status(), seen.status(), read + ": " + seen.body());
            assertEquals(comparable(expected), comparable(seen), read);
        }
    }

    @Test
    void writesOutsideTheGrantAreForbiddenOneByOne() throws Exception {
        assertEquals(201, asAlice("shared", "PUT /a:9 {\"n\":9}").status());
        Reply refused = asAlice("shared", "PUT /b:9 {\"n\":9}");
        assertEquals(403, refused.status(), refused.body());
        Reply bulk = asAlice("shared", "POST /_bulk_docs {\"docs\":[{\"_id\":\"a:10\"},{\"_id\":\"b:10\"},{\"_id\":\"a:11\"}]}");
        assertEquals(201, bulk.status(), bulk.body());
        assertEquals(List.of("a:10", "b:10", "a:11"), ids(bulk.json()));
        assertTrue(bulk.json().get(0).has("rev"), bulk.body());
        assertEquals("forbidden", bulk.json().get(1).path("error").asText(), bulk.body());
        assertTrue(bulk.json().get(2).has("rev"), bulk.body());
        assertEquals(404, asAdmin("shared", "GET /b:10").status(), "the refused document was not written");
    }

    @Test
    void aLongpollFeedAnswersOnlyWhenAVisibleDocumentChanges() throws Exception {
        String since = asAlice("shared", "GET /_changes").json().path("last_seq").asText();
        CompletableFuture<HttpResponse<String>> poll = client.sendAsync(request("GET",
                "/shared/_changes?feed=longpoll&timeout=600000&since=" + since, null, ALICE), HttpResponse.BodyHandlers.ofString());
        admin("PUT", "/shared/b:5", "{\"n\":50}", 201);
        admin("PUT", "/shared/a:5", "{\"n\":5}", 201);
        HttpResponse<String> answer = poll.get();
        assertEquals(200, answer.statusCode());
        // Had the invisible write ended the poll, it would have answered with no row (or with b:5).
        assertEquals(List.of("a:5"), ids(Json.parse(answer.body()).path("results")));
    }

    @Test
    void replicatingAsTheUserCopiesExactlyTheVisibleDocuments() throws Exception {
        String source = server.uri().toString().replace("://", "://alice:wonder@") + "shared";
        Reply replicated = send("POST", "/_replicate", "{\"source\":\"" + source + "\",\"target\":\"copy\","
                + "\"create_target\":true}", ADMIN);
        assertEquals(200, replicated.status(), replicated.body());
        assertEquals(comparable(asAdmin("mirror", "GET /_all_docs?include_docs=true")),
                comparable(asAdmin("copy", "GET /_all_docs?include_docs=true")));
        assertEquals(comparable(asAdmin("mirror", "GET /_changes?style=all_docs")),
                comparable(asAdmin("copy", "GET /_changes?style=all_docs")));
    }

    @Test
    void replicatingIntoTheDatabaseAsTheUserWritesOnlyTheirDocumentsAndReportsTheRest() throws Exception {
        admin("PUT", "/outside", null, 201);
        admin("PUT", "/outside/a:50", "{\"n\":50}", 201);
        admin("PUT", "/outside/b:50", "{\"n\":50}", 201);
        String target = server.uri().toString().replace("://", "://alice:wonder@") + "shared";
        Reply replicated = send("POST", "/_replicate", "{\"source\":\"outside\",\"target\":\"" + target + "\"}", ADMIN);
        assertEquals(200, replicated.status(), replicated.body());
        JsonNode history = replicated.json().path("history").path(0);
        assertEquals(1, history.path("docs_written").asLong(), replicated.body());
        assertEquals(1, history.path("doc_write_failures").asLong(), replicated.body());
        assertEquals(200, asAdmin("shared", "GET /a:50").status());
        assertEquals(404, asAdmin("shared", "GET /b:50").status());
    }

    // ---- helpers

    private static List<String> ids(JsonNode rows) {
        List<String> ids = new java.util.ArrayList<>();
        rows.forEach(row -> ids.add(row.path("id").asText()));
        return ids;
    }

    /** The reply without the values that differ between any two databases: sequences and the database's name. */
    private static JsonNode comparable(Reply reply) {
        if (reply.body().isEmpty() || !(reply.body().startsWith("{") || reply.body().startsWith("["))) {
            return Json.MAPPER.getNodeFactory().textNode(reply.body());
        }
        JsonNode json = reply.json();
        strip(json);
        return json;
    }

    private static void strip(JsonNode node) {
        if (node instanceof ObjectNode object) {
            for (String field : List.of("seq", "last_seq", "update_seq", "db_name", "dbname", "instance_start_time",
                    "sizes", "_local_seq")) {
                object.remove(field);
            }
            for (Iterator<Map.Entry<String, JsonNode>> fields = object.fields(); fields.hasNext(); ) {
                strip(fields.next().getValue());
            }
        } else if (node instanceof ArrayNode array) {
            array.forEach(PerDocumentAccessHttpTest::strip);
        }
    }

    private Reply asAlice(String db, String read) throws Exception {
        return on(db, read, ALICE);
    }

    private Reply asAdmin(String db, String read) throws Exception {
        return on(db, read, ADMIN);
    }

    /** {@code "METHOD /path [json]"} against database {@code db}. */
    private Reply on(String db, String read, String authorization) throws Exception {
        int space = read.indexOf(' ');
        int body = read.indexOf(' ', space + 1);
        String method = read.substring(0, space);
        String path = body < 0 ? read.substring(space + 1) : read.substring(space + 1, body);
        String json = body < 0 ? null : read.substring(body + 1);
        return send(method, "/" + db + (path.equals("/") ? "" : path), json, authorization);
    }

    private String both(String method, String path, String json) throws Exception {
        String rev = null;
        for (String db : List.of("/shared", "/mirror")) {
            Reply reply = send(method, db + path, json, ADMIN);
            assertTrue(reply.status() == 200 || reply.status() == 201, db + path + ": " + reply.body());
            String written = reply.json().path("rev").asText();
            assertTrue(rev == null || rev.equals(written), "both databases got the same revision");
            rev = written;
        }
        return rev;
    }

    private Reply admin(String method, String path, String json, int status) throws Exception {
        Reply reply = send(method, path, json, ADMIN);
        assertEquals(status, reply.status(), method + " " + path + ": " + reply.body());
        return reply;
    }

    private HttpRequest request(String method, String path, String json, String authorization) {
        String encoded = path.replace("\"", "%22").replace("[", "%5B").replace("]", "%5D");
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(server.uri() + encoded.substring(1)))
                .timeout(Duration.ofSeconds(60)).header("Authorization", authorization);
        if (json != null) {
            builder.header("Content-Type", "application/json");
        }
        return builder.method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json)).build();
    }

    private Reply send(String method, String path, String json, String authorization) throws Exception {
        HttpResponse<String> response = client.send(request(method, path, json, authorization), HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), response.body());
    }
}
