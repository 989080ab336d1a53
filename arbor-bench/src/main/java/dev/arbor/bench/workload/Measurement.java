package dev.arbor.bench.workload;

/**
 * One figure from one pass of one system: what a measuring process reports to the harness.
 *
 * @param value  null unless {@code status} is OK
 * @param count  operations done (documents written, docs read, rows listed) for counted metrics, else null
 * @param note   why a figure is missing, or how it was taken; may be null
 */
public record Measurement(Workload workload, Metric metric, Double value, Long count, Status status, String note) {

    public static Measurement ok(Metric metric, double value, Long count) {
        return new Measurement(metric.workload, metric, value, count, Status.OK, null);
    }

    public static Measurement missing(Metric metric, Status status, String note) {
        return new Measurement(metric.workload, metric, null, null, status, note);
    }

    public Measurement withStatus(Status status, String note) {
        return new Measurement(workload, metric, status == Status.OK ? value : null, count, status, note);
    }
}
