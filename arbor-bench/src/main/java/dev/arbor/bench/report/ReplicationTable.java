package dev.arbor.bench.report;

import dev.arbor.bench.system.SystemId;
import dev.arbor.bench.workload.Metric;
import dev.arbor.bench.workload.ReplicationDirection;
import dev.arbor.bench.workload.Status;
import dev.arbor.bench.workload.Workload;

import java.util.ArrayList;
import java.util.List;

/**
 * W11's table: one row per replication direction, each rate set beside CouchDB replicating between two of its own
 * databases in the same run (the ratio), with the profile figures that say what bounded it. Unlike the other tables,
 * its rows are directions, not systems: every direction involves CouchDB, and all but the anchor Arbor too.
 */
final class ReplicationTable {
    static final String TITLE = "W11 — replication with Apache CouchDB 3.5";

    private ReplicationTable() {}

    /** Appends the table when the run has W11 rows; returns whether it did. */
    static boolean append(StringBuilder md, List<ResultRow> rows) {
        String system = SystemId.COUCHDB.id;
        if (Summary.all(ReplicationDirection.anchor().rate, List.of(system), rows).isEmpty()) {
            return false;
        }
        md.append("### ").append(TITLE).append("\n\n").append(Workload.W11.description).append(". docs/s, higher is better; ")
                .append("the time runs from the POST of a one-shot `_replicate` to its answer, into a fresh, empty target. ")
                .append("Ratio: that direction's median ÷ CouchDB → CouchDB's median, both from this run. CPU: what CouchDB's VM ")
                .append("(beam.smp) and Arbor's JVM spent during the replication, per 1,000 docs; machine busy: all processes, ")
                .append("% of all cores (near 100 %: the replication competed for CPU with whatever else ran).\n\n");
        Summary anchor = Summary.all(ReplicationDirection.anchor().rate, List.of(system), rows).get(0);
        List<String> header = List.of("direction", "median docs/s", "min – max", "÷ CouchDB → CouchDB",
                "CouchDB CPU ms / 1,000 docs", "Arbor CPU ms / 1,000 docs", "machine busy %", "CouchDB requests / 1,000 docs");
        md.append("| ").append(String.join(" | ", header)).append(" |\n|");
        header.forEach(h -> md.append("---|"));
        md.append('\n');
        List<String> notApplicable = new ArrayList<>();
        for (ReplicationDirection d : ReplicationDirection.values()) {
            Summary rate = Summary.all(d.rate, List.of(system), rows).stream().findFirst().orElse(null);
            if (rate == null) {
                continue;
            }
            if (!rate.measured() && rate.missingStatus() == Status.NOT_APPLICABLE) {
                notApplicable.add(rate.missingNote());
                continue;
            }
            List<String> cells = new ArrayList<>(List.of(d.label(), rate.medianText(), rate.rangeText(),
                    d == ReplicationDirection.anchor() ? "1 (anchor)"
                            : rate.measured() && anchor.measured() ? Format.ratio(rate.median() / anchor.median()) : "—"));
            for (Metric m : d.profile()) {
                List<Summary> s = Summary.all(m, List.of(system), rows);
                cells.add(s.isEmpty() || !s.get(0).measured() ? "—" : Format.number(s.get(0).median()));
            }
            md.append("| ").append(String.join(" | ", cells)).append(" |\n");
        }
        if (!notApplicable.isEmpty()) {
            md.append("\nNot measured: ").append(notApplicable.stream().distinct().reduce((a, b) -> a + "; " + b).orElse(""))
                    .append(".\n");
        }
        md.append('\n');
        return true;
    }
}
