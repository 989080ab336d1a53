package dev.arbor.bench.run;

import dev.arbor.bench.data.WorkloadData;
import dev.arbor.bench.system.CityGroups;
import dev.arbor.bench.system.DocumentStore;
import dev.arbor.bench.workload.Latencies;
import dev.arbor.bench.workload.Measurement;
import dev.arbor.bench.workload.Metric;
import dev.arbor.bench.workload.NotApplicable;
import dev.arbor.bench.workload.Status;
import dev.arbor.bench.workload.Workload;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One pass of the selected workloads over one fresh store, in the order of WORKLOAD.md: W1 loads
 * the data (run untimed when not selected, since the rest read it), then W2 in sequence, W3, W4,
 * W5, W6, W7, W8, W9, and last W2 with 16 concurrent writers, on ids {@code w2c-*}, so that the documents it adds
 * do not change what W5 and W6 list. bench.js runs the same pass in Node.
 *
 * <p>Inputs are prepared (parsed, or turned into bytes) before each clock starts; everything the
 * system does per call is inside it.
 */
public final class WorkloadPass<D> {
    public static final int BULK_SIZE = 1000;
    public static final int CONCURRENT_WRITERS = 16;

    private final DocumentStore<D> store;
    private final WorkloadData data;
    private final List<Workload> selected;
    private final List<Measurement> out = new ArrayList<>();

    public WorkloadPass(DocumentStore<D> store, WorkloadData data, List<Workload> selected) {
        this.store = store;
        this.data = data;
        this.selected = selected;
    }

    public List<Measurement> run() {
        List<D> docs = data.docs().stream().map(store::prepare).toList();
        Outcome load = attempt(Workload.W1, () -> w1(docs));
        if (selected.contains(Workload.W1) || load.status != Status.OK) {
            report(Metric.of(Workload.W1), load);
        }
        if (load.status != Status.OK) {
            for (Workload w : selected) {
                if (w != Workload.W1) {
                    report(Metric.of(w), new Outcome(load.status, List.of(), "needs W1's data loaded, which " + describe(load)));
                }
            }
            return List.copyOf(out);
        }
        if (selected.contains(Workload.W2)) {
            List<D> w2 = data.w2Docs().stream().map(store::prepare).toList();
            report(List.of(Metric.W2_RATE, Metric.W2_P50, Metric.W2_P99), attempt(Workload.W2, () -> w2Sequential(w2)));
        }
        if (selected.contains(Workload.W3)) {
            report(Metric.of(Workload.W3), attempt(Workload.W3, this::w3));
        }
        if (selected.contains(Workload.W4)) {
            report(Metric.of(Workload.W4), attempt(Workload.W4, this::w4));
        }
        if (selected.contains(Workload.W5)) {
            report(Metric.of(Workload.W5), attempt(Workload.W5, () -> timedScan(Metric.W5_TIME, store::scanAllDocs)));
        }
        if (selected.contains(Workload.W6)) {
            report(Metric.of(Workload.W6), attempt(Workload.W6, () -> timedScan(Metric.W6_TIME, store::changesSinceStart)));
        }
        if (selected.contains(Workload.W7)) {
            report(Metric.of(Workload.W7), attempt(Workload.W7, this::w7));
        }
        if (selected.contains(Workload.W8)) {
            report(W8_JAVASCRIPT.metrics(), attempt(Workload.W8, () -> w8(W8_JAVASCRIPT)));
            report(W8_JAVA.metrics(), attempt(Workload.W8, () -> w8(W8_JAVA)));
        }
        if (selected.contains(Workload.W9)) {
            report(Metric.of(Workload.W9), attempt(Workload.W9, this::w9));
        }
        if (selected.contains(Workload.W2)) {
            List<D> w2c = data.w2ConcurrentDocs().stream().map(store::prepare).toList();
            report(List.of(Metric.W2C_RATE, Metric.W2C_P50, Metric.W2C_P99), attempt(Workload.W2, () -> w2Concurrent(w2c)));
        }
        return List.copyOf(out);
    }

    private List<Measurement> w1(List<D> docs) {
        long accepted = 0;
        long start = System.nanoTime();
        for (int i = 0; i < docs.size(); i += BULK_SIZE) {
            accepted += store.bulkInsert(docs.subList(i, Math.min(docs.size(), i + BULK_SIZE)));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return List.of(Measurement.ok(Metric.W1_RATE, accepted / seconds, accepted));
    }

    private List<Measurement> w2Sequential(List<D> docs) {
        Latencies latencies = new Latencies(docs.size());
        long start = System.nanoTime();
        for (int i = 0; i < docs.size(); i++) {
            long t0 = System.nanoTime();
            store.insert(docs.get(i));
            latencies.record(i, System.nanoTime() - t0);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return List.of(Measurement.ok(Metric.W2_RATE, docs.size() / seconds, (long) docs.size()),
                Measurement.ok(Metric.W2_P50, latencies.percentileMillis(50), null),
                Measurement.ok(Metric.W2_P99, latencies.percentileMillis(99), null));
    }

    private List<Measurement> w2Concurrent(List<D> docs) throws Exception {
        Latencies latencies = new Latencies(docs.size());
        AtomicInteger next = new AtomicInteger();
        AtomicInteger written = new AtomicInteger();
        try (ExecutorService writers = Executors.newFixedThreadPool(CONCURRENT_WRITERS)) {
            List<Future<?>> running = new ArrayList<>();
            long start = System.nanoTime();
            for (int w = 0; w < CONCURRENT_WRITERS; w++) {
                running.add(writers.submit(() -> {
                    for (int i; (i = next.getAndIncrement()) < docs.size(); ) {
                        long t0 = System.nanoTime();
                        store.insert(docs.get(i));
                        latencies.record(i, System.nanoTime() - t0);
                        written.incrementAndGet();
                    }
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return List.of(Measurement.ok(Metric.W2C_RATE, written.get() / seconds, (long) written.get()),
                    Measurement.ok(Metric.W2C_P50, latencies.percentileMillis(50), null),
                    Measurement.ok(Metric.W2C_P99, latencies.percentileMillis(99), null));
        }
    }

    private List<Measurement> w3() {
        long found = 0;
        long start = System.nanoTime();
        for (String id : data.w3Ids()) {
            found += store.read(id) ? 1 : 0;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return List.of(Measurement.ok(Metric.W3_RATE, data.w3Ids().size() / seconds, found));
    }

    private List<Measurement> w4() {
        List<String> ids = data.w4Ids();
        long start = System.nanoTime();
        for (int i = 0; i < ids.size(); i++) {
            store.update(ids.get(i), i);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return List.of(Measurement.ok(Metric.W4_RATE, ids.size() / seconds, (long) ids.size()));
    }

    public static final int W7_RUNS = 20;
    public static final int W7_PAGE = 25;

    /**
     * Index build, then the query 20 times for all results and 20 times with limit 25. Every answer must hold
     * exactly the matching docs of the data loaded so far (W1, and W2's sequential docs when W2 ran), counted
     * from the data set itself: a system that answers faster by answering less fails.
     */
    private List<Measurement> w7() {
        long expected = usersInTheirThirties(data.docs()) + (selected.contains(Workload.W2) ? usersInTheirThirties(data.w2Docs()) : 0);
        long start = System.nanoTime();
        store.createAgeIndex();
        store.findUsersInTheirThirties(1);
        double buildSeconds = (System.nanoTime() - start) / 1e9;
        Latencies all = new Latencies(W7_RUNS);
        Latencies page = new Latencies(W7_RUNS);
        for (int run = 0; run < W7_RUNS; run++) {
            long t0 = System.nanoTime();
            long found = store.findUsersInTheirThirties(-1);
            long allNanos = System.nanoTime() - t0;
            all.record(run, allNanos);
            requireCount("all results", found, expected);
            t0 = System.nanoTime();
            found = store.findUsersInTheirThirties(W7_PAGE);
            long pageNanos = System.nanoTime() - t0;
            page.record(run, pageNanos);
            if (Boolean.getBoolean("w7.trace")) {
                System.err.printf("W7TRACE %d %.2f %.3f%n", run, allNanos / 1e6, pageNanos / 1e6);
            }
            requireCount("limit 25", found, Math.min(W7_PAGE, expected));
        }
        return List.of(Measurement.ok(Metric.W7_BUILD, buildSeconds, null),
                Measurement.ok(Metric.W7_ALL_P50, all.percentileMillis(50), expected),
                Measurement.ok(Metric.W7_ALL_P99, all.percentileMillis(99), null),
                Measurement.ok(Metric.W7_PAGE_P50, page.percentileMillis(50), (long) Math.min(W7_PAGE, expected)),
                Measurement.ok(Metric.W7_PAGE_P99, page.percentileMillis(99), null));
    }

    private static void requireCount(String what, long found, long expected) {
        if (found != expected) {
            throw new IllegalStateException("W7 " + what + " returned " + found + " docs, the data holds " + expected);
        }
    }

    /** The W7 selector, evaluated on the data set's JSON lines. */
    static long usersInTheirThirties(List<String> jsonLines) {
        long count = 0;
        for (String line : jsonLines) {
            com.fasterxml.jackson.databind.JsonNode doc = dev.arbor.core.json.Json.parse(line);
            com.fasterxml.jackson.databind.JsonNode age = doc.get("age");
            if (age != null && age.isNumber() && age.doubleValue() >= 30 && age.doubleValue() < 40
                    && "user".equals(doc.path("type").textValue())) {
                count++;
            }
        }
        return count;
    }

    public static final int W8_RUNS = 20;

    /** One arm of W8: the views written one way, and the figures they report. */
    private record W8Arm(String name, Metric build, Metric countP50, Metric countP99, Metric sumP50, Metric sumP99) {
        List<Metric> metrics() {
            return List.of(build, countP50, countP99, sumP50, sumP99);
        }
    }

    private static final W8Arm W8_JAVASCRIPT = new W8Arm("JavaScript", Metric.W8_BUILD_RATE, Metric.W8_COUNT_P50,
            Metric.W8_COUNT_P99, Metric.W8_SUM_P50, Metric.W8_SUM_P99);
    private static final W8Arm W8_JAVA = new W8Arm("Java", Metric.W8_JAVA_BUILD_RATE, Metric.W8_JAVA_COUNT_P50,
            Metric.W8_JAVA_COUNT_P99, Metric.W8_JAVA_SUM_P50, Metric.W8_JAVA_SUM_P99);

    /**
     * The first build of both views (defined, then each queried once), then each view's grouped query 20 times.
     * Every answer must hold one group per city of the data loaded so far and count every doc once.
     */
    private List<Measurement> w8(W8Arm arm) {
        boolean java = arm == W8_JAVA;
        List<String> loaded = new ArrayList<>(data.docs());
        if (selected.contains(Workload.W2)) {
            loaded.addAll(data.w2Docs());
        }
        CityGroups expected = new CityGroups(distinctCities(loaded), loaded.size());
        java.util.function.Function<DocumentStore.CityAgeView, CityGroups> byCity =
                java ? store::groupByCityInJava : store::groupByCity;
        long start = System.nanoTime();
        if (java) {
            store.defineJavaCityAgeViews();
        } else {
            store.defineCityAgeViews();
        }
        CityGroups firstCount = byCity.apply(DocumentStore.CityAgeView.COUNT);
        CityGroups firstSum = byCity.apply(DocumentStore.CityAgeView.SUM);
        double buildSeconds = (System.nanoTime() - start) / 1e9;
        requireGroups(arm.name() + " first count", firstCount, expected);
        requireGroups(arm.name() + " first sum", firstSum, expected);
        Latencies count = new Latencies(W8_RUNS);
        Latencies sum = new Latencies(W8_RUNS);
        for (int run = 0; run < W8_RUNS; run++) {
            long t0 = System.nanoTime();
            CityGroups counted = byCity.apply(DocumentStore.CityAgeView.COUNT);
            count.record(run, System.nanoTime() - t0);
            requireGroups(arm.name() + " count", counted, expected);
            t0 = System.nanoTime();
            CityGroups summed = byCity.apply(DocumentStore.CityAgeView.SUM);
            sum.record(run, System.nanoTime() - t0);
            requireGroups(arm.name() + " sum", summed, expected);
        }
        return List.of(Measurement.ok(arm.build(), loaded.size() / buildSeconds, (long) loaded.size()),
                Measurement.ok(arm.countP50(), count.percentileMillis(50), expected.groups()),
                Measurement.ok(arm.countP99(), count.percentileMillis(99), null),
                Measurement.ok(arm.sumP50(), sum.percentileMillis(50), expected.groups()),
                Measurement.ok(arm.sumP99(), sum.percentileMillis(99), null));
    }

    private static void requireGroups(String what, CityGroups found, CityGroups expected) {
        if (!found.equals(expected)) {
            throw new IllegalStateException("W8 " + what + " returned " + found + ", the data holds " + expected);
        }
    }

    static long distinctCities(List<String> jsonLines) {
        return jsonLines.stream().map(line -> dev.arbor.core.json.Json.parse(line).path("city").asText()).distinct().count();
    }

    /** Replication to a fresh database; then again, when there is nothing to do (timed in ms: it should cost almost nothing). */
    private List<Measurement> w9() {
        long start = System.nanoTime();
        long written = store.replicateToFresh();
        double seconds = (System.nanoTime() - start) / 1e9;
        long again = System.nanoTime();
        long writtenAgain = store.replicateAgain();
        double noopMillis = (System.nanoTime() - again) / 1e6;
        if (writtenAgain != 0) {
            throw new IllegalStateException("the second replication wrote " + writtenAgain + " docs, expected none");
        }
        store.prepareHttpReplication();
        long overHttp = System.nanoTime();
        long writtenOverHttp = store.replicateOverHttp();
        double httpSeconds = (System.nanoTime() - overHttp) / 1e9;
        return List.of(Measurement.ok(Metric.W9_RATE, written / seconds, written),
                Measurement.ok(Metric.W9_NOOP_MS, noopMillis, null),
                Measurement.ok(Metric.W9_HTTP_RATE, writtenOverHttp / httpSeconds, writtenOverHttp));
    }

    private interface Scan { long rows(); }

    private List<Measurement> timedScan(Metric metric, Scan scan) {
        long start = System.nanoTime();
        long rows = scan.rows();
        double seconds = (System.nanoTime() - start) / 1e9;
        return List.of(Measurement.ok(metric, seconds, rows));
    }

    // ---- outcomes ----------------------------------------------------------------------------

    private interface Timed { List<Measurement> run() throws Exception; }

    private record Outcome(Status status, List<Measurement> measurements, String note) {}

    private static Outcome attempt(Workload workload, Timed timed) {
        try {
            return new Outcome(Status.OK, timed.run(), null);
        } catch (UnsupportedOperationException e) {
            return new Outcome(Status.NOT_YET, List.of(), "not yet: " + e.getMessage());
        } catch (NotApplicable e) {
            return new Outcome(Status.NOT_APPLICABLE, List.of(), e.getMessage());
        } catch (Exception e) {
            Throwable cause = e instanceof java.util.concurrent.ExecutionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof UnsupportedOperationException) {
                return new Outcome(Status.NOT_YET, List.of(), "not yet: " + cause.getMessage());
            }
            return new Outcome(Status.FAILED, List.of(), workload + " failed: " + cause);
        }
    }

    private static String describe(Outcome o) {
        return switch (o.status) {
            case NOT_YET -> "is " + o.note;
            case NOT_APPLICABLE -> "does not apply: " + o.note;
            default -> "failed: " + o.note;
        };
    }

    /** Adds the outcome's figures, or for each of {@code metrics} a missing figure with its reason. */
    private void report(List<Metric> metrics, Outcome outcome) {
        if (outcome.status == Status.OK) {
            out.addAll(outcome.measurements);
        } else {
            metrics.forEach(metric -> out.add(Measurement.missing(metric, outcome.status, outcome.note)));
        }
    }
}
