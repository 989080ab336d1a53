package dev.arbor.server.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.AllDocsOptions;
import dev.arbor.api.Database;
import dev.arbor.api.GetOptions;
import dev.arbor.client.protocol.ProtocolStorage;
import dev.arbor.core.json.Json;
import dev.arbor.replication.Replication;
import dev.arbor.replication.ReplicationOptions;
import dev.arbor.replication.ReplicationResult;
import dev.arbor.replication.Replicator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CouchDB's replication protocol between an in-process database and one reached over the Arbor protocol: the facets
 * it uses (the changes feed, revs_diff, bulk_get, attachments, _local checkpoints, commit pushes for a continuous
 * replication) work together across the WebSocket.
 */
class ReplicationOverProtocolTest {
    @RegisterExtension
    static final SecuredLoopbackServer server = new SecuredLoopbackServer();

    private static List<String> ids(Database db) {
        List<String> ids = new ArrayList<>();
        db.allDocs(AllDocsOptions.DEFAULT).rows().forEach(row -> ids.add(row.id()));
        return ids;
    }

    @Test
    void aReplicationToADatabaseOverTheProtocolCopiesEveryDocumentAndResumesFromItsCheckpoint() {
        Database source = server.storage().createDatabase("local-source");
        for (int i = 0; i < 120; i++) {
            source.put(Json.parseObject("{\"_id\":\"doc-" + String.format("%03d", i) + "\",\"n\":" + i + "}"));
        }
        String rev = source.get("doc-000").get("_rev").asText();
        source.putAttachment("doc-000", rev, "note.txt", "text/plain", new ByteArrayInputStream("attached".getBytes(StandardCharsets.UTF_8)));

        try (ProtocolStorage remote = server.connectAsAdmin()) {
            Database target = remote.createDatabase("remote-target");
            ReplicationResult first = Replicator.replicate(source, target, ReplicationOptions.DEFAULT);
            assertTrue(first.ok(), String.valueOf(first.errors()));
            assertEquals(120, first.docsWritten());
            assertEquals(ids(source), ids(target));
            ObjectNode copied = target.get("doc-000", GetOptions.DEFAULT);
            assertEquals(source.get("doc-000").get("_rev"), copied.get("_rev"));
            assertEquals("attached", new String(target.getAttachment("doc-000", "note.txt", null).readAllBytes(), StandardCharsets.UTF_8));

            source.put(Json.parseObject("{\"_id\":\"later\"}"));
            ReplicationResult second = Replicator.replicate(source, target, ReplicationOptions.DEFAULT);
            assertEquals(1, second.docsWritten(), "the second run starts from the checkpoint both sides keep in _local");
        }
    }

    @Test
    void aContinuousReplicationFromADatabaseOverTheProtocolFollowsItsCommits() throws Exception {
        Database target = server.storage().createDatabase("local-target");
        try (ProtocolStorage remote = server.connectAsAdmin()) {
            Database source = remote.createDatabase("remote-source");
            source.put(Json.parseObject("{\"_id\":\"first\"}"));
            Replication replication = Replicator.start(source, target, ReplicationOptions.DEFAULT.continuous(true), dev.arbor.replication.ReplicationListener.NONE);
            try {
                source.put(Json.parseObject("{\"_id\":\"pushed\"}"));
                long deadline = System.nanoTime() + 30_000_000_000L;
                while (!ids(target).contains("pushed") && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertEquals(List.of("first", "pushed"), ids(target));
            } finally {
                replication.cancel();
            }
        }
    }
}
