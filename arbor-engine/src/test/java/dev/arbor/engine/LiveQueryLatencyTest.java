package dev.arbor.engine;

import dev.arbor.Arbor;
import dev.arbor.api.Database;
import dev.arbor.api.contract.LiveQueryLatency;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Reports commit-to-delta delay of an embedded live query on RocksDB (a measurement: it prints the figures and
 * asserts only that every write's delta arrived).
 */
class LiveQueryLatencyTest {
    @Test
    void everyWriteReachesTheSubscriberAndTheDelayIsReported() throws Exception {
        Path dir = Files.createTempDirectory("arbor-live-latency");
        try (Database db = Arbor.open(dir.resolve("db"))) {
            LiveQueryLatency.Figures figures = LiveQueryLatency.measure(db, db, 200, 2000);
            System.out.println("live query, embedded (RocksDB): " + figures);
            assertEquals(2000, figures.samples());
        }
    }
}
