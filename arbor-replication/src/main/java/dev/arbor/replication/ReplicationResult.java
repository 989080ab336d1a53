package dev.arbor.replication;

import java.time.Instant;
import java.util.List;

/**
 * How a replication ended. {@code ok} is true when it completed or was cancelled (what was written is
 * checkpointed), false when it failed; individual documents the target refused count in
 * {@code docWriteFailures} without failing it, as in CouchDB.
 *
 * @param startSeq the source sequence it started after (from the checkpoint, {@code since_seq} or 0)
 * @param lastSeq  the source sequence everything up to which was replicated
 * @param errors   what went wrong: refused documents ({@code id: error reason}) and the failure, if any
 */
public record ReplicationResult(boolean ok, Status status, String replicationId, String sessionId,
                                long startSeq, long lastSeq, long changesRead, long missingChecked, long missingFound,
                                long docsRead, long docsWritten, long docWriteFailures, List<String> errors,
                                Instant startTime, Instant endTime) {

    public enum Status { COMPLETE, CANCELLED, FAILED }

    public ReplicationResult {
        errors = List.copyOf(errors);
    }
}
