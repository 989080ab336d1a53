package dev.arbor.bench.run;

import dev.arbor.bench.data.Scale;
import dev.arbor.bench.report.ResultRow;
import dev.arbor.bench.system.SystemId;
import dev.arbor.bench.workload.Metric;
import dev.arbor.bench.workload.ReplicationDirection;
import dev.arbor.bench.workload.Status;
import dev.arbor.bench.workload.Workload;
import dev.arbor.testkit.CouchDbPeer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * W11 through the whole harness on a tiny data set, against a real CouchDB 3.5 and Arbor's server in a forked JVM:
 * every direction replicates every doc, and the profile figures come with it.
 */
class CouchDbReplicationTest {

    @Test
    void everyDirectionReplicatesEveryDocAndSaysWhatItCost(@TempDir Path cache) throws Exception {
        assumeTrue(CouchDbPeer.available(), CouchDbPeer.unavailableReason());
        HarnessConfig config = new HarnessConfig(Scale.of(300), 100, 1, List.of(Workload.W11), List.of(SystemId.COUCHDB), cache,
                cache.resolve("work"), Duration.ofMillis(200), Duration.ofMinutes(3), List.of("-Xmx256m"),
                System.getProperty("java.class.path"), Duration.ofSeconds(2));
        Harness harness = new Harness(config, "test", "2024-06-01T00:00:00Z", new PrintStream(new ByteArrayOutputStream()));

        Map<Metric, ResultRow> rows = harness.run().rows().stream().collect(Collectors.toMap(ResultRow::metricEnum, Function.identity()));

        assertEquals(Metric.of(Workload.W11).size(), rows.size(), "every W11 figure is reported");
        for (ReplicationDirection d : ReplicationDirection.values()) {
            ResultRow rate = rows.get(d.rate);
            assertEquals(Status.OK, rate.status(), d + ": " + rate.note());
            assertEquals(300L, rate.count(), d + " leaves every doc in the target");
            assertTrue(rate.value() > 0, d + " has a rate");
            assertTrue(rows.get(d.couchDbCpu).value() > 0, d + ": CouchDB worked");
            assertTrue(rows.get(d.couchDbRequests).value() > 0, d + ": CouchDB served requests");
        }
        assertTrue(rows.get(ReplicationDirection.COUCHDB_TO_ARBOR_BY_ARBOR.arborCpu).value() > 0, "Arbor's replicator worked");
        String profile = Files.readString(cache.resolve("work").resolve("w11-profile.log"));
        assertTrue(profile.contains("timed-cc COUCHDB_TO_COUCHDB"), profile);
        assertFalse(Files.exists(cache.resolve("work").resolve("couchdb-run1")), "the measurement's directory is gone");
    }

    @Test
    void withoutThePeerEveryFigureIsNotApplicableNeverFailed() {
        List<dev.arbor.bench.workload.Measurement> absent = CouchDbReplication.peerAbsent();

        assertEquals(Metric.of(Workload.W11).size(), absent.size());
        assertTrue(absent.stream().allMatch(m -> m.status() == Status.NOT_APPLICABLE && m.note().contains("../shared/peers/couchdb")));
    }

    @Test
    void onlyTheCouchDbSystemRunsW11AndItRunsNothingElse() {
        for (SystemId s : SystemId.values()) {
            assertEquals(s == SystemId.COUCHDB, s.runs(Workload.W11), s.id);
        }
        assertTrue(Arrays.stream(Workload.values()).filter(w -> w != Workload.W11).noneMatch(SystemId.COUCHDB::runs));
        assertTrue(Workload.W11.runsByDefault());
        assertFalse(Workload.W11.isDocumentWorkload(), "W11 is not part of the in-process pass");
    }

    @Test
    void arborRequestsAreGroupedByTheEndpointTheyHit() {
        assertEquals("_bulk_docs", ArborRequestLog.endpoint("/tgt/_bulk_docs"));
        assertEquals("_local", ArborRequestLog.endpoint("/tgt/_local/abc%2Bcreate_target"));
        assertEquals("_changes", ArborRequestLog.endpoint("/src/_changes?feed=normal&style=all_docs"));
        assertEquals("db", ArborRequestLog.endpoint("/src/"));
        assertEquals("doc", ArborRequestLog.endpoint("/src/doc-000001"));
    }
}
