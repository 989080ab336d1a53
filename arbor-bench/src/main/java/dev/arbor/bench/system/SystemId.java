package dev.arbor.bench.system;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The systems a run compares, as named on the command line and in the report. */
public enum SystemId {
    ARBOR("arbor", Runtime.JVM, "Arbor, durable: a write returns after its commit is fsynced"),
    ARBOR_RELAXED("arbor-relaxed", Runtime.JVM, "Arbor, relaxed durability: a write returns once its commit reaches the OS (no fsync), as PouchDB's leveldb adapter"),
    ARBOR_ENCRYPTED("arbor-encrypted", Runtime.JVM, "Arbor, durable, encrypted at rest: every value holding user data sealed with AES-256-GCM, master key in a file outside the data directory"),
    POUCHDB_LEVELDB("pouchdb-leveldb", Runtime.NODE, "PouchDB 9 in Node, leveldb adapter (does not fsync each write)"),
    SQLITE_NORMAL("sqlite-normal", Runtime.JVM, "SQLite via sqlite-jdbc, WAL, synchronous=NORMAL (no fsync per commit)"),
    SQLITE_FULL("sqlite-full", Runtime.JVM, "SQLite via sqlite-jdbc, WAL, synchronous=FULL (fsync per commit)"),
    ROCKSDB_RAW("rocksdb-raw", Runtime.JVM, "raw RocksDB (Arbor's rocksdbjni), same keys and value bytes, no document logic, every write sync=true"),
    DISK("disk", Runtime.JVM, "the disk: fdatasync (FileChannel.force(false)) after each 4 KiB append"),
    ARBOR_HTTP("arbor-http", Runtime.HTTP, "Arbor's server (Jetty 12.1, virtual threads) over a durable RocksDB storage, in its own JVM"),
    ARBOR_HTTPS("arbor-https", Runtime.HTTP, "arbor-http speaking HTTPS (TLS 1.2/1.3 as [ssl] enable = true serves it, with the "
            + "self-signed P-256 certificate it makes on first start, which the client trusts)"),
    POUCHDB_SERVER("pouchdb-server", Runtime.HTTP, "pouchdb-server 4.2 (Express + PouchDB, leveldb on disk), in its own Node process"),
    HTTP_BARE("http-bare", Runtime.HTTP, "the HTTP ceiling: a bare Jetty 12.1 handler on virtual threads serving the same bytes from memory, in its own JVM"),
    ARBOR_WS("arbor-ws", Runtime.NETWORK, "N1 only: Arbor's server (as arbor-http, but relaxed durability and lazy key-value "
            + "persistence: a commit after 1,000 changes or 100 ms) in its own JVM, driven through the networked Java API "
            + "(ws://, one connection shared by the client's threads) from a client JVM of its own"),
    REDIS("redis", Runtime.NETWORK, "N1 only: Redis 7 (Debian's redis-server) on 127.0.0.1, no persistence (--save '' "
            + "--appendonly no), driven through Lettuce 7 (one connection shared by the client's threads) from a client JVM "
            + "of its own; n/a where redis-server is not installed"),
    COUCHDB("couchdb", Runtime.PEER, "W11 only: Apache CouchDB 3.5.0 (single node, QuickJS, default settings) from ../shared/peers/couchdb, "
            + "replicating with itself and with Arbor's server as arbor-http runs it; n/a where the peer is absent");

    /**
     * Where a system's measuring process runs: a JVM or Node process doing the pass in-process, or an
     * HTTP server the harness starts, measured by the W10 Node client; or (PEER) a real CouchDB the harness
     * starts beside an Arbor server, for W11; or (NETWORK) a server the harness starts, driven by a client JVM it
     * forks, for N1.
     */
    public enum Runtime { JVM, NODE, HTTP, PEER, NETWORK }

    public final String id;
    public final Runtime runtime;
    public final String description;

    SystemId(String id, Runtime runtime, String description) {
        this.id = id;
        this.runtime = runtime;
        this.description = description;
    }

    public boolean isArbor() {
        return this == ARBOR || this == ARBOR_RELAXED || this == ARBOR_ENCRYPTED || this == ARBOR_HTTP
                || this == ARBOR_HTTPS || this == ARBOR_WS;
    }

    /**
     * The workloads this system runs: the HTTP servers W10 only, CouchDB W11 only, the networked servers N1 only, the
     * embedded systems the rest.
     */
    public boolean runs(dev.arbor.bench.workload.Workload workload) {
        if (runtime == Runtime.NETWORK || workload == dev.arbor.bench.workload.Workload.N1) {
            return runtime == Runtime.NETWORK && workload == dev.arbor.bench.workload.Workload.N1;
        }
        if (runtime == Runtime.PEER || workload == dev.arbor.bench.workload.Workload.W11) {
            return runtime == Runtime.PEER && workload == dev.arbor.bench.workload.Workload.W11;
        }
        return (runtime == Runtime.HTTP) == (workload == dev.arbor.bench.workload.Workload.W10);
    }

    /**
     * Why this system has no counterpart of a workload beside the fixed one (C1, K1, P1), or null when it runs it.
     * The harness reports these as "n/a" without starting the system. Only Arbor has pub/sub; the anchors that
     * run C1 and K1 do the same operations their own way (a table with an integer key, an upsert).
     */
    public String notApplicableTo(dev.arbor.bench.workload.Workload workload) {
        if (this == ARBOR_ENCRYPTED) {
            return switch (workload) {
                // W2 too: its documents are part of what W5 lists, and durable single writes show sealing's latency.
                case W1, W2, W3, W5 -> null;
                default -> "encryption's cost is measured on W1, W2, W3 and W5 (compare arbor)";
            };
        }
        return switch (workload) {
            case C1 -> switch (this) {
                case ARBOR, ARBOR_RELAXED, SQLITE_NORMAL, SQLITE_FULL -> null;
                case ROCKSDB_RAW -> "no records layer; W1 and W3 give its put and get ceiling";
                default -> "not compared on typed collections";
            };
            case K1 -> switch (this) {
                case ARBOR, ARBOR_RELAXED, SQLITE_NORMAL, SQLITE_FULL, ROCKSDB_RAW -> null;
                default -> "not compared as a key-value store";
            };
            case P1 -> switch (this) {
                case ARBOR -> null;
                case ARBOR_RELAXED -> "pub/sub is in memory: durability does not change it (see arbor)";
                default -> "no publish/subscribe";
            };
            default -> null;
        };
    }

    public static SystemId of(String id) {
        return Arrays.stream(values()).filter(s -> s.id.equals(id.trim().toLowerCase(Locale.ROOT))).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown system '" + id + "'; known: " + Arrays.stream(values()).map(s -> s.id).toList()));
    }

    public static List<SystemId> parseList(String csv) {
        return Arrays.stream(csv.split(",")).filter(s -> !s.isBlank()).map(SystemId::of).distinct().toList();
    }
}
