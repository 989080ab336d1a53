package dev.arbor.bench.report;

import dev.arbor.bench.workload.Metric;
import dev.arbor.bench.workload.Status;

/**
 * One line of docs/bench/results.jsonl: one figure of one system in one run.
 *
 * @param value  null unless {@code status} is OK
 * @param count  the operations the system reported doing (checked against what was asked), when counted
 */
public record ResultRow(String workload, String system, String metric, Double value, String unit, int run, int n,
                        String commit, String date, Status status, Long count, String note) {

    public Metric metricEnum() {
        return Metric.find(workload, metric);
    }
}
