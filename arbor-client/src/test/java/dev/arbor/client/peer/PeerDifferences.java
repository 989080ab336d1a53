package dev.arbor.client.peer;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.TestAbortedException;

import java.util.Map;

/**
 * Contract tests a peer server is known to fail because it is not CouchDB, each with the reason: a
 * failure of a listed test is reported as aborted (skipped) with that reason, every other failure
 * stands. The shared contract stays as it is; a listed test that passes simply passes.
 *
 * <p>Keys are {@code NestedClass.method} of the facet contracts in {@code dev.arbor.api.contract} ({@code DocumentsContract} and the others).
 */
public final class PeerDifferences implements TestExecutionExceptionHandler, LifecycleMethodExecutionExceptionHandler {
    private final String peer;
    private final Map<String, String> reasons;

    public PeerDifferences(String peer, Map<String, String> reasons) {
        this.peer = peer;
        this.reasons = Map.copyOf(reasons);
    }

    /** A test's own set-up may be what the peer cannot do (Stemming sets a revs_limit first). */
    @Override
    public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable thrown) throws Throwable {
        handleTestExecutionException(context, thrown);
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable thrown) throws Throwable {
        String key = context.getRequiredTestClass().getSimpleName() + "." + context.getRequiredTestMethod().getName();
        String reason = reasons.get(key);
        if (reason == null) {
            throw thrown;
        }
        throw new TestAbortedException(peer + " differs from CouchDB: " + reason + " (" + thrown + ")", thrown);
    }

    /** pouchdb-server 4.2 (PouchDB 7, memory adapter), as found against the client. */
    public static PeerDifferences pouchDbServer() {
        String deletedReason = "GET of a deleted doc answers reason \"missing\"; CouchDB says \"deleted\"";
        String idToken = "an illegal id is error \"bad_request\"; CouchDB says \"illegal_docid\"";
        String noPurge = "no _purge endpoint (the POST lands on its form-upload route: only_multipart_accepted)";
        String noRevsLimit = "no _revs_limit endpoint (a PUT is taken as a doc named _revs_limit: invalid_json)";
        String localCas = "a local doc's _rev is compared with the stored one (a conflict when stale); CouchDB 3"
                + " numbers the edit from the rev it names and checks nothing";
        String systemDbs = "_all_dbs always lists its own _users and _replicator";
        String revsDiff = "_revs_diff counts ancestors known only from _revisions (no body) as missing; CouchDB counts"
                + " every revision in the tree";
        return new PeerDifferences("pouchdb-server", Map.ofEntries(
                Map.entry("AllDocs.idsSortByRawCodePointIncludingDesignDocs",
                        "_all_docs leaves out ids at and above U+FF01 (total_rows counts them, rows do not)"),
                Map.entry("Attachments.identicalDataInTwoDocsIsStoredOnce", "GET /db has no sizes"),
                Map.entry("Attachments.attsSinceInlinesOnlyAttachmentsWrittenAfterThoseRevisions",
                        "atts_since is ignored when attachments=true: every attachment is inlined"),
                Map.entry("Attachments.aFollowingAttachmentWhoseDataDoesNotMatchItsDigestIsRefusedAndNothingIsWritten",
                        "multipart/related parts are not checked against their digest"),
                Map.entry("Attachments.aReplicatedRevisionKeepsTheRevposItsAttachmentsName",
                        "an inline attachment of a new_edits=false revision gets the revision's pos as revpos, not the one sent"),
                Map.entry("BulkDocs.aLiveLeafWinsOverALongerDeletedOne", "no deleted_conflicts option"),
                Map.entry("BulkDocs.differentEditsGiveDifferentRevisions",
                        "revision hashes depend on member order ({n,_id} and {_id,n} differ), and a DELETE naming an"
                                + " unknown rev is 404 missing where CouchDB says 409 conflict"),
                Map.entry("BulkDocs.aDocWhoseLeavesAreAllDeletedIsDeleted", deletedReason),
                Map.entry("Documents.removeWritesATombstoneAndGetSaysDeleted", deletedReason),
                Map.entry("Documents.putWithDeletedTrueDeletes", deletedReason),
                Map.entry("Changes.limitStopsEarlyAndCountsWhatIsPending", "_changes has no pending"),
                Map.entry("Changes.theStreamingFormGivesTheSameRowsAndSummary", "_changes has no pending"),
                Map.entry("Changes.underAFilterPendingCountsEveryChangeAfterTheLastReturnedRowPassingOrNot", "_changes has no pending"),
                Map.entry("Changes.mainOnlyStyleGivesTheWinnerAndAllDocsStyleEveryLeafWinnerFirst",
                        "style=main_only lists the last written leaf (here a tombstone), not the winner"),
                Map.entry("Documents.anIllegalIdFailsTheWholeBulkRequest", idToken),
                Map.entry("Documents.anIdStartingWithUnderscoreIsIllegal", idToken),
                Map.entry("Documents.aNonStringIdIsIllegal", idToken),
                Map.entry("Documents.bodiesSurviveExactlyIncludingUnicodeAndBigNumbers",
                        "numbers pass through JavaScript doubles: 123456789012345678901234567890 comes back as 1.2345678901234568E+29"),
                Map.entry("Documents.anEmptyIdIsIllegal", "POST with \"_id\":\"\" stores the doc under a generated id"),
                Map.entry("Info.countsFollowCreatesUpdatesAndDeletes", "GET /db has no doc_del_count"),
                Map.entry("LocalDocuments.localDocsListsOnlyLocalDocsInIdOrder", "no _local_docs endpoint"),
                Map.entry("LocalDocuments.removedLocalDocIsGoneAndStartsOverWhenWrittenAgain", localCas),
                Map.entry("LocalDocuments.aLocalEditIsNumberedFromTheRevItNamesWithoutAConflictCheckAsInCouchDb", localCas),
                Map.entry("LocalDocuments.aReplicatorCheckpointWithRevisionsStartingAtZeroIsAccepted", localCas),
                Map.entry("LocalDocuments.aLocalRevThatIsNoNumberIsABadRequest", localCas),
                Map.entry("LocalDocuments.localDocsRefuseAttachments", "attachments of a local doc are not refused"),
                Map.entry("Attachments.aReplicatedAttachmentKeepsItsPeersDigestAndDifferentDataNeverShareOne",
                        "a replicated attachment's digest is recomputed from its data, not kept as its peer sent it"),
                Map.entry("Attachments.aReplicatedAttachmentWhoseDeclaredLengthIsNotItsDataIsRefused",
                        "a following attachment is not checked against its declared length"),
                Map.entry("Attachments.anAttachmentNameStartingWithAnUnderscoreIsRefusedAsInCouchDb",
                        "a name starting with '_' is refused with reason \"Something wrong with the request\""),
                Map.entry("BulkDocs.revisionsWinOverADisagreeingRevAsInCouchDb",
                        "an edit whose _rev and _revisions disagree is checked against _rev (a conflict)"),
                Map.entry("BulkDocs.aReplicatedRevisionWithoutRevFailsTheWholeRequest",
                        "the reason is \"Invalid rev format\", not CouchDB's"),
                Map.entry("ReadOptions.openRevsAnswersEachRevisionOnceHoweverManyAskedOnesLeadToIt",
                        "open_revs answers a missing revision named twice twice"),
                Map.entry("Documents.aMalformedRevIsABadRequestEvenForAMissingDocAsInCouchDb",
                        "a malformed rev of a missing doc is 404: the lookup comes before the rev is checked"),
                Map.entry("Purge.purgeSeqGrowsWithEachPurge", noPurge),
                Map.entry("Purge.purgingTheOnlyLeafRemovesTheDocAsIfNeverWritten", noPurge),
                Map.entry("Purge.purgingAnUnknownRevisionPurgesNothing", noPurge),
                Map.entry("Purge.purgingOneOfTwoLeavesLeavesTheOtherAsWinner", noPurge),
                Map.entry("Purge.purgingADeletedDocLowersTheDeletedCount", noPurge),
                Map.entry("ReadOptions.localSeqIsTheSequenceOfTheRevision", "no local_seq option"),
                Map.entry("ReadOptions.revsInfoGivesTheStatusOfEachAncestor", "revs_info calls a deleted ancestor \"available\""),
                Map.entry("ReadOptions.deletedConflictsListsTheDeletedLosingLeaves", "no deleted_conflicts option"),
                Map.entry("ReplicationSupport.bulkGetGivesTheWinnerOrTheNamedRevision",
                        "_bulk_get merges requests for the same id into one result; CouchDB answers one per request"),
                Map.entry("ReplicationSupport.bulkGetOfAMissingDocOrRevisionIsAnErrorEntry",
                        "_bulk_get answers an unknown doc with an empty object {} instead of an error entry"),
                Map.entry("ReplicationSupport.revsDiffListsWhatIsMissingWithThePossibleAncestors", revsDiff),
                Map.entry("ReplicationSupport.revsDiffLeavesOutDocsWithNothingMissing", revsDiff),
                Map.entry("Settings.revsLimitDefaultsToAThousandAndCanBeSet", noRevsLimit),
                Map.entry("Stemming.aStemmedRevisionIsMissing", noRevsLimit),
                Map.entry("Stemming.revisionsAreCutToTheRevsLimit", noRevsLimit),
                Map.entry("Stemming.aPathThatReconnectsToTheStemmedTreeMergesIntoIt", noRevsLimit),
                Map.entry("StorageOfDatabases.deletingAMissingDatabaseIsNotFound", "DELETE of a missing database answers 200"),
                Map.entry("StorageOfDatabases.deletingADatabaseRemovesItAndAllItsData", systemDbs),
                Map.entry("StorageOfDatabases.createdDatabasesExistAndAreListedSorted", systemDbs)));
    }
}
