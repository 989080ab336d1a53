package dev.arbor.api.view;

/**
 * {@code GET /{db}/_design/{ddoc}/_info}: the state of a design document's view index.
 *
 * @param signature       changes whenever the views' definitions do; the index is rebuilt then
 * @param updateSeq       the database seq the index reflects (0 before the first build)
 * @param updaterRunning  whether an update of this index is in progress
 * @param waitingClients  queries waiting for that update
 * @param activeSize      bytes of the index's rows, approximately
 */
public record ViewIndexInfo(String name, String signature, String language, long updateSeq, long purgeSeq,
                            boolean updaterRunning, int waitingClients, long activeSize) {
}
