package dev.arbor.api.find;

/**
 * What answering a query cost, as CouchDB's {@code execution_stats} reports it.
 *
 * @param totalKeysExamined index rows read
 * @param totalDocsExamined documents read and matched against the selector
 * @param totalQuorumDocsExamined documents read again for a read quorum (always 0 on one node)
 * @param resultsReturned   documents in the result
 * @param executionTimeMs   wall time from planning to the last result
 */
public record ExecutionStats(long totalKeysExamined, long totalDocsExamined, long totalQuorumDocsExamined,
                             long resultsReturned, double executionTimeMs) {}
