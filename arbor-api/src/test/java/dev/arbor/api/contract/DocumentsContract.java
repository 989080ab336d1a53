package dev.arbor.api.contract;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.AllDocsOptions;
import dev.arbor.api.AllDocsResult;
import dev.arbor.api.AllDocsRow;
import dev.arbor.api.BulkGetRequest;
import dev.arbor.api.BulkGetResult;
import dev.arbor.api.ChangesOptions;
import dev.arbor.api.Database;
import dev.arbor.api.DocResult;
import dev.arbor.api.DocumentJson;
import dev.arbor.api.GetOptions;
import dev.arbor.api.OpenRev;
import dev.arbor.api.RevsDiff;
import dev.arbor.api.Seq;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.arbor.api.contract.Fixtures.assertArbor;
import static dev.arbor.api.contract.Fixtures.assertConflict;
import static dev.arbor.api.contract.Fixtures.assertNotFound;
import static dev.arbor.api.contract.Fixtures.doc;
import static dev.arbor.api.contract.Fixtures.hash;
import static dev.arbor.api.contract.Fixtures.pos;
import static dev.arbor.api.contract.Fixtures.replicated;
import static dev.arbor.api.contract.Fixtures.rev;
import static dev.arbor.api.contract.Fixtures.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@link dev.arbor.api.Documents} facet as every backend must honour it: CouchDB 3.x's semantics for single
 * documents, read options, {@code _bulk_docs} with its winners and deterministic revisions, stemming,
 * {@code _all_docs}, the replicator's reads ({@code _revs_diff}, {@code _bulk_get}) and concurrent writers.
 */
public abstract class DocumentsContract extends DatabaseFacetContract {

    // ---- single documents ---------------------------------------------------------------------

    @Nested
    class Documents {
        @Test
        void aMalformedRevIsABadRequestEvenForAMissingDocAsInCouchDb() {
            for (var read : List.<org.junit.jupiter.api.function.Executable>of(
                    () -> db.get("missing", GetOptions.DEFAULT.rev("notarev")),
                    () -> db.getJson("missing", GetOptions.DEFAULT.rev("notarev")),
                    () -> db.getAttachment("missing", "a.txt", "notarev"))) {
                assertEquals("Invalid rev format",
                        org.junit.jupiter.api.Assertions.assertThrows(ArborException.BadRequest.class, read).reason());
            }
            // A delete opens the document first, as CouchDB's DELETE does.
            assertNotFound("missing", () -> db.remove("missing", "notarev"));
            create("a", "{}");
            org.junit.jupiter.api.Assertions.assertThrows(ArborException.BadRequest.class, () -> db.remove("a", "notarev"));
        }

        @Test
        void aNewDocGetsAFirstRevisionWithAnMd5SizedHash() {
            DocResult.Ok ok = db.put(doc("{'_id':'a','n':1}"));
            assertEquals("a", ok.id());
            assertTrue(ok.rev().matches("1-[0-9a-f]{32}"), ok.rev());
        }

        @Test
        void getReturnsIdRevAndBody() {
            String rev = create("a", "{'n':1,'nested':{'list':[1,'two',null,true]}}");
            ObjectNode got = db.get("a");
            assertEquals(doc("{'_id':'a','_rev':'" + rev + "','n':1,'nested':{'list':[1,'two',null,true]}}"), got);
        }

        @Test
        void bodiesSurviveExactlyIncludingUnicodeAndBigNumbers() {
            ObjectNode body = doc("{'s':'é \\u00e9 😀 \\n','big':123456789012345678901234567890,'neg':-7,'f':0.1,'e':[],'o':{}}");
            body.put("_id", "a");
            db.put(body);
            ObjectNode got = db.get("a");
            got.remove("_rev");
            assertEquals(body, got);
        }

        @Test
        void getJsonIsTheEncodingOfTheDocumentGetReturns() {
            create("plain", "{'n':1,'nested':{'list':[1,'two',null,true]},'f':0.1,'big':123456789012345678901234567890}");
            create("empty", "{}");
            create("quote\\\"d é😀", "{'s':'é \\u00e9 😀 \\n \\u0001','o':{}}");
            conflictedDoc("conflicted");
            ObjectNode withAttachment = doc("{'_id':'attached','n':2}");
            withAttachment.putObject("_attachments").putObject("a.txt")
                    .put("content_type", "text/plain").put("data", "aGVsbG8=");
            db.put(withAttachment);
            for (String id : List.of("plain", "empty", "quote\\\"d é😀", "conflicted", "attached")) {
                for (GetOptions options : List.of(GetOptions.DEFAULT, GetOptions.DEFAULT.conflicts(true),
                        GetOptions.DEFAULT.revs(true), GetOptions.DEFAULT.attachments(true))) {
                    ObjectNode tree = db.get(id, options);
                    DocumentJson json = db.getJson(id, options);
                    assertEquals(new String(Json.bytes(tree), java.nio.charset.StandardCharsets.UTF_8),
                            new String(json.json(), java.nio.charset.StandardCharsets.UTF_8), id + " " + options);
                    assertEquals(tree.get("_rev").asText(), json.rev());
                }
            }
            assertNotFound("missing", () -> db.getJson("missing", GetOptions.DEFAULT));
            db.remove("empty", db.get("empty").get("_rev").asText());
            // The reason is CouchDB's "deleted"; pouchdb-server answers "missing", so only the error is pinned here.
            org.junit.jupiter.api.Assertions.assertThrows(ArborException.NotFound.class, () -> db.getJson("empty", GetOptions.DEFAULT));
        }

        @Test
        void anUpdateOnTheCurrentRevMakesTheNextRevision() {
            String first = create("a", "{'n':1}");
            String second = update("a", first, "{'n':2}");
            assertEquals(2, pos(second));
            assertEquals(2, db.get("a").get("n").asInt());
            assertEquals(Set.of(second), leaves("a"));
        }

        @Test
        void anUpdateWithoutRevOfAnExistingDocConflicts() {
            create("a", "{}");
            var thrown = assertConflict(() -> create("a", "{'n':2}"));
        }

        @Test
        void anUpdateOnAStaleRevConflicts() {
            String first = create("a", "{}");
            update("a", first, "{'n':2}");
            assertConflict(() -> update("a", first, "{'n':3}"));
            assertEquals(2, db.get("a").get("n").asInt());
        }

        @Test
        void aRevOnADocThatDoesNotExistConflicts() {
            // CouchDB: "old revs specified but none exist, a conflict".
            assertConflict(() -> update("nope", rev(1, 'a'), "{}"));
            assertNotFound("missing", () -> db.get("nope"));
        }

        @Test
        void getOfAMissingDocIsNotFoundMissing() {
            var thrown = assertNotFound("missing", () -> db.get("nope"));
        }

        @Test
        void removeWritesATombstoneAndGetSaysDeleted() {
            String first = create("a", "{'n':1}");
            DocResult.Ok removed = db.remove("a", first);
            assertEquals(2, pos(removed.rev()));
            assertNotFound("deleted", () -> db.get("a"));
        }

        @Test
        void removeOnAStaleRevConflicts() {
            String first = create("a", "{}");
            update("a", first, "{}");
            assertConflict(() -> db.remove("a", first));
            assertNotNull(db.get("a"));
        }

        @Test
        void putWithDeletedTrueDeletes() {
            String first = create("a", "{}");
            ObjectNode tombstone = doc("{'_id':'a','_deleted':true}");
            tombstone.put("_rev", first);
            db.put(tombstone);
            assertNotFound("deleted", () -> db.get("a"));
            assertEquals(1, db.info().docDelCount());
        }

        @Test
        void aTombstoneCanBeReadAtItsRevision() {
            String tomb = db.remove("a", create("a", "{'n':1}")).rev();
            ObjectNode got = db.get("a", GetOptions.DEFAULT.rev(tomb));
            assertEquals(tomb, got.get("_rev").asText());
            assertTrue(got.get("_deleted").asBoolean());
        }

        @Test
        void recreatingADeletedDocWithoutRevContinuesAfterTheTombstone() {
            // CouchDB extends the deleted leaf rather than starting a second tree, so the new
            // revision is 3-x with the tombstone as its parent and the doc has no conflict.
            String first = create("a", "{'n':1}");
            String tomb = db.remove("a", first).rev();
            String third = create("a", "{'n':3}");
            assertEquals(3, pos(third));
            assertEquals(Set.of(third), leaves("a"));
            ObjectNode got = db.get("a", GetOptions.DEFAULT.revs(true));
            assertEquals(3, got.get("n").asInt());
            assertEquals(List.of(hashOf(third), hashOf(tomb), hashOf(first)), revisionIds(got));
        }

        @Test
        void postGeneratesA32HexIdAndStoresTheDoc() {
            DocResult.Ok ok = db.post(doc("{'n':1}"));
            assertTrue(ok.id().matches("[0-9a-f]{32}"), ok.id());
            assertEquals(1, db.get(ok.id()).get("n").asInt());
            assertNotEquals(ok.id(), db.post(doc("{'n':1}")).id());
        }

        @Test
        void designDocsAreDocuments() {
            String rev = create("_design/app", "{'views':{}}");
            assertEquals(rev, db.get("_design/app").get("_rev").asText());
            assertEquals(1, db.info().docCount());
        }

        @Test
        void anIdStartingWithUnderscoreIsIllegal() {
            assertArbor(ArborException.BadRequest.class, "illegal_docid",
                    "Only reserved document ids may start with underscore.", () -> create("_foo", "{}"));
        }

        @Test
        void anEmptyIdIsIllegal() {
            assertArbor(ArborException.BadRequest.class, "illegal_docid", null, () -> create("", "{}"));
        }

        @Test
        void aNonStringIdIsIllegal() {
            assertArbor(ArborException.BadRequest.class, "illegal_docid", "Document id must be a string",
                    () -> db.put(doc("{'_id':1}")));
        }

        @Test
        void anUnknownSpecialMemberIsRejected() {
            assertArbor(ArborException.BadRequest.class, "doc_validation", "Bad special document member: _foo",
                    () -> db.put(doc("{'_id':'a','_foo':1}")));
            assertNotFound("missing", () -> db.get("a"));
        }

        @Test
        void anIllegalIdFailsTheWholeBulkRequest() {
            // CouchDB validates ids before writing anything and answers the whole _bulk_docs with 400.
            assertArbor(ArborException.BadRequest.class, "illegal_docid", null,
                    () -> db.bulkDocs(List.of(doc("{'_id':'fine'}"), doc("{'_id':'_bad'}"))));
            assertNotFound("missing", () -> db.get("fine"));
            assertEquals(0, db.info().updateSeq().number());
        }
    }

    // ---- read options -----------------------------------------------------------------------------

    @Nested
    class ReadOptions {
        @Test
        void revReadsAnEarlierRevision() {
            String first = create("a", "{'n':1}");
            update("a", first, "{'n':2}");
            ObjectNode old = db.get("a", GetOptions.DEFAULT.rev(first));
            assertEquals(first, old.get("_rev").asText());
            assertEquals(1, old.get("n").asInt());
        }

        @Test
        void anUnknownRevIsNotFoundMissing() {
            create("a", "{}");
            assertNotFound("missing", () -> db.get("a", GetOptions.DEFAULT.rev(rev(9, 'f'))));
        }

        @Test
        void revsGivesTheAncestryNewestFirst() {
            String r1 = create("a", "{}");
            String r2 = update("a", r1, "{}");
            String r3 = update("a", r2, "{}");
            ObjectNode got = db.get("a", GetOptions.DEFAULT.revs(true));
            assertEquals(3, got.get("_revisions").get("start").asInt());
            assertEquals(List.of(hashOf(r3), hashOf(r2), hashOf(r1)), revisionIds(got));
            assertFalse(db.get("a").has("_revisions"), "only when asked");
        }

        @Test
        void revsOfAnOlderRevisionStartsThere() {
            String r1 = create("a", "{}");
            String r2 = update("a", r1, "{}");
            update("a", r2, "{}");
            ObjectNode got = db.get("a", GetOptions.DEFAULT.rev(r2).revs(true));
            assertEquals(2, got.get("_revisions").get("start").asInt());
            assertEquals(List.of(hashOf(r2), hashOf(r1)), revisionIds(got));
        }

        @Test
        void revsInfoGivesTheStatusOfEachAncestor() {
            String r1 = create("a", "{}");
            String r2 = db.remove("a", r1).rev();
            String r3 = create("a", "{}");
            ArrayNode info = (ArrayNode) db.get("a", GetOptions.DEFAULT.revsInfo(true)).get("_revs_info");
            assertEquals(Json.MAPPER.valueToTree(List.of(
                    Map.of("rev", r3, "status", "available"),
                    Map.of("rev", r2, "status", "deleted"),
                    Map.of("rev", r1, "status", "available"))), info);
        }

        @Test
        void conflictsListsTheLiveLosingLeavesOnlyWhenAsked() {
            conflictedDoc("a");
            ObjectNode winner = db.get("a", GetOptions.DEFAULT.conflicts(true));
            assertEquals(rev(2, 'c'), winner.get("_rev").asText());
            assertEquals(List.of(rev(2, 'b')), strings(winner.get("_conflicts")));
            assertFalse(db.get("a").has("_conflicts"));
        }

        @Test
        void aDocWithoutConflictsHasNoConflictsField() {
            create("a", "{}");
            assertFalse(db.get("a", GetOptions.DEFAULT.conflicts(true)).has("_conflicts"));
        }

        @Test
        void deletedConflictsListsTheDeletedLosingLeaves() {
            conflictedDoc("a");
            String tomb = db.remove("a", rev(2, 'b')).rev();
            ObjectNode got = db.get("a", GetOptions.DEFAULT.conflicts(true).deletedConflicts(true));
            assertEquals(rev(2, 'c'), got.get("_rev").asText());
            assertFalse(got.has("_conflicts"), "a deleted leaf is not a conflict");
            assertEquals(List.of(tomb), strings(got.get("_deleted_conflicts")));
        }

        @Test
        void latestWithAnOldRevGivesTheLeafDescendingFromIt() {
            String r1 = create("a", "{'n':1}");
            String r2 = update("a", r1, "{'n':2}");
            ObjectNode got = db.get("a", GetOptions.DEFAULT.rev(r1).latest(true));
            assertEquals(r2, got.get("_rev").asText());
            assertEquals(2, got.get("n").asInt());
        }

        @Test
        void localSeqIsTheSequenceOfTheRevision() {
            create("a", "{}");
            String b = create("b", "{}");
            update("b", b, "{}");
            ObjectNode got = db.get("b", GetOptions.DEFAULT.localSeq(true));
            long changedAt = db.changes(ChangesOptions.DEFAULT.docIds(List.of("b"))).results().getFirst().seq().number();
            assertEquals(3, changedAt);
            assertEquals(changedAt, got.get("_local_seq").asLong());
        }

        @Test
        void openRevsAllGivesEveryLeafIncludingDeletedOnes() {
            conflictedDoc("a");
            String tomb = db.remove("a", rev(2, 'b')).rev();
            Map<String, ObjectNode> byRev = new LinkedHashMap<>();
            for (OpenRev r : db.getOpenRevs("a", null, GetOptions.DEFAULT)) {
                ObjectNode found = assertInstanceOf(OpenRev.Found.class, r).doc();
                byRev.put(found.get("_rev").asText(), found);
            }
            assertEquals(Set.of(rev(2, 'c'), tomb), byRev.keySet());
            assertTrue(byRev.get(tomb).get("_deleted").asBoolean());
            assertEquals("c", byRev.get(rev(2, 'c')).get("branch").asText());
        }

        @Test
        void openRevsListGivesEachNamedRevisionFoundOrMissing() {
            conflictedDoc("a");
            List<OpenRev> got = db.getOpenRevs("a", List.of(rev(2, 'b'), rev(7, 'e')), GetOptions.DEFAULT.revs(true));
            assertEquals(2, got.size());
            ObjectNode found = assertInstanceOf(OpenRev.Found.class, got.get(0)).doc();
            assertEquals(rev(2, 'b'), found.get("_rev").asText());
            assertEquals(List.of(hash('b'), hash('a')), revisionIds(found));
            assertEquals(new OpenRev.Missing(rev(7, 'e')), got.get(1));
        }

        @Test
        void openRevsAnswersEachRevisionOnceHoweverManyAskedOnesLeadToIt() {
            String r1 = create("a", "{}");
            String r2 = update("a", r1, "{}");
            String r3 = update("a", r2, "{}");
            List<OpenRev> latest = db.getOpenRevs("a", List.of(r1, r2), GetOptions.DEFAULT.latest(true));
            assertEquals(1, latest.size(), "two revisions of one branch lead to its leaf once, as in CouchDB");
            assertEquals(r3, assertInstanceOf(OpenRev.Found.class, latest.getFirst()).doc().get("_rev").asText());
            List<OpenRev> twice = db.getOpenRevs("a", List.of(r3, r3, rev(9, 'z'), rev(9, 'z')), GetOptions.DEFAULT);
            assertEquals(2, twice.size(), twice.toString());
            assertEquals(new OpenRev.Missing(rev(9, 'z')), twice.get(1));
        }

        @Test
        void openRevsWithLatestFollowsEachRevisionToItsLeaf() {
            String r1 = create("a", "{}");
            String r2 = update("a", r1, "{}");
            List<OpenRev> got = db.getOpenRevs("a", List.of(r1), GetOptions.DEFAULT.latest(true));
            assertEquals(1, got.size());
            assertEquals(r2, assertInstanceOf(OpenRev.Found.class, got.getFirst()).doc().get("_rev").asText());
        }
    }

    // ---- bulk docs, winners, determinism --------------------------------------------------------

    @Nested
    class BulkDocs {
        @Test
        void newEditsCommitsEveryDocButTheConflictingOneAndAnswersInOrder() {
            String old = create("b", "{}");
            update("b", old, "{}");
            ObjectNode staleB = doc("{'_id':'b','n':1}");
            staleB.put("_rev", old);
            List<DocResult> results = db.bulkDocs(List.of(doc("{'_id':'a'}"), staleB, doc("{'_id':'c'}")));
            assertEquals(List.of("a", "b", "c"), results.stream().map(DocResult::id).toList());
            assertInstanceOf(DocResult.Ok.class, results.get(0));
            DocResult.Error conflict = assertInstanceOf(DocResult.Error.class, results.get(1));
            assertEquals("conflict", conflict.error());
            assertInstanceOf(DocResult.Ok.class, results.get(2));
            assertEquals(((DocResult.Ok) results.get(2)).rev(), db.get("c").get("_rev").asText());
            assertEquals(3, db.info().docCount());
        }

        @Test
        void replicatedRevisionsKeepTheirIdsAndAncestry() {
            replicate(replicated("a", 3, "cba", false, "{'n':3}"));
            ObjectNode got = db.get("a", GetOptions.DEFAULT.revs(true));
            assertEquals(rev(3, 'c'), got.get("_rev").asText());
            assertEquals(3, got.get("n").asInt());
            assertEquals(List.of(hash('c'), hash('b'), hash('a')), revisionIds(got));
            assertEquals(1, db.info().docCount());
        }

        @Test
        void aReplicatedRevisionWithAnEmptyHashIsStoredAsCouchDbStoresIt() {
            assertEquals(List.of(), db.bulkDocs(List.of(doc("{'_id':'y','_rev':'1-','v':1}")), false));
            ObjectNode got = db.get("y", GetOptions.DEFAULT.revs(true));
            assertEquals("1-", got.get("_rev").asText());
            assertEquals(List.of(""), revisionIds(got));
            assertEquals(List.of("y"), allDocIds(AllDocsOptions.DEFAULT));
        }

        @Test
        void aReplicatedRevisionWithoutRevFailsTheWholeRequest() {
            var e = org.junit.jupiter.api.Assertions.assertThrows(ArborException.BadRequest.class,
                    () -> db.bulkDocs(List.of(replicated("a", 1, "a"), doc("{'_id':'x','v':1}")), false));
            assertEquals("When `new_edits: false`, the document needs `_rev` or `_revisions` specified", e.reason());
            assertEquals(List.of(), allDocIds(AllDocsOptions.DEFAULT));
        }

        @Test
        void interactiveErrorsNameNoRevButReplicatedOnesDo() {
            create("a", "{}");
            List<DocResult> results = db.bulkDocs(List.of(doc("{'_id':'a'}"), doc("{'_id':'a','_rev':'1-abc'}")), true);
            for (DocResult result : results) {
                DocResult.Error error = assertInstanceOf(DocResult.Error.class, result);
                assertEquals("conflict", error.error());
                assertNull(error.rev(), "CouchDB's interactive _bulk_docs errors are {id, error, reason}");
            }
        }

        @Test
        void revisionsWinOverADisagreeingRevAsInCouchDb() {
            // PouchDB sends such docs; CouchDB takes the revision and ancestry from _revisions.
            ObjectNode doc = replicated("a", 2, "ba", false, "{'n':2}");
            doc.put("_rev", rev(1, 'z'));
            assertEquals(List.of(), db.bulkDocs(List.of(doc), false));
            ObjectNode got = db.get("a", GetOptions.DEFAULT.revs(true));
            assertEquals(rev(2, 'b'), got.get("_rev").asText());
            assertEquals(List.of(hash('b'), hash('a')), revisionIds(got));
            ObjectNode edit = doc("{'_id':'a','n':3}");
            edit.put("_rev", rev(7, 'q'));
            edit.set("_revisions", got.get("_revisions"));
            assertEquals(3, pos(db.put(edit).rev()), "an edit of the rev _revisions names");
        }

        @Test
        void aReplicatedEditOfALeafReplacesIt() {
            replicate(replicated("a", 1, "a"));
            replicate(replicated("a", 2, "ba"));
            assertEquals(Set.of(rev(2, 'b')), leaves("a"));
        }

        @Test
        void branchesMakeAConflictWonByTheHigherHash() {
            replicate(replicated("a", 2, "ca", false, "{'v':'c'}"));
            replicate(replicated("a", 2, "da", false, "{'v':'d'}"));
            replicate(replicated("a", 2, "ba", false, "{'v':'b'}"));
            assertEquals(Set.of(rev(2, 'b'), rev(2, 'c'), rev(2, 'd')), leaves("a"));
            ObjectNode winner = db.get("a", GetOptions.DEFAULT.conflicts(true));
            assertEquals("d", winner.get("v").asText());
            assertEquals(Set.of(rev(2, 'b'), rev(2, 'c')), Set.copyOf(strings(winner.get("_conflicts"))));
            assertEquals(1, db.info().docCount());
        }

        @Test
        void aLongerBranchWinsOverAHigherHash() {
            replicate(replicated("a", 2, "fa"), replicated("a", 3, "cba"));
            assertEquals(rev(3, 'c'), db.get("a").get("_rev").asText());
        }

        @Test
        void aLiveLeafWinsOverALongerDeletedOne() {
            replicate(replicated("a", 2, "ba", false, "{'alive':true}"), replicated("a", 3, "dca", true, null));
            ObjectNode got = db.get("a", GetOptions.DEFAULT.deletedConflicts(true));
            assertEquals(rev(2, 'b'), got.get("_rev").asText());
            assertEquals(List.of(rev(3, 'd')), strings(got.get("_deleted_conflicts")));
            assertEquals(1, db.info().docCount());
            assertEquals(0, db.info().docDelCount());
        }

        @Test
        void aDocWhoseLeavesAreAllDeletedIsDeleted() {
            replicate(replicated("a", 2, "ba", true, null), replicated("a", 2, "ca", true, null));
            assertNotFound("deleted", () -> db.get("a"));
            assertEquals(Set.of(rev(2, 'b'), rev(2, 'c')), leaves("a"));
            assertEquals(0, db.info().docCount());
            assertEquals(1, db.info().docDelCount());
        }

        @Test
        void sendingTheSameRevisionTwiceChangesNothing() {
            replicate(replicated("a", 2, "ba", false, "{'n':1}"));
            long seq = db.info().updateSeq().number();
            replicate(replicated("a", 2, "ba", false, "{'n':1}"));
            assertEquals(seq, db.info().updateSeq().number());
            assertEquals(Set.of(rev(2, 'b')), leaves("a"));
            assertEquals(1, db.changes(ChangesOptions.DEFAULT).results().size());
        }

        @Test
        void aNewEditOfALosingLeafExtendsThatBranch() {
            conflictedDoc("a");
            String extended = update("a", rev(2, 'b'), "{'branch':'b2'}");
            assertEquals(3, pos(extended));
            assertEquals(Set.of(extended, rev(2, 'c')), leaves("a"));
            assertEquals("b2", db.get("a").get("branch").asText(), "3-x now outranks 2-c");
        }

        @Test
        void theSameEditOnTheSameParentGivesTheSameRevisionAnywhere() {
            Database one = storage.createDatabase("one");
            Database two = storage.createDatabase("two");
            String firstInOne = one.put(doc("{'_id':'a','n':1}")).rev();
            String firstInTwo = two.put(doc("{'_id':'a','n':1}")).rev();
            assertEquals(firstInOne, firstInTwo);
            ObjectNode edit = doc("{'_id':'a','n':2}");
            edit.put("_rev", firstInOne);
            assertEquals(one.put(edit.deepCopy()).rev(), two.put(edit.deepCopy()).rev());
        }

        @Test
        void differentEditsGiveDifferentRevisions() {
            String first = create("a", "{'n':1}");
            String other = storage.createDatabase("other").put(doc("{'_id':'a','n':2}")).rev();
            assertNotEquals(first, other);
            Database third = storage.createDatabase("third");
            third.put(doc("{'_id':'a','n':1}"));
            assertNotEquals(update("a", first, "{'n':5}"), third.remove("a", first).rev(),
                    "a deletion is a different edit from an update");
        }
    }

    // ---- stemming -----------------------------------------------------------------------------------

    @Nested
    class Stemming {
        private final List<String> history = new ArrayList<>();

        @BeforeEach
        void tenEditsUnderARevsLimitOfFive() {
            db.setRevsLimit(5);
            history.add(create("a", "{'n':1}"));
            for (int n = 2; n <= 10; n++) history.add(update("a", history.getLast(), "{'n':" + n + "}"));
        }

        @Test
        void revisionsAreCutToTheRevsLimit() {
            ObjectNode got = db.get("a", GetOptions.DEFAULT.revs(true));
            assertEquals(10, got.get("_revisions").get("start").asInt());
            List<String> expected = history.reversed().subList(0, 5).stream().map(DatabaseFacetContract::hashOf).toList();
            assertEquals(expected, revisionIds(got));
        }

        @Test
        void aStemmedRevisionIsMissing() {
            assertNotFound("missing", () -> db.get("a", GetOptions.DEFAULT.rev(history.getFirst())));
        }

        @Test
        void aPathThatReconnectsToTheStemmedTreeMergesIntoIt() {
            ObjectNode incoming = doc("{'_id':'a','n':12}");
            incoming.put("_rev", rev(12, 'f'));
            ObjectNode revisions = incoming.putObject("_revisions");
            revisions.put("start", 12);
            ArrayNode ids = revisions.putArray("ids").add(hash('f')).add(hash('e'));
            for (int i = 9; i >= 7; i--) ids.add(hashOf(history.get(i)));
            replicate(incoming);

            assertEquals(Set.of(rev(12, 'f')), leaves("a"));
            ObjectNode got = db.get("a", GetOptions.DEFAULT.conflicts(true).revs(true));
            assertFalse(got.has("_conflicts"));
            assertEquals(List.of(hash('f'), hash('e'), hashOf(history.get(9)), hashOf(history.get(8)),
                    hashOf(history.get(7))), revisionIds(got));
        }
    }

    // ---- _all_docs ------------------------------------------------------------------------------------

    @Nested
    class AllDocs {
        private final Map<String, String> revs = new LinkedHashMap<>();

        @BeforeEach
        void fiveDocs() {
            for (String id : List.of("c", "a", "e", "b", "d")) revs.put(id, create(id, "{'id':'" + id + "'}"));
        }

        @Test
        void aReversedRangeHasNoRowsAndIsNoError() {
            for (String id : List.of("1", "4", "5")) create(id, "{}");
            var collector = new AllDocsResult.Collector();
            db.allDocs(AllDocsOptions.DEFAULT.startkey("5").endkey("4"), collector);
            assertEquals(List.of(), collector.result().rows());
            var descending = new AllDocsResult.Collector();
            db.allDocs(AllDocsOptions.DEFAULT.startkey("4").endkey("5").descending(true), descending);
            assertEquals(List.of(), descending.result().rows());
        }

        @Test
        void rowsComeInIdOrderWithTheWinningRev() {
            AllDocsResult result = db.allDocs(AllDocsOptions.DEFAULT);
            assertEquals(5, result.totalRows());
            assertEquals(List.of("a", "b", "c", "d", "e"), result.rows().stream().map(AllDocsRow::id).toList());
            for (AllDocsRow row : result.rows()) {
                assertEquals(row.id(), row.key());
                assertEquals(revs.get(row.id()), row.rev());
                assertFalse(row.deleted());
                assertNull(row.doc(), "no doc unless include_docs");
            }
        }

        @Test
        void startkeyAndEndkeyAreInclusive() {
            assertEquals(List.of("b", "c", "d"), allDocIds(AllDocsOptions.DEFAULT.startkey("b").endkey("d")));
        }

        @Test
        void keysBetweenIdsBoundTheRange() {
            assertEquals(List.of("b", "c"), allDocIds(AllDocsOptions.DEFAULT.startkey("az").endkey("c0")));
        }

        @Test
        void inclusiveEndFalseLeavesOutTheEndkey() {
            assertEquals(List.of("b", "c"), allDocIds(AllDocsOptions.DEFAULT.startkey("b").endkey("d").inclusiveEnd(false)));
        }

        @Test
        void keyGivesThatOneRow() {
            assertEquals(List.of("c"), allDocIds(AllDocsOptions.DEFAULT.key("c")));
        }

        @Test
        void descendingReversesOrderAndSwapsTheMeaningOfStartAndEnd() {
            assertEquals(List.of("e", "d", "c", "b", "a"), allDocIds(AllDocsOptions.DEFAULT.descending(true)));
            assertEquals(List.of("d", "c", "b"), allDocIds(AllDocsOptions.DEFAULT.descending(true).startkey("d").endkey("b")));
            assertEquals(List.of("d", "c"),
                    allDocIds(AllDocsOptions.DEFAULT.descending(true).startkey("d").endkey("b").inclusiveEnd(false)));
        }

        @Test
        void skipAndLimitPageThroughTheRows() {
            assertEquals(List.of("b", "c"), allDocIds(AllDocsOptions.DEFAULT.skip(1).limit(2)));
            assertEquals(List.of("d", "c"), allDocIds(AllDocsOptions.DEFAULT.descending(true).skip(1).limit(2)));
            AllDocsResult none = db.allDocs(AllDocsOptions.DEFAULT.limit(0));
            assertEquals(List.of(), none.rows());
            assertEquals(5, none.totalRows());
            assertEquals(List.of(), allDocIds(AllDocsOptions.DEFAULT.skip(9)));
        }

        @Test
        void totalRowsAndRowsCountOnlyLiveDocs() {
            db.remove("c", revs.get("c"));
            AllDocsResult result = db.allDocs(AllDocsOptions.DEFAULT);
            assertEquals(4, result.totalRows());
            assertEquals(List.of("a", "b", "d", "e"), result.rows().stream().map(AllDocsRow::id).toList());
            assertEquals(4, db.allDocs(AllDocsOptions.DEFAULT.startkey("d")).totalRows(), "total_rows ignores the range");
        }

        @Test
        void keysGivesRowsInRequestOrderWithMissingAndDeletedIds() {
            String tomb = db.remove("c", revs.get("c")).rev();
            AllDocsResult result = db.allDocs(AllDocsOptions.DEFAULT.keys(List.of("e", "zz", "c", "a")).includeDocs(true));
            assertEquals(4, result.totalRows());
            List<AllDocsRow> rows = result.rows();
            assertEquals(4, rows.size());
            assertEquals("e", rows.get(0).id());
            assertEquals("e", rows.get(0).doc().get("id").asText());
            assertEquals(AllDocsRow.notFound("zz"), rows.get(1));
            // CouchDB: a deleted doc's row has value {rev, deleted: true} and doc null.
            AllDocsRow deleted = rows.get(2);
            assertEquals("c", deleted.id());
            assertEquals(tomb, deleted.rev());
            assertTrue(deleted.deleted());
            assertNull(deleted.doc());
            assertEquals("a", rows.get(3).id());
        }

        @Test
        void includeDocsAddsTheWinningDocument() {
            AllDocsRow row = db.allDocs(AllDocsOptions.DEFAULT.key("b").includeDocs(true)).rows().getFirst();
            assertEquals(doc("{'_id':'b','_rev':'" + revs.get("b") + "','id':'b'}"), row.doc());
        }

        @Test
        void conflictsWithIncludeDocsListsConflicts() {
            conflictedDoc("f");
            ObjectNode doc = db.allDocs(AllDocsOptions.DEFAULT.key("f").includeDocs(true).conflicts(true)).rows().getFirst().doc();
            assertEquals(rev(2, 'c'), doc.get("_rev").asText());
            assertEquals(List.of(rev(2, 'b')), strings(doc.get("_conflicts")));
        }

        @Test
        void updateSeqIsGivenOnlyWhenAsked() {
            assertNull(db.allDocs(AllDocsOptions.DEFAULT).updateSeq());
            assertEquals(Seq.of(5), db.allDocs(AllDocsOptions.DEFAULT.updateSeq(true)).updateSeq());
        }

        @Test
        void idsSortByRawCodePointIncludingDesignDocs() {
            // _all_docs uses raw collation: UTF-8 byte order, which is code point order. A supplementary
            // character (U+1F600) sorts after U+FF01 although its UTF-16 surrogates would sort before.
            for (String id : List.of("B", "_design/x", "~", "é", "\uFF01", "\uD83D\uDE00")) create(id, "{}");
            assertEquals(List.of("B", "_design/x", "a", "b", "c", "d", "e", "~", "é", "\uFF01", "\uD83D\uDE00"),
                    allDocIds(AllDocsOptions.DEFAULT));
            assertEquals(11, db.allDocs(AllDocsOptions.DEFAULT).totalRows());
        }

        @Test
        void theStreamingFormGivesTheSameResult() {
            List<AllDocsRow> streamed = new ArrayList<>();
            long[] header = new long[3];
            db.allDocs(AllDocsOptions.DEFAULT.skip(1), new dev.arbor.api.AllDocsSink() {
                @Override public void begin(long totalRows, long offset, Seq updateSeq) {
                    header[0] = totalRows;
                    header[1] = offset;
                    header[2] = updateSeq == null ? -1 : updateSeq.number();
                }

                @Override public void row(AllDocsRow row) { streamed.add(row); }
            });
            AllDocsResult collected = db.allDocs(AllDocsOptions.DEFAULT.skip(1));
            assertEquals(collected.rows(), streamed);
            assertEquals(collected.totalRows(), header[0]);
        }
    }

    // ---- replication support: _revs_diff and _bulk_get ----------------------------------------------

    @Nested
    class ReplicationSupport {
        @Test
        void revsDiffListsWhatIsMissingWithThePossibleAncestors() {
            replicate(replicated("a", 2, "ba"));
            Map<String, RevsDiff> diff = db.revsDiff(Map.of("a", List.of(rev(1, 'a'), rev(2, 'b'), rev(3, 'c'), rev(1, 'z'))));
            RevsDiff forA = diff.get("a");
            assertEquals(Set.of(rev(3, 'c'), rev(1, 'z')), Set.copyOf(forA.missing()));
            // CouchDB: a leaf is a possible ancestor when its pos is lower than some missing rev's pos.
            assertEquals(List.of(rev(2, 'b')), forA.possibleAncestors());
        }

        @Test
        void revsDiffLeavesOutDocsWithNothingMissing() {
            replicate(replicated("a", 2, "ba"));
            assertEquals(Map.of(), db.revsDiff(Map.of("a", List.of(rev(2, 'b'), rev(1, 'a')))));
        }

        @Test
        void revsDiffOfAnUnknownDocMissesEveryRevAndHasNoAncestors() {
            RevsDiff diff = db.revsDiff(Map.of("nope", List.of(rev(1, 'a')))).get("nope");
            assertEquals(List.of(rev(1, 'a')), diff.missing());
            assertTrue(diff.possibleAncestors() == null || diff.possibleAncestors().isEmpty());
        }

        @Test
        void bulkGetGivesTheWinnerOrTheNamedRevision() {
            String r1 = create("a", "{'n':1}");
            String r2 = update("a", r1, "{'n':2}");
            List<BulkGetResult> results = db.bulkGet(
                    List.of(new BulkGetRequest("a", null), new BulkGetRequest("a", r1)), GetOptions.DEFAULT);
            assertEquals(2, results.size());
            assertEquals(r2, okDoc(results.get(0)).get("_rev").asText());
            ObjectNode old = okDoc(results.get(1));
            assertEquals(r1, old.get("_rev").asText());
            assertEquals(1, old.get("n").asInt());
        }

        @Test
        void bulkGetOfAMissingDocOrRevisionIsAnErrorEntry() {
            create("a", "{}");
            List<BulkGetResult> results = db.bulkGet(
                    List.of(new BulkGetRequest("nope", null), new BulkGetRequest("a", rev(5, 'e'))), GetOptions.DEFAULT);
            for (BulkGetResult result : results) {
                assertEquals(1, result.docs().size());
                BulkGetResult.Error error = assertInstanceOf(BulkGetResult.Error.class, result.docs().getFirst());
                assertEquals("not_found", error.error());
                assertEquals(result.id(), error.id());
            }
            assertEquals(List.of("nope", "a"), results.stream().map(BulkGetResult::id).toList());
        }

        @Test
        void bulkGetWithRevsGivesTheAncestry() {
            replicate(replicated("a", 3, "cba"));
            ObjectNode got = okDoc(db.bulkGet(List.of(new BulkGetRequest("a", rev(3, 'c'))), GetOptions.DEFAULT.revs(true)).getFirst());
            assertEquals(List.of(hash('c'), hash('b'), hash('a')), revisionIds(got));
        }

        private ObjectNode okDoc(BulkGetResult result) {
            assertEquals(1, result.docs().size());
            return assertInstanceOf(BulkGetResult.Ok.class, result.docs().getFirst()).doc();
        }
    }

    // ---- concurrency ----------------------------------------------------------------------------------

    @Nested
    class Concurrency {
        @Test
        @Timeout(300) // only ends a hung test: 400 writes over HTTP on a busy machine
        void sixteenWritersOfDistinctDocsAllSucceed() throws Exception {
            int threads = 16, perThread = 25;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Callable<Integer>> writers = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int thread = t;
                    writers.add(() -> {
                        for (int i = 0; i < perThread; i++) create("t" + thread + "-" + i, "{'i':" + i + "}");
                        return perThread;
                    });
                }
                for (Future<Integer> written : pool.invokeAll(writers)) assertEquals(perThread, written.get());
            } finally {
                pool.shutdownNow();
            }
            assertEquals(threads * perThread, db.info().docCount());
            assertEquals(threads * perThread, db.info().updateSeq().number());
            assertEquals(threads * perThread, db.allDocs(AllDocsOptions.DEFAULT).rows().size());
        }

        @Test
        @Timeout(300) // only ends a hung test
        void racingEditsOfTheSameRevisionHaveExactlyOneWinnerEachRound() throws Exception {
            int racers = 8, rounds = 10;
            String current = create("contested", "{'round':0}");
            ExecutorService pool = Executors.newFixedThreadPool(racers);
            try {
                for (int round = 1; round <= rounds; round++) {
                    CyclicBarrier start = new CyclicBarrier(racers);
                    String parent = current;
                    List<Future<String>> attempts = new ArrayList<>();
                    for (int r = 0; r < racers; r++) {
                        int racer = r, thisRound = round;
                        attempts.add(pool.submit(() -> {
                            start.await(120, TimeUnit.SECONDS);
                            try {
                                return update("contested", parent, "{'round':" + thisRound + ",'racer':" + racer + "}");
                            } catch (ArborException.Conflict lost) {
                                return null;
                            }
                        }));
                    }
                    List<String> winners = new ArrayList<>();
                    for (Future<String> attempt : attempts) {
                        String won = attempt.get();
                        if (won != null) winners.add(won);
                    }
                    assertEquals(1, winners.size(), "round " + round + " winners " + winners);
                    current = winners.getFirst();
                    assertEquals(current, db.get("contested").get("_rev").asText());
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(Set.of(current), leaves("contested"));
            assertEquals(rounds + 1, pos(current));
        }
    }
}
