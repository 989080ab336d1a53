package dev.arbor.bench.workload;

/** Whether a figure was measured, and if not, why not: never a silent gap in the report. */
public enum Status {
    /** Measured, and (for counted metrics) the system did all the work. */
    OK,
    /** The system is meant to run this but cannot yet (the engine throws UnsupportedOperationException). */
    NOT_YET,
    /** The system has no such operation by design (e.g. raw RocksDB has no changes feed). */
    NOT_APPLICABLE,
    /** It ran and broke, or did less work than asked. */
    FAILED
}
