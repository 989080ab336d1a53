package dev.arbor.server.peer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The peer scenarios against pouchdb-server, a CouchDB-compatible server from the PouchDB project:
 * this keeps the scripts honest. A check that passes here and fails against Arbor points at Arbor; a
 * check that fails here is a wrong script (or one of pouchdb-server's few documented departures from
 * CouchDB, which the scripts guard with {@code couchdbStrict()}).
 */
class PeerScriptsAgainstPouchDbServerTest {
    @TempDir
    static Path dir;
    static NodePeers peers;
    static ServerUnderTest server;

    @BeforeAll
    static void startPouchDbServer() {
        peers = NodePeers.install();
        server = PouchDbServerPeer.start(peers, dir.resolve("pouchdb-server"));
    }

    @AfterAll
    static void stop() {
        if (peers != null) {
            peers.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"pouchdb-basic.js", "pouchdb-replication.js", "nano-basic.js"})
    void everyScenarioStepPassesAgainstPouchDbServer(String script) {
        ScenarioReport report = peers.runScenario(script, server, dir.resolve("run-" + script), Duration.ofMinutes(10)); // only ends a hung script
        assertFalse(report.steps().isEmpty(), report::describe);
        assertTrue(report.ok(), report::describe);
    }
}
