package dev.arbor.bench.report;

import dev.arbor.bench.workload.Metric;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.CategoryStyler;

import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One bar chart (PNG, drawn with XChart) per report table: the median of each system that measured
 * the table's headline figure, on a linear axis with the value written on each bar. Systems without
 * a figure are left out of the chart; the table says why.
 */
public final class Charts {
    private Charts() {}

    /** Draws the chart of each table that has a measured figure; returns file names by table. */
    public static Map<ReportTable, String> write(Path dir, List<String> systems, List<ResultRow> rows) {
        Map<ReportTable, String> drawn = new LinkedHashMap<>();
        for (ReportTable table : ReportTable.ALL) {
            Metric metric = table.headline();
            List<String> names = new ArrayList<>();
            List<Double> medians = new ArrayList<>();
            for (Summary s : Summary.all(metric, systems, rows)) {
                if (s.measured()) {
                    names.add(s.system());
                    medians.add(s.median());
                }
            }
            if (!names.isEmpty()) {
                drawn.put(table, draw(dir, table, names, medians));
            }
        }
        // W11: a bar per replication direction, all measured by the couchdb system.
        List<String> directions = new ArrayList<>();
        List<Double> rates = new ArrayList<>();
        for (dev.arbor.bench.workload.ReplicationDirection d : dev.arbor.bench.workload.ReplicationDirection.values()) {
            Summary.all(d.rate, List.of(dev.arbor.bench.system.SystemId.COUCHDB.id), rows).stream().filter(Summary::measured)
                    .findFirst().ifPresent(s -> {
                        directions.add(d.shortLabel());
                        rates.add(s.median());
                    });
        }
        if (!directions.isEmpty()) {
            drawn.put(ReportTable.W11, draw(dir, ReportTable.W11, directions, rates));
        }
        return drawn;
    }

    private static String draw(Path dir, ReportTable table, List<String> names, List<Double> medians) {
        Metric metric = table.headline();
        CategoryChart chart = new CategoryChartBuilder().width(800).height(420)
                .title(table.title() + " (" + (metric.higherIsBetter ? "higher" : "lower") + " is better)")
                .yAxisTitle(metric.unit).build();
        CategoryStyler styler = chart.getStyler();
        styler.setLegendVisible(false);
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setLabelsVisible(true);
        double smallest = medians.stream().mapToDouble(Double::doubleValue).min().orElse(0);
        styler.setDecimalPattern(smallest >= 100 ? "#,##0" : smallest >= 1 ? "#,##0.0" : "#,##0.#####");
        chart.getStyler().setSeriesColors(new Color[]{new Color(0x2E7D32)});
        chart.addSeries("median", names, medians);
        String file = table.workload().name().toLowerCase(java.util.Locale.ROOT) + "-"
                + (table == ReportTable.W11 ? "replication_docs_per_s" : metric.key) + ".png";
        try {
            Files.createDirectories(dir);
            BitmapEncoder.saveBitmap(chart, dir.resolve(file).toString(), BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }
}
