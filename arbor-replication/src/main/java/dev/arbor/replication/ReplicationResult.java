package dev.arbor.replication;

import dev.arbor.api.Seq;

import java.time.Instant;
import java.util.List;

/**
 * How a replication ended. {@code ok} is true when it completed or was cancelled (what was written is
 * checkpointed), false when it failed; individual documents the target refused count in
 * {@code docWriteFailures} without failing it, as in CouchDB, and are listed in {@code docWriteErrors}.
 *
 * @param startSeq       the source sequence it started after (from the checkpoint, {@code since_seq} or 0)
 * @param lastSeq        the source sequence everything up to which was replicated
 * @param docWriteErrors the revisions the target refused, with its reasons (the first 100)
 * @param errors         what went wrong, as text: each refused revision ({@code id rev: error reason}) and the
 *                       failure, if any
 */
public record ReplicationResult(boolean ok, Status status, String replicationId, String sessionId,
                                Seq startSeq, Seq lastSeq, long changesRead, long missingChecked, long missingFound,
                                long docsRead, long docsWritten, long docWriteFailures, List<DocWriteError> docWriteErrors,
                                List<String> errors,
                                Instant startTime, Instant endTime) {

    public enum Status { COMPLETE, CANCELLED, FAILED }

    public ReplicationResult {
        docWriteErrors = List.copyOf(docWriteErrors);
        errors = List.copyOf(errors);
    }
}
