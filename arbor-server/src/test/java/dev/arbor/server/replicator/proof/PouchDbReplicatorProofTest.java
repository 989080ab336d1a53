package dev.arbor.server.replicator.proof;

import dev.arbor.Arbor;
import dev.arbor.server.ArborServer;
import dev.arbor.server.ServerConfig;
import dev.arbor.server.peer.NodePeers;
import dev.arbor.server.peer.PouchDbServerPeer;
import dev.arbor.server.peer.ScenarioReport;
import dev.arbor.server.peer.ServerUnderTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PouchDB's own replicator (PouchDB 9 in Node, an in-memory database) against Arbor's server, at
 * 10,000 documents with conflicts made on both sides ({@code src/test/node/pouchdb-replication-10k.js}).
 * The same script against pouchdb-server shows the script's checks hold for PouchDB's own server too.
 */
@Tag("slow")
class PouchDbReplicatorProofTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(660) // only ends a hung test
    void pouchDbReplicatingWithArborServerConverges() throws Exception {
        ServerConfig config = ServerConfig.defaults(dir.resolve("arbor")).withPort(0).withAccessLog(false);
        try (NodePeers peers = NodePeers.install();
             ArborServer arbor = ArborServer.builder(config, Arbor.storage(config.dataDir())).start()) {
            ServerUnderTest server = new ServerUnderTest("arbor", "http://127.0.0.1:" + arbor.port(), null, null);
            ScenarioReport report = peers.runScenario("pouchdb-replication-10k.js", server, dir.resolve("run"), Duration.ofMinutes(10));
            assertTrue(report.ok(), report::describe);
        }
    }

    @Test
    @Timeout(660) // only ends a hung test
    void theSameScriptPassesAgainstPouchDbServer() throws Exception {
        try (NodePeers peers = NodePeers.install()) {
            ServerUnderTest server = PouchDbServerPeer.start(peers, dir.resolve("pouchdb-server"));
            ScenarioReport report = peers.runScenario("pouchdb-replication-10k.js", server, dir.resolve("run"), Duration.ofMinutes(10));
            assertTrue(report.ok(), report::describe);
        }
    }
}
