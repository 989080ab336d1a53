package dev.arbor.replication;

import dev.arbor.api.Seq;

/**
 * Counters of a replication so far, CouchDB's names in Java case.
 *
 * @param changesRead     rows of the source's changes feed read (what a run with nothing to do pays for)
 * @param missingChecked  revisions asked about in {@code revs_diff}
 * @param missingFound    revisions the target lacked
 * @param docsRead        revisions fetched from the source
 * @param docsWritten     revisions written to the target
 * @param docWriteFailures revisions the target refused
 * @param lastSeq         the source sequence every change up to which has been written, as the source gave it
 */
public record ReplicationStats(long changesRead, long missingChecked, long missingFound, long docsRead, long docsWritten,
                               long docWriteFailures, Seq lastSeq) {}
