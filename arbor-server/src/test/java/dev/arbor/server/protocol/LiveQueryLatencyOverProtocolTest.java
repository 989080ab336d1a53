package dev.arbor.server.protocol;

import dev.arbor.api.Database;
import dev.arbor.api.contract.LiveQueryLatency;
import dev.arbor.client.protocol.ProtocolConnection;
import dev.arbor.client.protocol.ProtocolStorage;
import dev.arbor.server.contract.LoopbackServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Reports commit-to-delta delay of a live query over WebSocket on a loopback server, the write made over the same
 * protocol (a measurement: it prints the figures and asserts only that every write's delta arrived).
 */
class LiveQueryLatencyOverProtocolTest {
    @RegisterExtension
    static final LoopbackServer server = new LoopbackServer();

    @Test
    void everyWriteReachesTheSubscriberAndTheDelayIsReported() throws Exception {
        URI ws = URI.create("ws://127.0.0.1:" + server.uri().getPort() + "/");
        try (ProtocolStorage storage = new ProtocolStorage(ProtocolConnection.open(ws, Duration.ofSeconds(30)))) {
            Database db = storage.databaseOrCreate("latency");
            LiveQueryLatency.Figures figures = LiveQueryLatency.measure(db, db, 200, 2000);
            System.out.println("live query, over ws://: " + figures);
            assertEquals(2000, figures.samples());
        }
    }
}
