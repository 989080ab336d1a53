package dev.arbor.bench.report;

import dev.arbor.bench.workload.Metric;
import dev.arbor.bench.workload.Status;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The runs of one figure of one system folded into what the report prints: the median with min and
 * max when any run measured it, otherwise why none did.
 */
public record Summary(Metric metric, String system, List<Double> values, int runs, Status missingStatus, String missingNote) {

    public static Summary of(Metric metric, String system, List<ResultRow> rows) {
        List<Double> values = rows.stream().filter(r -> r.status() == Status.OK && r.value() != null)
                .map(ResultRow::value).sorted().toList();
        ResultRow firstMissing = rows.stream().filter(r -> r.status() != Status.OK)
                .max(Comparator.comparing(ResultRow::status)).orElse(null);
        return new Summary(metric, system, values, rows.size(),
                firstMissing == null ? null : firstMissing.status(), firstMissing == null ? null : firstMissing.note());
    }

    public boolean measured() {
        return !values.isEmpty();
    }

    public double median() {
        int n = values.size();
        return n % 2 == 1 ? values.get(n / 2) : (values.get(n / 2 - 1) + values.get(n / 2)) / 2;
    }

    public double min() {
        return values.get(0);
    }

    public double max() {
        return values.get(values.size() - 1);
    }

    /** The median as the table prints it, or the reason there is none. */
    public String medianText() {
        if (measured()) {
            String text = Format.number(median());
            return values.size() < runs ? text + " (" + values.size() + " of " + runs + " runs)" : text;
        }
        return statusText();
    }

    public String rangeText() {
        return measured() ? Format.number(min()) + " – " + Format.number(max()) : "";
    }

    public String statusText() {
        if (missingStatus == null) {
            return "—";
        }
        return switch (missingStatus) {
            case NOT_YET -> "not yet";
            case NOT_APPLICABLE -> "n/a";
            case FAILED -> "failed: " + Format.shorten(missingNote, 90);
            case OK -> "—";
        };
    }

    public static List<Summary> all(Metric metric, List<String> systems, List<ResultRow> rows) {
        List<Summary> out = new ArrayList<>();
        for (String system : systems) {
            List<ResultRow> mine = rows.stream()
                    .filter(r -> r.system().equals(system) && r.workload().equals(metric.workload.name()) && r.metric().equals(metric.key))
                    .toList();
            if (!mine.isEmpty()) {
                out.add(of(metric, system, mine));
            }
        }
        return out;
    }
}
