package dev.arbor.server.peer;

import dev.arbor.Arbor;
import dev.arbor.server.ArborServer;
import dev.arbor.server.ServerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Real CouchDB clients against Arbor's server: PouchDB 9 (documents, changes one-shot and live,
 * attachments, replication and sync both ways with conflicts) and nano, each a Node process started
 * here against the server running in this JVM on an ephemeral loopback port over a RocksDB storage in
 * a temp directory. A failure shows the failing step, its assertion and its HTTP exchanges.
 */
class PeerScriptsAgainstArborServerTest {
    @TempDir
    static Path dir;
    static NodePeers peers;
    static ArborServer arbor;
    static ServerUnderTest server;

    @BeforeAll
    static void startArborServer() throws Exception {
        peers = NodePeers.install();
        ServerConfig config = ServerConfig.defaults(dir.resolve("arbor-data")).withPort(0).withAccessLog(false);
        arbor = ArborServer.builder(config, Arbor.storage(config.dataDir())).start();
        server = new ServerUnderTest("arbor", "http://127.0.0.1:" + arbor.port(), null, null);
    }

    @AfterAll
    static void stop() {
        if (peers != null) {
            peers.close();
        }
        if (arbor != null) {
            arbor.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"pouchdb-basic.js", "pouchdb-replication.js", "nano-basic.js"})
    void everyScenarioStepPassesAgainstArborServer(String script) {
        ScenarioReport report = peers.runScenario(script, server, dir.resolve("run-" + script), Duration.ofMinutes(10)); // only ends a hung script
        assertFalse(report.steps().isEmpty(), report::describe);
        assertEquals(0, report.skipped().size(), "no step is skipped against Arbor, which claims CouchDB's semantics");
        assertTrue(report.ok(), report::describe);
    }
}
