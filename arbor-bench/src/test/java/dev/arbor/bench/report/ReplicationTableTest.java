package dev.arbor.bench.report;

import dev.arbor.bench.system.SystemId;
import dev.arbor.bench.workload.Metric;
import dev.arbor.bench.workload.ReplicationDirection;
import dev.arbor.bench.workload.Status;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplicationTableTest {
    private static final MarkdownReport.RunFacts FACTS = new MarkdownReport.RunFacts("2024-06-01T00:00:00Z", "abc123", 100000, 1,
            false, "N=100000, checked", "same pass on N=10000 first.", List.of("-Xmx2g"),
            new MachineInfo("cpu", 2, "24 GiB", "/dev/vda (ext4)", "Linux", "Java 25", "v20"));

    private static ResultRow row(Metric metric, Status status, Double value, String note) {
        return new ResultRow("W11", SystemId.COUCHDB.id, metric.key, value, metric.unit, 1, 100000, "abc123", "d", status,
                metric.counted && value != null ? 100000L : null, note);
    }

    @Test
    void eachDirectionIsSetBesideCouchDbReplicatingToItself() {
        List<ResultRow> rows = new ArrayList<>();
        rows.add(row(Metric.W11_CC_RATE, Status.OK, 1000.0, null));
        rows.add(row(Metric.W11_CC_COUCHDB_CPU, Status.OK, 512.0, null));
        rows.add(row(Metric.W11_CA_ARBOR_RATE, Status.OK, 1500.0, null));
        rows.add(row(Metric.W11_CA_ARBOR_ARBOR_CPU, Status.OK, 232.0, null));
        rows.add(row(Metric.W11_AC_COUCHDB_RATE, Status.FAILED, null, "CouchDB's _replicate answered 500 {\"error\":\"x\"}"));

        String md = MarkdownReport.section(FACTS, List.of(SystemId.COUCHDB), rows, Map.of(), "bench");

        assertTrue(md.contains("### " + ReplicationTable.TITLE), md);
        assertTrue(md.contains("| " + ReplicationDirection.COUCHDB_TO_COUCHDB.label() + " | 1,000 | 1,000 – 1,000 | 1 (anchor) | 512 |"), md);
        assertTrue(md.contains("| " + ReplicationDirection.COUCHDB_TO_ARBOR_BY_ARBOR.label() + " | 1,500 | 1,500 – 1,500 | 1.50× | — | 232 |"), md);
        assertTrue(md.contains("| " + ReplicationDirection.ARBOR_TO_COUCHDB_BY_COUCHDB.label() + " | failed: CouchDB's _replicate answered 500"), md);
    }

    @Test
    void withoutTheCouchDbPeerTheTableSaysWhyInsteadOfFailing() {
        String note = "no CouchDB peer here";
        List<ResultRow> rows = new ArrayList<>();
        for (ReplicationDirection d : ReplicationDirection.values()) {
            rows.add(row(d.rate, Status.NOT_APPLICABLE, null, note));
        }

        String md = MarkdownReport.section(FACTS, List.of(SystemId.COUCHDB), rows, Map.of(), "bench");

        assertTrue(md.contains("Not measured: " + note + "."), md);
        assertFalse(md.contains("| " + ReplicationDirection.COUCHDB_TO_COUCHDB.label()), md);
    }

    @Test
    void directionsNameWhoseReplicatorRuns() {
        assertTrue(ReplicationDirection.COUCHDB_TO_ARBOR_BY_COUCHDB.label().equals("CouchDB → Arbor, pushed by CouchDB's replicator"));
        assertTrue(ReplicationDirection.ARBOR_TO_COUCHDB_BY_COUCHDB.label().equals("Arbor → CouchDB, pulled by CouchDB's replicator"));
    }
}
