package dev.arbor.bench.workload;

/** Thrown by a system for a workload it has no operation for by design, as opposed to one it cannot do yet. */
public final class NotApplicable extends RuntimeException {
    public NotApplicable(String reason) {
        super(reason, null, false, false);
    }
}
