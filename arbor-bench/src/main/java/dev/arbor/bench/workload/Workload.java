package dev.arbor.bench.workload;

import java.util.Arrays;
import java.util.List;

/** The workloads of WORKLOAD.md this harness runs, in the order one pass runs them. */
public enum Workload {
    W1("bulk insert of all N docs, 1,000 docs per bulk call, calls in sequence"),
    W2("single-doc writes of w2.jsonl, one doc per call: in sequence, then with 16 concurrent writers"),
    W3("point reads by id (w3_ids.txt), full doc returned"),
    W4("updates (w4_ids.txt): get current rev, score += 1, updated = i, put"),
    W5("all_docs with include_docs over every doc"),
    W6("changes since 0, no docs"),
    W7("Mango: index on age, selector {age: {$gte: 30, $lt: 40}, type: 'user'}; index build (create and first query), "
            + "then query p50/p99 over 20 runs, all results and limit 25"),
    W8("view emit([doc.city, doc.age], 1) with _count and with _sum, both in one design document; first build (define "
            + "both views and query each once), then group_level=1 query p50/p99 over 20 runs"),
    W9("replication of the N docs to a fresh database, default options; then the same replication again, with nothing to do"),
    W10("over HTTP on 127.0.0.1, one Node client for every server: the w10a docs PUT in sequence, the N docs POSTed to "
            + "_bulk_docs 1,000 per call, GETs of random ids on 32 connections, pull replication into a fresh in-memory PouchDB"),
    /**
     * Not in WORKLOAD.md (which names no CouchDB anchor): replication between Apache CouchDB 3.5 and Arbor's server,
     * each way and by each side's replicator, beside CouchDB replicating between two of its own databases.
     */
    W11("replication with Apache CouchDB 3.5 over HTTP: the N docs replicated by a one-shot _replicate into a fresh "
            + "database, CouchDB to CouchDB (the anchor), CouchDB to Arbor and Arbor to CouchDB, each by Arbor's replicator "
            + "and by CouchDB's"),
    /**
     * Not in WORKLOAD.md: the networked Java API (the Arbor protocol over {@code ws://}) against a server on 127.0.0.1,
     * beside Redis 7 for the key-value store and pub/sub and beside the same server's HTTP API for document GETs.
     */
    N1("networked API over 127.0.0.1, 16 client threads sharing one connection: key-value set and get (N/5 each, "
            + "1,000 keys, 100-byte values), pub/sub deliveries to 1 subscriber (N/5 messages) and to 100 (N/50 messages, "
            + "each subscriber on a connection of its own), document GETs of random ids (N/5) over the protocol and over HTTP"),
    // Beside the fixed workload: Arbor's typed collections, key-value store and pub/sub.
    C1("typed collection records (the data set's docs as a Java record): N pushed and N inserted with explicit ids in "
            + "transactions of 1,000, N/50 of each one per call, then N/5 gets by id at random"),
    K1("key-value store: set (1,000 keys), get, increment (16 counters), one thread and 16 threads; immediate "
            + "persistence N/50 writes, lazy persistence N/5 writes, N/5 gets"),
    P1("pub/sub: one publisher thread, each subscriber receiving on its own thread; N messages to 1 subscriber, "
            + "N/5 messages to 100 subscribers; timed until every subscriber has each message (received or dropped)");

    public final String description;

    /** Whether this is a workload of WORKLOAD.md, run over the data set by {@link dev.arbor.bench.run.WorkloadPass}. */
    public boolean isDocumentWorkload() {
        return name().startsWith("W") && this != W11;
    }

    /** Whether a run without {@code --only} measures it: the fixed workload, W11 and N1; C1, K1 and P1 only when named. */
    public boolean runsByDefault() {
        return name().startsWith("W") || this == N1;
    }

    Workload(String description) {
        this.description = description;
    }

    /** Parses {@code W1,W3}; case-insensitive. */
    public static List<Workload> parseList(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .map(s -> valueOf(s.toUpperCase(java.util.Locale.ROOT))).sorted().distinct().toList();
    }
}
