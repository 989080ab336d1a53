package dev.arbor.server.replicator.proof;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.Arbor;
import dev.arbor.api.Database;
import dev.arbor.api.Storage;
import dev.arbor.core.json.Json;
import dev.arbor.server.ArborServer;
import dev.arbor.server.ServerConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Arbor ↔ Arbor over HTTP: two servers in this JVM, each on its own storage; every replication is a
 * {@code POST /_replicate} to server A with B's database as a URL, pushing (local → URL) and pulling
 * (URL → local), so the server's replicator, the remote client and the server's endpoints all take part.
 */
@Tag("slow")
class ArborOverHttpProofTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void tenThousandDocsWithConflictsOnBothSidesConvergeAndASecondRunTransfersNothing() throws Exception {
        Storage storageA = Arbor.storage(dir.resolve("a"));
        Storage storageB = Arbor.storage(dir.resolve("b"));
        try (ArborServer serverA = ArborServer.builder(config(dir.resolve("a")), storageA).start();
             ArborServer serverB = ArborServer.builder(config(dir.resolve("b")), storageB).start()) {
            Database a = storageA.databaseOrCreate("left");
            Database b = storageB.databaseOrCreate("right");
            String remote = serverB.uri() + "right";
            HttpClient http = HttpClient.newHttpClient();
            ReplicationProof.prove(a, b, push -> {
                String body = push ? "{\"source\":\"left\",\"target\":\"" + remote + "\"}"
                        : "{\"source\":\"" + remote + "\",\"target\":\"left\"}";
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(serverA.uri() + "_replicate"))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, response.statusCode(), response.body());
                JsonNode result = Json.parse(response.body());
                return new ReplicationProof.Run(result.path("docs_read").asLong(), result.path("docs_written").asLong());
            });
        }
    }

    private static ServerConfig config(Path data) {
        return ServerConfig.defaults(data).withPort(0).withAccessLog(false);
    }
}
