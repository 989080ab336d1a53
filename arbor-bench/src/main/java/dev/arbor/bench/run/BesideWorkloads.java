package dev.arbor.bench.run;

import dev.arbor.Arbor;
import dev.arbor.ArborOptions;
import dev.arbor.api.Database;
import dev.arbor.api.keyvalue.KeyValuePersistence;
import dev.arbor.bench.data.WorkloadData;
import dev.arbor.bench.keyvalue.ArborKeyValue;
import dev.arbor.bench.keyvalue.KeyValuePass;
import dev.arbor.bench.keyvalue.KeyValueTarget;
import dev.arbor.bench.keyvalue.RocksKeyValue;
import dev.arbor.bench.keyvalue.SqliteKeyValue;
import dev.arbor.bench.pubsub.PubSubPass;
import dev.arbor.bench.records.ArborRecordStore;
import dev.arbor.bench.records.BenchRecord;
import dev.arbor.bench.records.RecordPass;
import dev.arbor.bench.records.RecordStore;
import dev.arbor.bench.records.SqliteRecordStore;
import dev.arbor.bench.system.SqliteStore;
import dev.arbor.bench.system.SystemId;
import dev.arbor.bench.workload.Measurement;
import dev.arbor.bench.workload.Metric;
import dev.arbor.bench.workload.NotApplicable;
import dev.arbor.bench.workload.Status;
import dev.arbor.bench.workload.Workload;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The workloads beside the fixed one (C1 collections, K1 key-value, P1 pub/sub) in a measuring process: which
 * store each system brings to them, and every figure reported even when the pass breaks.
 */
final class BesideWorkloads {
    /** Arbor's lazy key-value persistence as the bench measures it: a commit after 1,000 changes or 100 ms. */
    static final KeyValuePersistence LAZY = KeyValuePersistence.lazy(1000, Duration.ofMillis(100));

    private BesideWorkloads() {}

    static List<Measurement> run(SystemId system, Workload workload, WorkloadData data, Path dir) {
        try {
            return switch (workload) {
                case C1 -> {
                    List<BenchRecord> records = data.docs().stream().map(BenchRecord::fromJsonLine).toList();
                    try (RecordStore store = recordStore(system, dir)) {
                        yield new RecordPass(store, records, data.scale()).run();
                    }
                }
                case K1 -> new KeyValuePass((mode, modeDir) -> keyValue(system, mode, modeDir), data.scale(), dir).run();
                case P1 -> {
                    if (system != SystemId.ARBOR) {
                        throw new NotApplicable("no publish/subscribe");
                    }
                    try (Database db = Arbor.open(dir, "bench", ArborOptions.DEFAULT)) {
                        yield new PubSubPass(db.pubSub().orElseThrow(), data.scale()).run();
                    }
                }
                default -> throw new IllegalArgumentException(workload + " runs in the document pass");
            };
        } catch (NotApplicable e) {
            return every(workload, Status.NOT_APPLICABLE, e.getMessage());
        } catch (UnsupportedOperationException e) {
            return every(workload, Status.NOT_YET, "not yet: " + e.getMessage());
        } catch (Exception e) {
            return every(workload, Status.FAILED, workload + " failed: " + e);
        }
    }

    private static RecordStore recordStore(SystemId system, Path dir) {
        return switch (system) {
            case ARBOR -> new ArborRecordStore(dir, ArborOptions.Durability.DURABLE);
            case ARBOR_RELAXED -> new ArborRecordStore(dir, ArborOptions.Durability.RELAXED);
            case SQLITE_NORMAL -> new SqliteRecordStore(dir, SqliteStore.Synchronous.NORMAL);
            case SQLITE_FULL -> new SqliteRecordStore(dir, SqliteStore.Synchronous.FULL);
            default -> throw new NotApplicable(system.notApplicableTo(Workload.C1));
        };
    }

    private static KeyValueTarget keyValue(SystemId system, KeyValuePass.Mode mode, Path dir) {
        boolean lazy = mode == KeyValuePass.Mode.LAZY;
        return switch (system) {
            case ARBOR -> new ArborKeyValue(dir, ArborOptions.Durability.DURABLE, lazy ? LAZY : KeyValuePersistence.IMMEDIATE);
            case ARBOR_RELAXED -> new ArborKeyValue(dir, ArborOptions.Durability.RELAXED, lazy ? LAZY : KeyValuePersistence.IMMEDIATE);
            case SQLITE_NORMAL, SQLITE_FULL -> {
                if (lazy) {
                    throw new NotApplicable("no lazy persistence; sqlite-normal (no fsync per commit) is the nearest");
                }
                yield new SqliteKeyValue(dir, system == SystemId.SQLITE_FULL ? SqliteStore.Synchronous.FULL : SqliteStore.Synchronous.NORMAL);
            }
            // Lazy: writes without sync, so the OS decides when they reach the disk.
            case ROCKSDB_RAW -> new RocksKeyValue(dir, !lazy);
            default -> throw new NotApplicable(system.notApplicableTo(Workload.K1));
        };
    }

    private static List<Measurement> every(Workload workload, Status status, String note) {
        return Metric.of(workload).stream().map(m -> Measurement.missing(m, status, note)).toList();
    }
}
