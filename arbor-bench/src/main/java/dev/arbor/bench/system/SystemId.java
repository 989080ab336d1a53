package dev.arbor.bench.system;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The systems a run compares, as named on the command line and in the report. */
public enum SystemId {
    ARBOR("arbor", Runtime.JVM, "Arbor, durable: a write returns after its commit is fsynced"),
    ARBOR_RELAXED("arbor-relaxed", Runtime.JVM, "Arbor, relaxed durability: a write returns once its commit reaches the OS (no fsync), as PouchDB's leveldb adapter"),
    POUCHDB_LEVELDB("pouchdb-leveldb", Runtime.NODE, "PouchDB 9 in Node, leveldb adapter (does not fsync each write)"),
    SQLITE_NORMAL("sqlite-normal", Runtime.JVM, "SQLite via sqlite-jdbc, WAL, synchronous=NORMAL (no fsync per commit)"),
    SQLITE_FULL("sqlite-full", Runtime.JVM, "SQLite via sqlite-jdbc, WAL, synchronous=FULL (fsync per commit)"),
    ROCKSDB_RAW("rocksdb-raw", Runtime.JVM, "raw RocksDB (Arbor's rocksdbjni), same keys and value bytes, no document logic, every write sync=true"),
    DISK("disk", Runtime.JVM, "the disk: fdatasync (FileChannel.force(false)) after each 4 KiB append");

    /** Where a system's measuring process runs. */
    public enum Runtime { JVM, NODE }

    public final String id;
    public final Runtime runtime;
    public final String description;

    SystemId(String id, Runtime runtime, String description) {
        this.id = id;
        this.runtime = runtime;
        this.description = description;
    }

    public boolean isArbor() {
        return this == ARBOR || this == ARBOR_RELAXED;
    }

    public static SystemId of(String id) {
        return Arrays.stream(values()).filter(s -> s.id.equals(id.trim().toLowerCase(Locale.ROOT))).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown system '" + id + "'; known: " + Arrays.stream(values()).map(s -> s.id).toList()));
    }

    public static List<SystemId> parseList(String csv) {
        return Arrays.stream(csv.split(",")).filter(s -> !s.isBlank()).map(SystemId::of).distinct().toList();
    }
}
