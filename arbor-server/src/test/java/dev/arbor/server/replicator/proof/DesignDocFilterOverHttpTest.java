package dev.arbor.server.replicator.proof;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.Arbor;
import dev.arbor.api.AllDocsOptions;
import dev.arbor.api.AllDocsRow;
import dev.arbor.api.Database;
import dev.arbor.api.Storage;
import dev.arbor.client.RemoteOptions;
import dev.arbor.client.RemoteStorage;
import dev.arbor.core.json.Json;
import dev.arbor.replication.ReplicationOptions;
import dev.arbor.replication.ReplicationResult;
import dev.arbor.replication.Replicator;
import dev.arbor.server.ArborServer;
import dev.arbor.server.ServerConfig;
import dev.arbor.server.peer.NodePeers;
import dev.arbor.server.peer.PouchDbServerPeer;
import dev.arbor.server.peer.ServerUnderTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * Design-doc filters with {@code req.query} across HTTP: the source server runs the filter on its
 * {@code _changes} (the remote client sends {@code filter=} and the query params), whether the replication
 * runs in this JVM or in Arbor's server ({@code POST /_replicate} with {@code filter} and
 * {@code query_params}), and whether the source is Arbor's server or pouchdb-server.
 */
class DesignDocFilterOverHttpTest {
    private static final String BY_TYPE = "function(doc, req) { return doc.type === req.query.type; }";
    private static final List<String> TYPE_A = List.of("a-00", "a-03", "a-06", "a-09");

    @TempDir
    Path dir;

    @Test
    @Timeout(60)
    void anArborServerSourceFiltersForTheReplicatorHereAndForItsOwnReplicateEndpoint() throws Exception {
        Storage storage = Arbor.storage(dir.resolve("data"));
        try (ArborServer server = ArborServer.builder(ServerConfig.defaults(dir.resolve("data")).withPort(0).withAccessLog(false), storage).start();
             RemoteStorage remote = new RemoteStorage(server.uri(), RemoteOptions.DEFAULT)) {
            Database source = remote.databaseOrCreate("source");
            seed(source);

            Database here = storage.databaseOrCreate("pulled-here");
            ReplicationResult pulled = Replicator.replicate(source, here, typeA());
            assertEquals(ReplicationResult.Status.COMPLETE, pulled.status(), pulled.errors().toString());
            assertEquals(TYPE_A, ids(here));

            HttpClient http = HttpClient.newHttpClient();
            String body = "{\"source\":\"" + server.uri() + "source\",\"target\":\"by-server\",\"create_target\":true,"
                    + "\"filter\":\"app/byType\",\"query_params\":{\"type\":\"a\"}}";
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(server.uri() + "_replicate"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
            assertEquals(TYPE_A, ids(storage.database("by-server")));

            // Editing the filter: the server's next run has another replication id, so it starts from 0.
            ObjectNode ddoc = source.get("_design/app");
            ((ObjectNode) ddoc.get("filters")).put("byType", "function(doc, req) { return doc.type !== req.query.type; }");
            source.put(ddoc);
            HttpResponse<String> again = http.send(HttpRequest.newBuilder(URI.create(server.uri() + "_replicate"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, again.statusCode(), again.body());
            JsonNode first = Json.parse(response.body());
            JsonNode second = Json.parse(again.body());
            assertNotEquals(first.path("_local_id").asText(), second.path("_local_id").asText());
            assertEquals(9, second.path("docs_written").asLong(), "the eight b and c docs, and the design doc itself");
        }
    }

    @Test
    @Timeout(180)
    void aPouchDbServerSourceRunsTheDesignDocFilterWithReqQuery() throws Exception {
        try (NodePeers peers = NodePeers.install();
             Storage local = Arbor.storage(dir.resolve("arbor"))) {
            ServerUnderTest pouch = PouchDbServerPeer.start(peers, dir.resolve("pouchdb-server"));
            try (RemoteStorage remote = new RemoteStorage(URI.create(pouch.url() + "/"), RemoteOptions.DEFAULT)) {
                Database source = remote.databaseOrCreate("filtered-source");
                seed(source);
                Database target = local.databaseOrCreate("filtered-target");
                ReplicationResult result = Replicator.replicate(source, target, typeA());
                assertEquals(ReplicationResult.Status.COMPLETE, result.status(), result.errors().toString());
                assertEquals(TYPE_A, ids(target));
                assertEquals(4, result.docsWritten());
            }
        }
    }

    private static ReplicationOptions typeA() {
        return ReplicationOptions.DEFAULT.filter("app/byType").queryParams(Map.of("type", "a"));
    }

    /** {@code _design/app} with the filter, and docs {@code a-00, b-01, c-02, a-03, ...} whose type cycles a, b, c. */
    private static void seed(Database db) {
        ObjectNode ddoc = Json.object().put("_id", "_design/app");
        ddoc.putObject("filters").put("byType", BY_TYPE);
        db.put(ddoc);
        for (int i = 0; i < 12; i++) {
            String type = String.valueOf((char) ('a' + i % 3));
            db.put(Json.object().put("_id", type + "-" + String.format("%02d", i)).put("type", type));
        }
    }

    private static List<String> ids(Database db) {
        return db.allDocs(AllDocsOptions.DEFAULT).rows().stream().map(AllDocsRow::id).toList();
    }
}
