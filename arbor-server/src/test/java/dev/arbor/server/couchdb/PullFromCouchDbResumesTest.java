package dev.arbor.server.couchdb;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.Arbor;
import dev.arbor.api.Database;
import dev.arbor.api.Seq;
import dev.arbor.api.Storage;
import dev.arbor.client.RemoteOptions;
import dev.arbor.client.RemoteStorage;
import dev.arbor.core.json.Json;
import dev.arbor.replication.ReplicationId;
import dev.arbor.replication.ReplicationOptions;
import dev.arbor.replication.ReplicationResult;
import dev.arbor.replication.Replicator;
import dev.arbor.testkit.CouchDbPeer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Arbor's replicator against a real CouchDB 3.5, both ways: its checkpoints are {@code _local} documents CouchDB
 * stores, a CouchDB source's opaque sequence is stored as it came and sent back as {@code since}, so a second run
 * reads only the new changes and a third reads none.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PullFromCouchDbResumesTest {
    private static final int FIRST = 30;
    private static final int MORE = 5;

    CouchDbDifferential both;
    CouchDbPeer couch;
    RemoteStorage remote;
    Storage local;

    @BeforeAll
    void start(@TempDir Path dir) {
        assumeTrue(CouchDbPeer.available(), CouchDbPeer.unavailableReason());
        both = CouchDbDifferential.start(dir.resolve("peers"));
        couch = both.couch();
        remote = new RemoteStorage(URI.create(couch.url() + "/"),
                RemoteOptions.DEFAULT.credentials(CouchDbPeer.ADMIN, CouchDbPeer.PASSWORD));
        local = Arbor.storage(dir.resolve("local"));
    }

    @AfterAll
    void stop() {
        if (local != null) local.close();
        if (remote != null) remote.close();
        if (both != null) both.close();
    }

    @Test
    void aPullFromCouchDbResumesFromTheOpaqueSequenceItCheckpointed() {
        couchDb("pull_src", 0, FIRST);
        Database source = remote.database("pull_src");
        Database target = local.createDatabase("pull_target");

        ReplicationResult first = Replicator.replicate(source, target, ReplicationOptions.DEFAULT);
        assertTrue(first.ok(), first.errors().toString());
        assertEquals(FIRST, first.docsWritten());
        Seq.Token checkpointed = assertInstanceOf(Seq.Token.class, first.lastSeq(), "CouchDB's sequence, kept as a string");
        assertTrue(checkpointed.text().startsWith(FIRST + "-"), checkpointed.text());

        String checkpointId = ReplicationId.of(source, target, ReplicationOptions.DEFAULT).checkpointDocId();
        JsonNode onCouchDb = json(couch.request("GET", "/pull_src/" + checkpointId, null));
        assertEquals(checkpointed.text(), onCouchDb.path("source_last_seq").textValue(),
                "stored on CouchDB as the opaque string CouchDB gave");
        assertEquals(checkpointed.text(), onCouchDb.path("history").path(0).path("recorded_seq").textValue());
        assertEquals(checkpointed.text(), target.getLocal(checkpointId).path("source_last_seq").textValue());

        couchDb("pull_src", FIRST, MORE);
        // A fresh client, as a restarted process has: nothing but the checkpoint knows where the first run ended.
        source = remote.database("pull_src");
        ReplicationResult second = Replicator.replicate(source, target, ReplicationOptions.DEFAULT);
        assertEquals(checkpointed, second.startSeq(), "resumed from the checkpoint");
        // CouchDB chose the rows: it answered only the changes after the since it was sent. (Its log is no witness:
        // it leaves out a _changes request whose client closed the connection before the answer's last chunk.)
        assertEquals(MORE, second.changesRead(), "only the changes after it were read");
        assertEquals(MORE, second.docsWritten());

        ReplicationResult third = Replicator.replicate(remote.database("pull_src"), target, ReplicationOptions.DEFAULT);
        assertEquals(second.lastSeq(), third.startSeq());
        assertEquals(0, third.changesRead());
        assertEquals(0, third.docsWritten());
        assertEquals(FIRST + MORE, target.info().docCount());
    }

    @Test
    void theServersReplicateEndpointResumesAPullFromCouchDb() {
        couchDb("served_src", 0, FIRST);
        String body = "{\"source\":\"" + couch.adminUrl() + "/served_src\",\"target\":\"served_target\",\"create_target\":true}";

        JsonNode first = json(both.arbor().request("POST", "/_replicate", body));
        assertEquals(FIRST, first.path("docs_written").asLong(), first.toString());
        String firstSeq = first.path("source_last_seq").textValue();
        assertTrue(firstSeq != null && firstSeq.startsWith(FIRST + "-"), first.toString());

        couchDb("served_src", FIRST, MORE);
        JsonNode second = json(both.arbor().request("POST", "/_replicate", body));
        assertEquals(MORE, second.path("docs_written").asLong(), second.toString());
        assertEquals(firstSeq, second.path("history").path(0).path("start_last_seq").textValue(), "resumed at the checkpoint");
        assertEquals(MORE, second.path("history").path(0).path("missing_checked").asLong(),
                "CouchDB answered only the changes after the checkpoint: " + second);

        JsonNode third = json(both.arbor().request("POST", "/_replicate", body));
        assertTrue(third.path("no_changes").asBoolean(), third.toString());
        assertEquals(0, third.path("docs_written").asLong());
        assertEquals(second.path("source_last_seq"), third.path("source_last_seq"));
        assertEquals(FIRST + MORE, json(both.arbor().request("GET", "/served_target", null)).path("doc_count").asLong());
    }

    @Test
    void aPushToCouchDbResumesFromItsCheckpointOnCouchDb() {
        Database source = local.createDatabase("push_src");
        for (int n = 0; n < FIRST; n++) source.put(Json.parseObject("{\"_id\":\"doc-" + n + "\",\"n\":" + n + "}"));
        couch.request("PUT", "/push_target", null);
        Database target = remote.database("push_target");

        ReplicationResult first = Replicator.replicate(source, target, ReplicationOptions.DEFAULT);
        assertTrue(first.ok(), first.errors().toString());
        assertEquals(FIRST, first.docsWritten());
        String checkpointId = ReplicationId.of(source, target, ReplicationOptions.DEFAULT).checkpointDocId();
        JsonNode onCouchDb = json(couch.request("GET", "/push_target/" + checkpointId, null));
        assertEquals(FIRST, onCouchDb.path("source_last_seq").asLong(), "Arbor's own sequence, a number: " + onCouchDb);
        assertTrue(onCouchDb.path("source_last_seq").isNumber());

        for (int n = FIRST; n < FIRST + MORE; n++) source.put(Json.parseObject("{\"_id\":\"doc-" + n + "\",\"n\":" + n + "}"));
        ReplicationResult second = Replicator.replicate(source, target, ReplicationOptions.DEFAULT);
        assertEquals(Seq.of(FIRST), second.startSeq(), "resumed from the checkpoint CouchDB kept");
        assertEquals(MORE, second.docsWritten());

        ReplicationResult third = Replicator.replicate(source, target, ReplicationOptions.DEFAULT);
        assertEquals(0, third.changesRead());
        assertEquals(0, third.docsWritten());
        assertEquals(FIRST + MORE, json(couch.request("GET", "/push_target", null)).path("doc_count").asLong());
    }

    @Test
    void aCheckpointThatKeptOnlyCouchDbsNumberIsGivenUpForARunFromTheStart() {
        couchDb("legacy_src", 0, FIRST);
        Database source = remote.database("legacy_src");
        Database target = local.createDatabase("legacy_target");
        assertEquals(FIRST, Replicator.replicate(source, target, ReplicationOptions.DEFAULT.useCheckpoints(false)).docsWritten());
        // What Arbor wrote before sequences were opaque: the number of CouchDB's sequence, on both sides.
        String checkpointId = ReplicationId.of(source, target, ReplicationOptions.DEFAULT).checkpointDocId();
        String legacy = "{\"_id\":\"" + checkpointId + "\",\"session_id\":\"old\",\"source_last_seq\":" + FIRST
                + ",\"history\":[{\"session_id\":\"old\",\"recorded_seq\":" + FIRST + "}]}";
        assertEquals(201, couch.request("PUT", "/legacy_src/" + checkpointId, legacy).status());
        target.putLocal(Json.parseObject(legacy));

        ReplicationResult resumed = Replicator.replicate(source, target, ReplicationOptions.DEFAULT);
        assertTrue(resumed.ok(), resumed.errors().toString());
        assertEquals(FIRST, resumed.changesRead(), "read again from the start");
        assertEquals(0, resumed.docsWritten(), "the target had every revision");
        assertTrue(json(couch.request("GET", "/legacy_src/" + checkpointId, null)).path("source_last_seq").isTextual(),
                "the new checkpoint holds CouchDB's token");
        assertEquals(0, Replicator.replicate(source, target, ReplicationOptions.DEFAULT).changesRead());
    }

    /** Writes {@code count} documents {@code doc-<n>} to a CouchDB database, creating it first. */
    private void couchDb(String db, int from, int count) {
        couch.request("PUT", "/" + db, null);
        StringBuilder docs = new StringBuilder("{\"docs\":[");
        for (int n = from; n < from + count; n++) {
            docs.append(n == from ? "" : ",").append("{\"_id\":\"doc-").append(n).append("\",\"n\":").append(n).append('}');
        }
        CouchDbPeer.Response written = couch.request("POST", "/" + db + "/_bulk_docs", docs.append("]}").toString());
        assertEquals(201, written.status(), written.body());
    }

    private static JsonNode json(CouchDbPeer.Response response) {
        assertTrue(response.status() < 300, response.status() + " " + response.body());
        return Json.parse(response.body());
    }
}
