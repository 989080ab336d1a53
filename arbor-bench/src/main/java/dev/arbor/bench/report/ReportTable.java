package dev.arbor.bench.report;

import dev.arbor.bench.workload.Metric;
import dev.arbor.bench.workload.Workload;

import java.util.List;

/**
 * One table of the report: a headline figure (which the Arbor ratios are taken on) and figures
 * printed beside it.
 */
public record ReportTable(Workload workload, String title, Metric headline, List<Metric> besides) {

    /**
     * W11, drawn and written by {@link ReplicationTable} (rows are replication directions, not systems), hence not in
     * {@link #ALL}; its chart has a bar per direction.
     */
    public static final ReportTable W11 = new ReportTable(Workload.W11, ReplicationTable.TITLE,
            dev.arbor.bench.workload.ReplicationDirection.anchor().rate,
            java.util.Arrays.stream(dev.arbor.bench.workload.ReplicationDirection.values()).skip(1).map(d -> d.rate).toList());

    public static final List<ReportTable> ALL = List.of(
            new ReportTable(Workload.W1, "W1 — bulk insert, 1,000 docs per call", Metric.W1_RATE, List.of()),
            new ReportTable(Workload.W2, "W2 — single-doc writes in sequence", Metric.W2_RATE, List.of(Metric.W2_P50, Metric.W2_P99)),
            new ReportTable(Workload.W2, "W2 — single-doc writes, 16 concurrent writers", Metric.W2C_RATE, List.of(Metric.W2C_P50, Metric.W2C_P99)),
            new ReportTable(Workload.W3, "W3 — point reads by id", Metric.W3_RATE, List.of()),
            new ReportTable(Workload.W4, "W4 — read-modify-write updates", Metric.W4_RATE, List.of()),
            new ReportTable(Workload.W5, "W5 — all_docs with include_docs", Metric.W5_TIME, List.of()),
            new ReportTable(Workload.W6, "W6 — changes since 0", Metric.W6_TIME, List.of()),
            new ReportTable(Workload.W7, "W7 — Mango index on age: build (create and first query)", Metric.W7_BUILD, List.of()),
            new ReportTable(Workload.W7, "W7 — Mango query, all 30-39 year-old users", Metric.W7_ALL_P50, List.of(Metric.W7_ALL_P99)),
            new ReportTable(Workload.W7, "W7 — Mango query, limit 25", Metric.W7_PAGE_P50, List.of(Metric.W7_PAGE_P99)),
            new ReportTable(Workload.W8, "W8 — view on [city, age]: first build of the _count and _sum views", Metric.W8_BUILD_RATE, List.of()),
            new ReportTable(Workload.W8, "W8 — view query, _count, group_level=1", Metric.W8_COUNT_P50, List.of(Metric.W8_COUNT_P99)),
            new ReportTable(Workload.W8, "W8 — view query, _sum, group_level=1", Metric.W8_SUM_P50, List.of(Metric.W8_SUM_P99)),
            new ReportTable(Workload.W8, "W8 — the same views in Java (TypedView): first build", Metric.W8_JAVA_BUILD_RATE, List.of()),
            new ReportTable(Workload.W8, "W8 — Java view query, count, group_level=1", Metric.W8_JAVA_COUNT_P50, List.of(Metric.W8_JAVA_COUNT_P99)),
            new ReportTable(Workload.W8, "W8 — Java view query, sum, group_level=1", Metric.W8_JAVA_SUM_P50, List.of(Metric.W8_JAVA_SUM_P99)),
            new ReportTable(Workload.W9, "W9 — replication to a fresh database", Metric.W9_RATE, List.of(Metric.W9_NOOP_MS, Metric.W9_HTTP_RATE)),
            new ReportTable(Workload.W10, "W10 — HTTP: sequential PUTs", Metric.W10_PUT_RATE, List.of(Metric.W10_PUT_P99)),
            new ReportTable(Workload.W10, "W10 — HTTP: _bulk_docs, 1,000 docs per call", Metric.W10_BULK_RATE, List.of()),
            new ReportTable(Workload.W10, "W10 — HTTP: random GETs, 32 connections (autocannon)", Metric.W10_GET_RATE,
                    List.of(Metric.W10_GET_P99, Metric.W10_GET_RATE_WRK)),
            new ReportTable(Workload.W10, "W10 — HTTP: pull replication into a fresh PouchDB", Metric.W10_PULL_RATE, List.of()),
            new ReportTable(Workload.N1, "N1 — networked key-value set, 16 threads on one connection", Metric.N1_KV_SET,
                    List.of(Metric.N1_KV_SET_SERVER_CPU, Metric.N1_KV_SET_CLIENT_CPU)),
            new ReportTable(Workload.N1, "N1 — networked key-value get, 16 threads on one connection", Metric.N1_KV_GET,
                    List.of(Metric.N1_KV_GET_SERVER_CPU, Metric.N1_KV_GET_CLIENT_CPU)),
            new ReportTable(Workload.N1, "N1 — networked pub/sub, 1 subscriber", Metric.N1_PUBSUB_ONE,
                    List.of(Metric.N1_PUBSUB_ONE_SERVER_CPU, Metric.N1_PUBSUB_ONE_CLIENT_CPU)),
            new ReportTable(Workload.N1, "N1 — networked pub/sub, 100 subscribers on connections of their own", Metric.N1_PUBSUB_HUNDRED,
                    List.of(Metric.N1_PUBSUB_HUNDRED_SERVER_CPU, Metric.N1_PUBSUB_HUNDRED_CLIENT_CPU)),
            new ReportTable(Workload.N1, "N1 — document GETs of random ids, 16 threads (over HTTP beside)", Metric.N1_DOC_GET,
                    List.of(Metric.N1_DOC_GET_SERVER_CPU, Metric.N1_DOC_GET_CLIENT_CPU, Metric.N1_DOC_GET_HTTP,
                            Metric.N1_DOC_GET_HTTP_SERVER_CPU, Metric.N1_DOC_GET_HTTP_CLIENT_CPU)),
            new ReportTable(Workload.N1, "N1 — live query: from a write's sending to its delta at a subscriber, one write at a time",
                    Metric.N1_LIVE_P50, List.of(Metric.N1_LIVE_P99)),
            new ReportTable(Workload.C1, "C1 — collection records in transactions of 1,000 (push; insert with ids beside)",
                    Metric.C1_PUSH_BATCH, List.of(Metric.C1_INSERT_BATCH)),
            new ReportTable(Workload.C1, "C1 — collection records one per call (push; insert with ids beside)",
                    Metric.C1_PUSH_ONE, List.of(Metric.C1_INSERT_ONE)),
            new ReportTable(Workload.C1, "C1 — collection get by id, at random", Metric.C1_GET, List.of()),
            new ReportTable(Workload.K1, "K1 — key-value set, 1 thread (immediate; lazy beside)", Metric.K1_SET, List.of(Metric.K1_LAZY_SET)),
            new ReportTable(Workload.K1, "K1 — key-value set, 16 threads (immediate; lazy beside)", Metric.K1_SET_C16, List.of(Metric.K1_LAZY_SET_C16)),
            new ReportTable(Workload.K1, "K1 — key-value get, 1 thread (immediate; lazy beside)", Metric.K1_GET, List.of(Metric.K1_LAZY_GET)),
            new ReportTable(Workload.K1, "K1 — key-value get, 16 threads (immediate; lazy beside)", Metric.K1_GET_C16, List.of(Metric.K1_LAZY_GET_C16)),
            new ReportTable(Workload.K1, "K1 — key-value increment, 1 thread (immediate; lazy beside)", Metric.K1_INCREMENT,
                    List.of(Metric.K1_LAZY_INCREMENT)),
            new ReportTable(Workload.K1, "K1 — key-value increment, 16 threads (immediate; lazy beside)", Metric.K1_INCREMENT_C16,
                    List.of(Metric.K1_LAZY_INCREMENT_C16)),
            new ReportTable(Workload.P1, "P1 — pub/sub, 1 subscriber", Metric.P1_ONE, List.of()),
            new ReportTable(Workload.P1, "P1 — pub/sub, 100 subscribers", Metric.P1_HUNDRED,
                    List.of(Metric.P1_HUNDRED_DELIVERIES, Metric.P1_HUNDRED_DROPPED)),
            new ReportTable(Workload.P1, "P1 — pub/sub, 100 subscribers on virtual threads", Metric.P1_HUNDRED_VIRTUAL,
                    List.of(Metric.P1_HUNDRED_VIRTUAL_DELIVERIES)));

}
