package dev.arbor.replication;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.Seq;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Options of one replication, named as CouchDB's {@code _replicate} fields. Build from {@link #DEFAULT}:
 * {@code ReplicationOptions.DEFAULT.continuous(true).docIds(List.of("a", "b"))}.
 *
 * @param continuous         keep replicating new changes (driven by the source's commit notifications,
 *                           not by polling) until cancelled
 * @param createTarget       create the target database when it does not exist (only meaningful with the
 *                           {@code Replicator} overloads that take a target {@code Storage})
 * @param docIds             replicate only these documents ({@code doc_ids}); null means all
 * @param javaFilter         replicate only documents whose winning revision the predicate accepts
 * @param selector           a Mango selector ({@code selector}) the winning revision must match
 * @param filter             a design-doc filter {@code ddoc/name} ({@code filter}), run by the source on its
 *                           changes feed; or {@code _view} with {@code queryParams} {@code view=ddoc/view}. Its
 *                           code is part of the replication id, so editing it starts from a fresh checkpoint
 * @param queryParams        {@code query_params} of the filter, its {@code req.query}
 * @param sinceSeq           start after this source sequence instead of the checkpoint ({@code since_seq});
 *                           null means "from the last common checkpoint, else 0". A CouchDB source's
 *                           opaque sequence is given as it is ({@code new Seq.Token("42-g1AA...")})
 * @param checkpointInterval how often a checkpoint is written while changes flow ({@code checkpoint_interval};
 *                           CouchDB's default, 30 s; {@link Duration#ZERO} checkpoints after every batch, as
 *                           PouchDB does). A checkpoint is always written at the end of a one-shot run, when a
 *                           continuous one catches up, and on cancel.
 * @param batchSize          changes per batch ({@code batch_size}); 500 by default, CouchDB's (PouchDB's is 100):
 *                           each batch is one revs_diff, one bulk_get per worker and one bulk_docs commit, so
 *                           bigger batches amortise the target's commit
 * @param workerProcesses    how many {@code bulk_get} requests of a batch run at once ({@code worker_processes},
 *                           CouchDB's default 4)
 * @param useCheckpoints     read and write checkpoints ({@code use_checkpoints})
 * @param maxRetries         consecutive failed attempts (internal or I/O errors) tolerated before the
 *                           replication fails; progress resets the count
 * @param initialRetryDelay  wait before the first retry; doubled after each further failure
 * @param maxRetryDelay      cap of the doubling (CouchDB caps its job backoff too)
 */
public record ReplicationOptions(boolean continuous, boolean createTarget, List<String> docIds, JavaFilter javaFilter,
                                 ObjectNode selector, String filter, Map<String, String> queryParams, Seq sinceSeq,
                                 Duration checkpointInterval, int batchSize, int workerProcesses, boolean useCheckpoints,
                                 int maxRetries, Duration initialRetryDelay, Duration maxRetryDelay) {

    public static final int DEFAULT_BATCH_SIZE = 500;

    public static final ReplicationOptions DEFAULT = new ReplicationOptions(false, false, null, null, null, null, null, null,
            Duration.ofSeconds(30), DEFAULT_BATCH_SIZE, 4, true, 10, Duration.ofMillis(250), Duration.ofSeconds(60));

    public ReplicationOptions {
        docIds = docIds == null ? null : List.copyOf(docIds);
        queryParams = queryParams == null ? null : Map.copyOf(queryParams);
        if (checkpointInterval == null || checkpointInterval.isNegative()) {
            throw new IllegalArgumentException("checkpointInterval must be zero or positive");
        }
        if (batchSize < 1 || workerProcesses < 1 || maxRetries < 0) {
            throw new IllegalArgumentException("batchSize and workerProcesses must be positive, maxRetries not negative");
        }
    }

    public ReplicationOptions continuous(boolean v) { return new ReplicationOptions(v, createTarget, docIds, javaFilter, selector, filter, queryParams, sinceSeq, checkpointInterval, batchSize, workerProcesses, useCheckpoints, maxRetries, initialRetryDelay, maxRetryDelay); }
    public ReplicationOptions createTarget(boolean v) { return new ReplicationOptions(continuous, v, docIds, javaFilter, selector, filter, queryParams, sinceSeq, checkpointInterval, batchSize, workerProcesses, useCheckpoints, maxRetries, initialRetryDelay, maxRetryDelay); }
    public ReplicationOptions docIds(List<String> v) { return new ReplicationOptions(continuous, createTarget, v, javaFilter, selector, filter, queryParams, sinceSeq, checkpointInterval, batchSize, workerProcesses, useCheckpoints, maxRetries, initialRetryDelay, maxRetryDelay); }
    public ReplicationOptions javaFilter(JavaFilter v) { return new ReplicationOptions(continuous, createTarget, docIds, v, selector, filter, queryParams, sinceSeq, checkpointInterval, batchSize, workerProcesses, useCheckpoints, maxRetries, initialRetryDelay, maxRetryDelay); }
    public ReplicationOptions selector(ObjectNode v) { return new ReplicationOptions(continuous, createTarget, docIds, javaFilter, v, filter, queryParams, sinceSeq, checkpointInterval, batchSize, workerProcesses, useCheckpoints, maxRetries, initialRetryDelay, maxRetryDelay); }
    public ReplicationOptions filter(String v) { return new ReplicationOptions(continuous, createTarget, docIds, javaFilter, selector, v, queryParams, sinceSeq, checkpointInterval, batchSize, workerProcesses, useCheckpoints, maxRetries, initialRetryDelay, maxRetryDelay); }
    public ReplicationOptions queryParams(Map<String, String> v) { return new ReplicationOptions(continuous, createTarget, docIds, javaFilter, selector, filter, v, sinceSeq, checkpointInterval, batchSize, workerProcesses, useCheckpoints, maxRetries, initialRetryDelay, maxRetryDelay); }
    public ReplicationOptions sinceSeq(long v) { return sinceSeq(Seq.of(v)); }
    public ReplicationOptions sinceSeq(Seq v) { return new ReplicationOptions(continuous, createTarget, docIds, javaFilter, selector, filter, queryParams, v, checkpointInterval, batchSize, workerProcesses, useCheckpoints, maxRetries, initialRetryDelay, maxRetryDelay); }
    public ReplicationOptions checkpointInterval(Duration v) { return new ReplicationOptions(continuous, createTarget, docIds, javaFilter, selector, filter, queryParams, sinceSeq, v, batchSize, workerProcesses, useCheckpoints, maxRetries, initialRetryDelay, maxRetryDelay); }
    public ReplicationOptions batchSize(int v) { return new ReplicationOptions(continuous, createTarget, docIds, javaFilter, selector, filter, queryParams, sinceSeq, checkpointInterval, v, workerProcesses, useCheckpoints, maxRetries, initialRetryDelay, maxRetryDelay); }
    public ReplicationOptions workerProcesses(int v) { return new ReplicationOptions(continuous, createTarget, docIds, javaFilter, selector, filter, queryParams, sinceSeq, checkpointInterval, batchSize, v, useCheckpoints, maxRetries, initialRetryDelay, maxRetryDelay); }
    public ReplicationOptions useCheckpoints(boolean v) { return new ReplicationOptions(continuous, createTarget, docIds, javaFilter, selector, filter, queryParams, sinceSeq, checkpointInterval, batchSize, workerProcesses, v, maxRetries, initialRetryDelay, maxRetryDelay); }
    public ReplicationOptions maxRetries(int v) { return new ReplicationOptions(continuous, createTarget, docIds, javaFilter, selector, filter, queryParams, sinceSeq, checkpointInterval, batchSize, workerProcesses, useCheckpoints, v, initialRetryDelay, maxRetryDelay); }
    public ReplicationOptions retryDelays(Duration initial, Duration max) { return new ReplicationOptions(continuous, createTarget, docIds, javaFilter, selector, filter, queryParams, sinceSeq, checkpointInterval, batchSize, workerProcesses, useCheckpoints, maxRetries, initial, max); }
}
