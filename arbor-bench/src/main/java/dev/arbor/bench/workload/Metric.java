package dev.arbor.bench.workload;

import java.util.Arrays;
import java.util.List;

/**
 * Every figure a pass reports. The concurrent W2 figures carry the suffix {@code _c16}. A metric
 * that counts work ({@link #counted}) is reported with how many operations were done, so the
 * harness can refuse a figure from a system that did less than the others.
 */
public enum Metric {
    W1_RATE(Workload.W1, "docs_per_s", "docs/s", true, true),
    W2_RATE(Workload.W2, "writes_per_s", "writes/s", true, true),
    W2_P50(Workload.W2, "p50_ms", "ms", false, false),
    W2_P99(Workload.W2, "p99_ms", "ms", false, false),
    W2C_RATE(Workload.W2, "writes_per_s_c16", "writes/s", true, true),
    W2C_P50(Workload.W2, "p50_ms_c16", "ms", false, false),
    W2C_P99(Workload.W2, "p99_ms_c16", "ms", false, false),
    W3_RATE(Workload.W3, "reads_per_s", "reads/s", true, true),
    W4_RATE(Workload.W4, "updates_per_s", "updates/s", true, true),
    W5_TIME(Workload.W5, "seconds", "s", false, true),
    W6_TIME(Workload.W6, "seconds", "s", false, true),
    /** Creating the index and the first query, which builds it where indexes build lazily (Arbor, PouchDB). */
    W7_BUILD(Workload.W7, "index_build_s", "s", false, false),
    W7_ALL_P50(Workload.W7, "all_p50_ms", "ms", false, false),
    W7_ALL_P99(Workload.W7, "all_p99_ms", "ms", false, false),
    W7_PAGE_P50(Workload.W7, "limit25_p50_ms", "ms", false, false),
    W7_PAGE_P99(Workload.W7, "limit25_p99_ms", "ms", false, false),
    /**
     * Defining the W8 views and the first group_level=1 query of each, which builds them where views build lazily
     * (Arbor, PouchDB); for SQLite, creating its expression index and the first GROUP BY of each. Counted: the docs indexed.
     */
    W8_BUILD_RATE(Workload.W8, "build_docs_per_s", "docs/s", true, true),
    W8_COUNT_P50(Workload.W8, "count_p50_ms", "ms", false, false),
    W8_COUNT_P99(Workload.W8, "count_p99_ms", "ms", false, false),
    W8_SUM_P50(Workload.W8, "sum_p50_ms", "ms", false, false),
    W8_SUM_P99(Workload.W8, "sum_p99_ms", "ms", false, false),
    /**
     * The same two views written in Java ({@code TypedView}s, where the system has them): registering both and the
     * first group_level=1 query of each. Counted: the docs indexed.
     */
    W8_JAVA_BUILD_RATE(Workload.W8, "java_build_docs_per_s", "docs/s", true, true),
    W8_JAVA_COUNT_P50(Workload.W8, "java_count_p50_ms", "ms", false, false),
    W8_JAVA_COUNT_P99(Workload.W8, "java_count_p99_ms", "ms", false, false),
    W8_JAVA_SUM_P50(Workload.W8, "java_sum_p50_ms", "ms", false, false),
    W8_JAVA_SUM_P99(Workload.W8, "java_sum_p99_ms", "ms", false, false),
    W9_RATE(Workload.W9, "docs_per_s", "docs/s", true, true),
    /** The second replication, with nothing to do: it must cost O(changes since the checkpoint), not O(docs). */
    W9_NOOP_MS(Workload.W9, "noop_ms", "ms", false, false),
    /**
     * The same N docs replicated between two servers over HTTP, measured in the same run: Arbor's server
     * to Arbor's server ({@code POST /_replicate} on a fresh server pulling from the source's URL); for
     * PouchDB, its local leveldb database to pouchdb-server ({@code PouchDB.replicate(local, url)}).
     */
    W9_HTTP_RATE(Workload.W9, "http_docs_per_s", "docs/s", true, true),
    W10_PUT_RATE(Workload.W10, "puts_per_s", "writes/s", true, true),
    W10_PUT_P99(Workload.W10, "put_p99_ms", "ms", false, false),
    W10_BULK_RATE(Workload.W10, "bulk_docs_per_s", "docs/s", true, true),
    /** Timed, not counted: the count is how many GETs fitted in the time. */
    W10_GET_RATE(Workload.W10, "gets_per_s_c32", "req/s", true, false),
    W10_GET_P99(Workload.W10, "get_p99_ms_c32", "ms", false, false),
    W10_GET_RATE_WRK(Workload.W10, "gets_per_s_c32_wrk", "req/s", true, false),
    W10_PULL_RATE(Workload.W10, "pull_docs_per_s", "docs/s", true, true),
    /*
     * W11, per direction (see ReplicationDirection): the rate, counted as the docs the target holds after it; the CPU
     * time CouchDB's VM and Arbor's JVM spent meanwhile per 1,000 docs (a cost that holds when other load shares the
     * machine, where a share of a core would not); how busy the whole machine was, in % of all its cores (near 100 %:
     * the replication competed for CPU; far below: it waited); and the HTTP requests CouchDB served per 1,000 docs
     * (Arbor's server keeps no such counter).
     */
    W11_CC_RATE(Workload.W11, "couchdb_to_couchdb_docs_per_s", "docs/s", true, true),
    W11_CC_COUCHDB_CPU(Workload.W11, "couchdb_to_couchdb_couchdb_cpu_ms_per_1000_docs", "ms", false, false),
    W11_CC_ARBOR_CPU(Workload.W11, "couchdb_to_couchdb_arbor_cpu_ms_per_1000_docs", "ms", false, false),
    W11_CC_MACHINE_CPU(Workload.W11, "couchdb_to_couchdb_machine_busy_pct", "%", false, false),
    W11_CC_COUCHDB_REQUESTS(Workload.W11, "couchdb_to_couchdb_couchdb_requests_per_1000_docs", "requests", false, false),
    W11_CA_ARBOR_RATE(Workload.W11, "couchdb_to_arbor_by_arbor_docs_per_s", "docs/s", true, true),
    W11_CA_ARBOR_COUCHDB_CPU(Workload.W11, "couchdb_to_arbor_by_arbor_couchdb_cpu_ms_per_1000_docs", "ms", false, false),
    W11_CA_ARBOR_ARBOR_CPU(Workload.W11, "couchdb_to_arbor_by_arbor_arbor_cpu_ms_per_1000_docs", "ms", false, false),
    W11_CA_ARBOR_MACHINE_CPU(Workload.W11, "couchdb_to_arbor_by_arbor_machine_busy_pct", "%", false, false),
    W11_CA_ARBOR_COUCHDB_REQUESTS(Workload.W11, "couchdb_to_arbor_by_arbor_couchdb_requests_per_1000_docs", "requests", false, false),
    W11_CA_COUCHDB_RATE(Workload.W11, "couchdb_to_arbor_by_couchdb_docs_per_s", "docs/s", true, true),
    W11_CA_COUCHDB_COUCHDB_CPU(Workload.W11, "couchdb_to_arbor_by_couchdb_couchdb_cpu_ms_per_1000_docs", "ms", false, false),
    W11_CA_COUCHDB_ARBOR_CPU(Workload.W11, "couchdb_to_arbor_by_couchdb_arbor_cpu_ms_per_1000_docs", "ms", false, false),
    W11_CA_COUCHDB_MACHINE_CPU(Workload.W11, "couchdb_to_arbor_by_couchdb_machine_busy_pct", "%", false, false),
    W11_CA_COUCHDB_COUCHDB_REQUESTS(Workload.W11, "couchdb_to_arbor_by_couchdb_couchdb_requests_per_1000_docs", "requests", false, false),
    W11_AC_ARBOR_RATE(Workload.W11, "arbor_to_couchdb_by_arbor_docs_per_s", "docs/s", true, true),
    W11_AC_ARBOR_COUCHDB_CPU(Workload.W11, "arbor_to_couchdb_by_arbor_couchdb_cpu_ms_per_1000_docs", "ms", false, false),
    W11_AC_ARBOR_ARBOR_CPU(Workload.W11, "arbor_to_couchdb_by_arbor_arbor_cpu_ms_per_1000_docs", "ms", false, false),
    W11_AC_ARBOR_MACHINE_CPU(Workload.W11, "arbor_to_couchdb_by_arbor_machine_busy_pct", "%", false, false),
    W11_AC_ARBOR_COUCHDB_REQUESTS(Workload.W11, "arbor_to_couchdb_by_arbor_couchdb_requests_per_1000_docs", "requests", false, false),
    W11_AC_COUCHDB_RATE(Workload.W11, "arbor_to_couchdb_by_couchdb_docs_per_s", "docs/s", true, true),
    W11_AC_COUCHDB_COUCHDB_CPU(Workload.W11, "arbor_to_couchdb_by_couchdb_couchdb_cpu_ms_per_1000_docs", "ms", false, false),
    W11_AC_COUCHDB_ARBOR_CPU(Workload.W11, "arbor_to_couchdb_by_couchdb_arbor_cpu_ms_per_1000_docs", "ms", false, false),
    W11_AC_COUCHDB_MACHINE_CPU(Workload.W11, "arbor_to_couchdb_by_couchdb_machine_busy_pct", "%", false, false),
    W11_AC_COUCHDB_COUCHDB_REQUESTS(Workload.W11, "arbor_to_couchdb_by_couchdb_couchdb_requests_per_1000_docs", "requests", false, false),
    /*
     * N1, the networked API: arbor-ws through its ws:// client, redis through Lettuce, the same 16 threads on one
     * connection. Pub/sub is counted in deliveries (messages received by all subscribers together); every subscriber
     * must receive every message, so a system that drops some fails rather than looking fast. The document GETs over
     * HTTP are arbor-ws's own server through its http:// client, the same threads and ids: the protocol's yardstick.
     * Live-query latency is the time from a write's sending (its commit falls before its answer) to its delta at a
     * subscriber on a connection of its own, one write at a time (Redis has no live queries: n/a).
     */
    N1_KV_SET(Workload.N1, "kv_set_per_s_c16", "ops/s", true, true),
    N1_KV_GET(Workload.N1, "kv_get_per_s_c16", "ops/s", true, true),
    N1_PUBSUB_ONE(Workload.N1, "deliveries_per_s_1sub", "deliveries/s", true, true),
    N1_PUBSUB_HUNDRED(Workload.N1, "deliveries_per_s_100sub", "deliveries/s", true, true),
    N1_DOC_GET(Workload.N1, "doc_gets_per_s_c16", "reads/s", true, true),
    N1_DOC_GET_HTTP(Workload.N1, "doc_gets_per_s_c16_http", "reads/s", true, true),
    N1_LIVE_P50(Workload.N1, "live_query_delta_p50_ms", "ms", false, true),
    N1_LIVE_P99(Workload.N1, "live_query_delta_p99_ms", "ms", false, false),
    /*
     * What each N1 figure cost in CPU: the server's process and the client's, microseconds per operation (per delivery
     * for pub/sub), from the processes' CPU clocks. Rates move with whatever else the machine runs; these hold.
     */
    N1_KV_SET_SERVER_CPU(Workload.N1, "kv_set_server_cpu_us", "µs", false, false),
    N1_KV_SET_CLIENT_CPU(Workload.N1, "kv_set_client_cpu_us", "µs", false, false),
    N1_KV_GET_SERVER_CPU(Workload.N1, "kv_get_server_cpu_us", "µs", false, false),
    N1_KV_GET_CLIENT_CPU(Workload.N1, "kv_get_client_cpu_us", "µs", false, false),
    N1_PUBSUB_ONE_SERVER_CPU(Workload.N1, "pubsub_1sub_server_cpu_us", "µs", false, false),
    N1_PUBSUB_ONE_CLIENT_CPU(Workload.N1, "pubsub_1sub_client_cpu_us", "µs", false, false),
    N1_PUBSUB_HUNDRED_SERVER_CPU(Workload.N1, "pubsub_100sub_server_cpu_us", "µs", false, false),
    N1_PUBSUB_HUNDRED_CLIENT_CPU(Workload.N1, "pubsub_100sub_client_cpu_us", "µs", false, false),
    N1_DOC_GET_SERVER_CPU(Workload.N1, "doc_get_server_cpu_us", "µs", false, false),
    N1_DOC_GET_CLIENT_CPU(Workload.N1, "doc_get_client_cpu_us", "µs", false, false),
    N1_DOC_GET_HTTP_SERVER_CPU(Workload.N1, "doc_get_http_server_cpu_us", "µs", false, false),
    N1_DOC_GET_HTTP_CLIENT_CPU(Workload.N1, "doc_get_http_client_cpu_us", "µs", false, false),
    C1_PUSH_BATCH(Workload.C1, "push_batch_per_s", "records/s", true, true),
    C1_INSERT_BATCH(Workload.C1, "insert_batch_per_s", "records/s", true, true),
    C1_PUSH_ONE(Workload.C1, "push_one_per_s", "records/s", true, true),
    C1_INSERT_ONE(Workload.C1, "insert_one_per_s", "records/s", true, true),
    /** Counted as records found: every id asked for was written before. */
    C1_GET(Workload.C1, "gets_per_s", "reads/s", true, true),
    K1_SET(Workload.K1, "set_per_s", "ops/s", true, true),
    K1_GET(Workload.K1, "get_per_s", "ops/s", true, true),
    K1_INCREMENT(Workload.K1, "increment_per_s", "ops/s", true, true),
    K1_SET_C16(Workload.K1, "set_per_s_c16", "ops/s", true, true),
    K1_GET_C16(Workload.K1, "get_per_s_c16", "ops/s", true, true),
    K1_INCREMENT_C16(Workload.K1, "increment_per_s_c16", "ops/s", true, true),
    K1_LAZY_SET(Workload.K1, "lazy_set_per_s", "ops/s", true, true),
    K1_LAZY_GET(Workload.K1, "lazy_get_per_s", "ops/s", true, true),
    K1_LAZY_INCREMENT(Workload.K1, "lazy_increment_per_s", "ops/s", true, true),
    K1_LAZY_SET_C16(Workload.K1, "lazy_set_per_s_c16", "ops/s", true, true),
    K1_LAZY_GET_C16(Workload.K1, "lazy_get_per_s_c16", "ops/s", true, true),
    K1_LAZY_INCREMENT_C16(Workload.K1, "lazy_increment_per_s_c16", "ops/s", true, true),
    /** Messages published ÷ time until the subscriber has every one (received, or dropped by its full queue). */
    P1_ONE(Workload.P1, "messages_per_s_1sub", "messages/s", true, true),
    P1_HUNDRED(Workload.P1, "messages_per_s_100sub", "messages/s", true, true),
    /** Messages received by all 100 subscribers together per second. */
    P1_HUNDRED_DELIVERIES(Workload.P1, "deliveries_per_s_100sub", "deliveries/s", true, false),
    /** Messages the 100 subscribers' full queues dropped, all together (the overflow policy: drop the oldest). */
    P1_HUNDRED_DROPPED(Workload.P1, "dropped_100sub", "messages", false, false),
    /** The same 100 subscribers each receiving on a virtual thread, as an application with many subscribers would. */
    P1_HUNDRED_VIRTUAL(Workload.P1, "messages_per_s_100sub_virtual", "messages/s", true, true),
    P1_HUNDRED_VIRTUAL_DELIVERIES(Workload.P1, "deliveries_per_s_100sub_virtual", "deliveries/s", true, false);

    public final Workload workload;
    public final String key;
    public final String unit;
    public final boolean higherIsBetter;
    public final boolean counted;

    Metric(Workload workload, String key, String unit, boolean higherIsBetter, boolean counted) {
        this.workload = workload;
        this.key = key;
        this.unit = unit;
        this.higherIsBetter = higherIsBetter;
        this.counted = counted;
    }

    public static List<Metric> of(Workload workload) {
        return Arrays.stream(values()).filter(m -> m.workload == workload).toList();
    }

    public static Metric find(String workload, String key) {
        return Arrays.stream(values()).filter(m -> m.workload.name().equals(workload) && m.key.equals(key)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown metric " + workload + "/" + key));
    }
}
