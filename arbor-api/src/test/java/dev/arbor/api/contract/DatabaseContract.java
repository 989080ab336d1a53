package dev.arbor.api.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.AllDocsOptions;
import dev.arbor.api.AllDocsResult;
import dev.arbor.api.AllDocsRow;
import dev.arbor.api.AttachmentStream;
import dev.arbor.api.BulkGetRequest;
import dev.arbor.api.BulkGetResult;
import dev.arbor.api.ChangeRow;
import dev.arbor.api.ChangesOptions;
import dev.arbor.api.ChangesResult;
import dev.arbor.api.CommitEvent;
import dev.arbor.api.Database;
import dev.arbor.api.DbInfo;
import dev.arbor.api.DocResult;
import dev.arbor.api.DocumentJson;
import dev.arbor.api.GetOptions;
import dev.arbor.api.OpenRev;
import dev.arbor.api.PurgeResult;
import dev.arbor.api.RevsDiff;
import dev.arbor.api.Seq;
import dev.arbor.api.Storage;
import dev.arbor.api.Subscription;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static dev.arbor.api.contract.Fixtures.GeneratedBytes;
import static dev.arbor.api.contract.Fixtures.assertArbor;
import static dev.arbor.api.contract.Fixtures.assertConflict;
import static dev.arbor.api.contract.Fixtures.assertNotFound;
import static dev.arbor.api.contract.Fixtures.base64;
import static dev.arbor.api.contract.Fixtures.couchDigest;
import static dev.arbor.api.contract.Fixtures.doc;
import static dev.arbor.api.contract.Fixtures.hash;
import static dev.arbor.api.contract.Fixtures.md5;
import static dev.arbor.api.contract.Fixtures.pos;
import static dev.arbor.api.contract.Fixtures.replicated;
import static dev.arbor.api.contract.Fixtures.rev;
import static dev.arbor.api.contract.Fixtures.strings;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The behaviour every {@link Storage} and {@link Database} implementation must show: CouchDB 3.x
 * semantics, one nested class per area of the contract. An engine's test extends this class and
 * supplies a fresh, empty storage per test; each test starts with an empty database {@code db} in it.
 *
 * <p>Where a test pins a detail of CouchDB's behaviour that is easy to get wrong, a comment says what
 * CouchDB does. Local documents are named by their full id ({@code _local/x}), as CouchDB's
 * {@code _id} of a local document is.
 */
public abstract class DatabaseContract {

    /** A fresh storage with no databases in it; the contract closes it after the test. */
    protected abstract Storage newStorage();

    /** What {@link Database#name()} says for database {@code dbName}: the name itself, or a remote one's URL. */
    protected String expectedName(String dbName) {
        return dbName;
    }

    protected Storage storage;
    protected Database db;

    @BeforeEach
    void openFreshDatabase() {
        storage = newStorage();
        db = storage.createDatabase("db");
    }

    @AfterEach
    void closeStorage() {
        if (storage != null) storage.close();
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** Creates {@code id} with the given body and returns its first revision. */
    protected String create(String id, String bodyJson) {
        ObjectNode doc = doc(bodyJson);
        doc.put("_id", id);
        return db.put(doc).rev();
    }

    protected String update(String id, String rev, String bodyJson) {
        ObjectNode doc = doc(bodyJson);
        doc.put("_id", id);
        doc.put("_rev", rev);
        return db.put(doc).rev();
    }

    /** Writes replicated revisions with {@code new_edits=false}, which must all be accepted. */
    protected void replicate(ObjectNode... docs) {
        List<DocResult> failures = db.bulkDocs(List.of(docs), false);
        assertEquals(List.of(), failures, "new_edits=false reports only failures, and there must be none");
    }

    /** The leaf revisions of {@code id}, from {@code open_revs=all}. */
    protected Set<String> leaves(String id) {
        return db.getOpenRevs(id, null, GetOptions.DEFAULT).stream()
                .map(r -> ((OpenRev.Found) r).doc().get("_rev").asText())
                .collect(Collectors.toSet());
    }

    protected List<String> allDocIds(AllDocsOptions options) {
        return db.allDocs(options).rows().stream().map(AllDocsRow::id).toList();
    }

    protected List<String> changedIds(ChangesOptions options) {
        return db.changes(options).results().stream().map(ChangeRow::id).toList();
    }

    protected static List<String> revisionIds(ObjectNode doc) {
        return strings(doc.get("_revisions").get("ids"));
    }

    protected static String hashOf(String rev) {
        return rev.substring(rev.indexOf('-') + 1);
    }

    /** A doc with two live conflicting leaves, 2-b and 2-c on 1-a: 2-c wins on the higher hash. */
    protected void conflictedDoc(String id) {
        replicate(replicated(id, 2, "ba", false, "{'branch':'b'}"), replicated(id, 2, "ca", false, "{'branch':'c'}"));
    }

    // ---- storage of databases -----------------------------------------------------------------

    @Nested
    class StorageOfDatabases {
        @Test
        void createdDatabasesExistAndAreListedSorted() {
            storage.createDatabase("zeta");
            storage.createDatabase("alpha");
            assertTrue(storage.exists("zeta"));
            assertFalse(storage.exists("omega"));
            assertEquals(List.of("alpha", "db", "zeta"), storage.listDatabases());
        }

        @Test
        void creatingAnExistingDatabaseFailsWithFileExists() {
            var thrown = assertArbor(ArborException.PreconditionFailed.class, "file_exists", null,
                    () -> storage.createDatabase("db"));
            assertEquals(412, thrown.status());
        }

        @Test
        void namesOutsideCouchDbsRuleAreIllegal() {
            for (String bad : List.of("", "A", "Db", "1a", "_a", "a b", "a.b", "aé")) {
                var thrown = assertArbor(ArborException.BadRequest.class, "illegal_database_name", null,
                        () -> storage.createDatabase(bad));
                assertEquals(400, thrown.status(), bad);
                assertFalse(storage.exists(bad), bad);
            }
        }

        @Test
        void aNameOverTwoHundredThirtyEightCharactersIsTooLong() {
            // CouchDB 3 checks the pattern first, then fails the shard file name as database_name_too_long (400).
            String name = "a".repeat(239);
            var thrown = assertArbor(ArborException.BadRequest.class, "database_name_too_long", null,
                    () -> storage.createDatabase(name));
            assertEquals(400, thrown.status());
            assertFalse(storage.exists(name));
        }

        @Test
        void everyCharacterCouchDbAllowsInANameIsAccepted() {
            for (String good : List.of("a", "a0_$()+-/z", "a".repeat(238))) {
                storage.createDatabase(good).put(doc("{'_id':'x'}"));
                assertTrue(storage.exists(good), good);
                assertEquals(1, storage.database(good).info().docCount(), good);
            }
        }

        @Test
        void openingAMissingDatabaseIsNotFound() {
            assertNotFound(null, () -> storage.database("nope"));
        }

        @Test
        void deletingADatabaseRemovesItAndAllItsData() {
            Database other = storage.createDatabase("other");
            other.put(doc("{'_id':'a'}"));
            storage.deleteDatabase("other");
            assertFalse(storage.exists("other"));
            assertEquals(List.of("db"), storage.listDatabases());
            assertNotFound(null, () -> storage.database("other"));

            Database again = storage.createDatabase("other");
            assertEquals(0, again.info().docCount());
            assertEquals(0, again.info().updateSeq().number());
            assertNotFound("missing", () -> again.get("a"));
        }

        @Test
        void deletingAMissingDatabaseIsNotFound() {
            assertNotFound(null, () -> storage.deleteDatabase("nope"));
        }

        @Test
        void databaseOrCreateCreatesOnceThenOpensTheSameData() {
            storage.databaseOrCreate("lazy").put(doc("{'_id':'a','n':1}"));
            assertEquals(1, storage.databaseOrCreate("lazy").get("a").get("n").asInt());
            assertEquals(1, storage.database("lazy").info().docCount());
        }

        @Test
        void databasesKeepTheirDocumentsApart() {
            Database other = storage.createDatabase("other");
            db.put(doc("{'_id':'a','in':'db'}"));
            other.put(doc("{'_id':'a','in':'other'}"));
            assertEquals("db", db.get("a").get("in").asText());
            assertEquals("other", other.get("a").get("in").asText());
        }

        @Test
        void aDatabaseKnowsItsName() {
            assertEquals(expectedName("db"), db.name());
            assertEquals("db", db.info().dbName());
        }
    }

    // ---- info ------------------------------------------------------------------------------------

    @Nested
    class Info {
        @Test
        void anEmptyDatabaseCountsNothing() {
            DbInfo info = db.info();
            assertEquals(0, info.docCount());
            assertEquals(0, info.docDelCount());
            assertEquals(0, info.updateSeq().number());
            assertEquals(0, info.purgeSeq());
        }

        @Test
        void countsFollowCreatesUpdatesAndDeletes() {
            String a = create("a", "{}");
            String b = create("b", "{}");
            assertCounts(2, 0, 2);
            update("a", a, "{'n':2}");
            assertCounts(2, 0, 3);
            db.remove("b", b);
            assertCounts(1, 1, 4);
            db.bulkDocs(List.of(doc("{'_id':'c'}"), doc("{'_id':'d'}"), doc("{'_id':'e'}")));
            assertCounts(4, 1, 7);
        }

        @Test
        void recreatingADeletedDocMovesItBackToTheLiveCount() {
            db.remove("a", create("a", "{}"));
            create("a", "{}");
            assertCounts(1, 0, 3);
        }

        @Test
        void aFailedWriteChangesNothing() {
            create("a", "{}");
            assertConflict(() -> create("a", "{}"));
            assertCounts(1, 0, 1);
        }

        private void assertCounts(long docCount, long docDelCount, long updateSeq) {
            DbInfo info = db.info();
            assertEquals(docCount, info.docCount(), "doc_count");
            assertEquals(docDelCount, info.docDelCount(), "doc_del_count");
            assertEquals(updateSeq, info.updateSeq().number(), "update_seq");
        }
    }

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
            assertEquals(409, thrown.status());
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
            assertEquals(404, thrown.status());
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
            List<String> expected = history.reversed().subList(0, 5).stream().map(DatabaseContract::hashOf).toList();
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

    // ---- _changes -----------------------------------------------------------------------------------

    @Nested
    class Changes {
        @Test
        void anEmptyDatabaseHasNoChanges() {
            ChangesResult result = db.changes(ChangesOptions.DEFAULT);
            assertEquals(List.of(), result.results());
            assertEquals(0, result.lastSeq().number());
            assertEquals(0, result.pending());
        }

        @Test
        void eachDocAppearsOnceAtItsLatestSequence() {
            String a = create("a", "{}");
            create("b", "{}");
            String a2 = update("a", a, "{}");
            ChangesResult result = db.changes(ChangesOptions.DEFAULT);
            assertEquals(List.of("b", "a"), result.results().stream().map(ChangeRow::id).toList());
            assertEquals(List.of(Seq.of(2), Seq.of(3)), result.results().stream().map(ChangeRow::seq).toList());
            assertEquals(List.of(a2), result.results().get(1).changes());
            assertEquals(3, result.lastSeq().number());
            assertEquals(0, result.pending());
        }

        @Test
        void sinceSkipsChangesAtOrBeforeIt() {
            for (String id : List.of("a", "b", "c", "d")) create(id, "{}");
            assertEquals(List.of("c", "d"), changedIds(ChangesOptions.DEFAULT.since(2)));
            assertEquals(List.of(), changedIds(ChangesOptions.DEFAULT.since(4)));
        }

        @Test
        void limitStopsEarlyAndCountsWhatIsPending() {
            for (String id : List.of("a", "b", "c", "d", "e")) create(id, "{}");
            ChangesResult result = db.changes(ChangesOptions.DEFAULT.limit(2));
            assertEquals(List.of("a", "b"), result.results().stream().map(ChangeRow::id).toList());
            assertEquals(2, result.lastSeq().number());
            assertEquals(3, result.pending());
        }

        @Test
        void descendingGivesTheNewestFirst() {
            for (String id : List.of("a", "b", "c")) create(id, "{}");
            assertEquals(List.of("c", "b", "a"), changedIds(ChangesOptions.DEFAULT.descending(true)));
            assertEquals(List.of("c"), changedIds(ChangesOptions.DEFAULT.descending(true).limit(1)));
        }

        @Test
        void includeDocsAddsTheWinningDocument() {
            String rev = create("a", "{'n':1}");
            ChangeRow row = db.changes(ChangesOptions.DEFAULT.includeDocs(true)).results().getFirst();
            assertEquals(doc("{'_id':'a','_rev':'" + rev + "','n':1}"), row.doc());
            assertNull(db.changes(ChangesOptions.DEFAULT).results().getFirst().doc(), "no doc unless asked");
        }

        @Test
        void aDeletedDocShowsAsADeletedRowWithItsTombstone() {
            String tomb = db.remove("a", create("a", "{}")).rev();
            ChangeRow row = db.changes(ChangesOptions.DEFAULT).results().getFirst();
            assertTrue(row.deleted());
            assertEquals(List.of(tomb), row.changes());
            assertEquals(2, row.seq().number());
        }

        @Test
        void docIdsKeepOnlyThoseDocuments() {
            for (String id : List.of("a", "b", "c", "d")) create(id, "{}");
            ChangesResult result = db.changes(ChangesOptions.DEFAULT.docIds(List.of("d", "b", "zz")));
            assertEquals(List.of("b", "d"), result.results().stream().map(ChangeRow::id).toList());
        }

        @Test
        void mainOnlyStyleGivesTheWinnerAndAllDocsStyleEveryLeafWinnerFirst() {
            conflictedDoc("a");
            String tomb = db.remove("a", rev(2, 'b')).rev();
            assertEquals(List.of(rev(2, 'c')), db.changes(ChangesOptions.DEFAULT).results().getFirst().changes());
            List<String> all = db.changes(ChangesOptions.DEFAULT.style(ChangesOptions.Style.ALL_DOCS)).results().getFirst().changes();
            assertEquals(rev(2, 'c'), all.getFirst());
            assertEquals(Set.of(rev(2, 'c'), tomb), Set.copyOf(all));
            assertEquals(2, all.size());
        }

        @Test
        void conflictsWithIncludeDocsListsConflicts() {
            conflictedDoc("a");
            ObjectNode doc = db.changes(ChangesOptions.DEFAULT.includeDocs(true).conflicts(true)).results().getFirst().doc();
            assertEquals(List.of(rev(2, 'b')), strings(doc.get("_conflicts")));
        }

        @Test
        void aDesignDocFilterPassesWhatItsFunctionAcceptsGivenReqQueryAndTheLimitCountsPassedRows() {
            db.put(doc("{'_id':'_design/app','filters':{'byType':'function(doc, req) { return doc.type === req.query.type; }'}}"));
            create("a1", "{'type':'a'}");
            create("b1", "{'type':'b'}");
            create("a2", "{'type':'a'}");
            create("a3", "{'type':'a'}");
            ChangesOptions typeA = ChangesOptions.DEFAULT.filter("app/byType").queryParams(Map.of("type", "a"));
            assertEquals(List.of("a1", "a2", "a3"), changedIds(typeA));
            assertEquals(List.of("b1"), changedIds(typeA.queryParams(Map.of("type", "b"))));
            assertEquals(List.of("a1", "a2"), changedIds(typeA.limit(2)));
            assertNull(db.changes(typeA).results().getFirst().doc(), "the filter reads the doc; the row carries it only when asked");
            assertEquals("a", db.changes(typeA.includeDocs(true)).results().getFirst().doc().get("type").asText());
        }

        /**
         * CouchDB (fabric_rpc:changes) starts pending at the count of all changes since {@code since} and takes one
         * off for every row it reads, passed by the filter or not: pending is every change after the last row read,
         * whatever the filter would say of them.
         */
        @Test
        void underAFilterPendingCountsEveryChangeAfterTheLastReturnedRowPassingOrNot() {
            db.put(doc("{'_id':'_design/app','filters':{'byType':'function(doc, req) { return doc.type === req.query.type; }'}}"));
            for (String id : List.of("a1", "b1", "a2", "b2", "a3", "b3")) {
                create(id, "{'type':'" + id.charAt(0) + "'}");
            }
            ChangesResult result = db.changes(ChangesOptions.DEFAULT.filter("app/byType").queryParams(Map.of("type", "a")).limit(2));
            assertEquals(List.of("a1", "a2"), result.results().stream().map(ChangeRow::id).toList());
            assertEquals(4, result.lastSeq().number());
            assertEquals(3, result.pending(), "b2, a3 and b3: the filter does not decide what is pending");
        }

        @Test
        void theViewFilterPassesDocumentsItsMapFunctionEmitsFor() {
            db.put(doc("{'_id':'_design/app','views':{'bees':{'map':'function(doc) { if (doc.bee) emit(doc._id); }'}}}"));
            create("a1", "{'bee':false}");
            create("b1", "{'bee':true}");
            assertEquals(List.of("b1"), changedIds(ChangesOptions.DEFAULT.filter(ChangesOptions.VIEW_FILTER)
                    .queryParams(Map.of("view", "app/bees"))));
        }

        @Test
        void theStreamingFormGivesTheSameRowsAndSummary() {
            for (String id : List.of("a", "b", "c")) create(id, "{}");
            List<ChangeRow> rows = new ArrayList<>();
            var summary = db.changes(ChangesOptions.DEFAULT.limit(2), rows::add);
            ChangesResult collected = db.changes(ChangesOptions.DEFAULT.limit(2));
            assertEquals(collected.results(), rows);
            assertEquals(collected.lastSeq().number(), summary.lastSeq().number());
            assertEquals(1, summary.pending());
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

    // ---- local documents ------------------------------------------------------------------------------

    @Nested
    class LocalDocuments {
        @Test
        void localRevisionsCountUpFromZeroDashOne() {
            DocResult.Ok first = db.putLocal(doc("{'_id':'_local/cp','seq':1}"));
            assertEquals("0-1", first.rev());
            ObjectNode second = doc("{'_id':'_local/cp','seq':2}");
            second.put("_rev", "0-1");
            assertEquals("0-2", db.putLocal(second).rev());
            ObjectNode got = db.getLocal("_local/cp");
            assertEquals("_local/cp", got.get("_id").asText());
            assertEquals("0-2", got.get("_rev").asText());
            assertEquals(2, got.get("seq").asInt());
        }

        @Test
        void aLocalEditIsNumberedFromTheRevItNamesWithoutAConflictCheckAsInCouchDb() {
            // CouchDB 3's updater (increment_local_doc_revs) checks nothing against the stored revision.
            db.putLocal(doc("{'_id':'_local/cp'}"));
            assertEquals("0-2", db.putLocal(doc("{'_id':'_local/cp','_rev':'0-1'}")).rev());
            assertEquals("0-2", db.putLocal(doc("{'_id':'_local/cp','_rev':'0-1','n':3}")).rev());
            assertEquals(3, db.getLocal("_local/cp").get("n").asInt());
            assertEquals("0-6", db.putLocal(doc("{'_id':'_local/cp','_rev':'0-5'}")).rev());
            assertEquals("0-1", db.putLocal(doc("{'_id':'_local/cp','n':4}")).rev());
            assertEquals(4, db.getLocal("_local/cp").get("n").asInt());
        }

        @Test
        void aReplicatorCheckpointWithRevisionsStartingAtZeroIsAccepted() {
            // As CouchDB's replicator writes checkpoints; _revisions wins over _rev, as in couch_doc.
            ObjectNode checkpoint = doc("{'_id':'_local/cp','_rev':'0-1','_revisions':{'start':0,'ids':['1']},'seq':7}");
            assertEquals("0-2", db.putLocal(checkpoint).rev());
            assertEquals("0-6", db.putLocal(doc("{'_id':'_local/cp','_rev':'0-1','_revisions':{'start':0,'ids':['5','4']}}")).rev());
            assertEquals("0-1", db.putLocal(doc("{'_id':'_local/cp','_rev':'0-3','_revisions':{'start':0,'ids':[]}}")).rev());
            assertEquals("0-2", db.put(doc("{'_id':'_local/cp','_rev':'0-1','_revisions':{'start':0,'ids':['1']}}")).rev());
            List<DocResult> bulk = db.bulkDocs(List.of(doc("{'_id':'_local/cp','_revisions':{'start':0,'ids':['2']},'seq':9}")), true);
            assertEquals("0-3", assertInstanceOf(DocResult.Ok.class, bulk.getFirst()).rev());
            assertEquals(9, db.getLocal("_local/cp").get("seq").asInt());
        }

        @Test
        void aLocalRevThatIsNoNumberIsABadRequest() {
            for (String bad : List.of("{'_id':'_local/cp','_rev':'1-abc'}", "{'_id':'_local/cp','_rev':'0-abc'}",
                    "{'_id':'_local/cp','_revisions':{'start':1,'ids':['1']}}",
                    "{'_id':'_local/cp','_revisions':{'start':0,'ids':['x']}}")) {
                var e = org.junit.jupiter.api.Assertions.assertThrows(ArborException.BadRequest.class, () -> db.putLocal(doc(bad)), bad);
                assertEquals("Invalid rev format", e.reason());
            }
            assertNotFound("missing", () -> db.getLocal("_local/cp"));
        }

        @Test
        void localDocsRefuseAttachments() {
            db.putLocal(doc("{'_id':'_local/cp'}"));
            var put = org.junit.jupiter.api.Assertions.assertThrows(ArborException.BadRequest.class, () -> db.putAttachment(
                    "_local/cp", "0-1", "a.txt", "text/plain", new java.io.ByteArrayInputStream(new byte[] {1})));
            assertEquals("_local documents do not accept attachments.", put.reason());
            org.junit.jupiter.api.Assertions.assertThrows(ArborException.BadRequest.class, () -> db.getAttachment("_local/cp", "a.txt", null));
            org.junit.jupiter.api.Assertions.assertThrows(ArborException.BadRequest.class, () -> db.removeAttachment("_local/cp", "0-1", "a.txt"));
            assertEquals(List.of(), allDocIds(AllDocsOptions.DEFAULT), "no document was made of the local id");
            assertEquals("0-1", db.getLocal("_local/cp").get("_rev").asText());
        }

        @Test
        void aMissingLocalDocIsNotFound() {
            assertNotFound("missing", () -> db.getLocal("_local/nope"));
        }

        @Test
        void localDocsStayOutOfChangesAllDocsAndCounts() {
            create("a", "{}");
            db.putLocal(doc("{'_id':'_local/cp'}"));
            assertEquals(List.of("a"), changedIds(ChangesOptions.DEFAULT));
            assertEquals(List.of("a"), allDocIds(AllDocsOptions.DEFAULT));
            assertEquals(1, db.info().docCount());
            assertEquals(1, db.info().updateSeq().number(), "a local write does not advance update_seq");
        }

        @Test
        void localDocsListsOnlyLocalDocsInIdOrder() {
            create("a", "{}");
            db.putLocal(doc("{'_id':'_local/b','n':2}"));
            db.putLocal(doc("{'_id':'_local/a','n':1}"));
            var collector = new AllDocsResult.Collector();
            db.localDocs(AllDocsOptions.DEFAULT.includeDocs(true), collector);
            List<AllDocsRow> rows = collector.result().rows();
            assertEquals(List.of("_local/a", "_local/b"), rows.stream().map(AllDocsRow::id).toList());
            assertEquals("0-1", rows.getFirst().rev());
            assertEquals(1, rows.getFirst().doc().get("n").asInt());
        }

        @Test
        void removedLocalDocIsGoneAndStartsOverWhenWrittenAgain() {
            db.putLocal(doc("{'_id':'_local/cp'}"));
            // Whatever rev is named, as in CouchDB; a missing one is not found (CouchDB's DELETE opens it first).
            db.removeLocal("_local/cp", "0-7");
            assertNotFound("missing", () -> db.getLocal("_local/cp"));
            assertNotFound("missing", () -> db.removeLocal("_local/cp", "0-1"));
            assertEquals("0-1", db.putLocal(doc("{'_id':'_local/cp'}")).rev());
            List<DocResult> bulk = db.bulkDocs(List.of(doc("{'_id':'_local/gone','_deleted':true}")), true);
            assertEquals("0-0", assertInstanceOf(DocResult.Ok.class, bulk.getFirst()).rev(), "a bulk delete of a missing local doc is ok");
        }
    }

    // ---- attachments -----------------------------------------------------------------------------------

    @Nested
    class Attachments {
        private static final byte[] HELLO = "hello, attachment".getBytes(java.nio.charset.StandardCharsets.UTF_8);

        /** Creates {@code id} with inline attachment {@code a.bin} holding {@link #HELLO}. */
        private String withInlineAttachment(String id) {
            ObjectNode doc = doc("{'_id':'" + id + "','n':1}");
            ObjectNode att = doc.putObject("_attachments").putObject("a.bin");
            att.put("content_type", "application/octet-stream");
            att.put("data", base64(HELLO));
            return db.put(doc).rev();
        }

        @Test
        void anInlineAttachmentIsStoredAndReadBackAsAStub() {
            withInlineAttachment("a");
            ObjectNode stub = (ObjectNode) db.get("a").get("_attachments").get("a.bin");
            assertEquals("application/octet-stream", stub.get("content_type").asText());
            assertEquals(HELLO.length, stub.get("length").asLong());
            assertEquals(couchDigest(HELLO), stub.get("digest").asText());
            assertEquals(1, stub.get("revpos").asInt());
            assertTrue(stub.get("stub").asBoolean());
            assertFalse(stub.has("data"));
        }

        @Test
        void skippingIntoAnAttachmentLandsOnTheRightByteAcrossChunks() throws Exception {
            byte[] data = GeneratedBytes.of(300_000, 7);
            String rev = db.put(doc("{'_id':'big'}")).rev();
            db.putAttachment("big", rev, "blob", "application/octet-stream", new java.io.ByteArrayInputStream(data));
            for (long offset : new long[] {0, 1, 65_535, 65_536, 65_537, 200_000, 299_999, 300_000}) {
                try (AttachmentStream att = db.getAttachment("big", "blob", null)) {
                    java.io.InputStream in = att.data();
                    in.read();
                    long skipped = in.skip(offset);
                    assertEquals(Math.min(offset, data.length - 1), skipped, "skipped after one byte, offset " + offset);
                    byte[] rest = in.readAllBytes();
                    assertArrayEquals(java.util.Arrays.copyOfRange(data, (int) (1 + skipped), data.length), rest, "offset " + offset);
                }
            }
        }

        @Test
        void attachmentsThatFollowAreStreamedInWithTheDocument() {
            ObjectNode doc = doc("{'_id':'m','n':1}");
            ObjectNode atts = doc.putObject("_attachments");
            atts.putObject("one.txt").put("content_type", "text/plain").put("follows", true).put("length", HELLO.length);
            atts.putObject("two.bin").put("follows", true).put("digest", couchDigest(new byte[] {1, 2, 3}));
            java.util.Map<String, java.io.InputStream> parts = new java.util.LinkedHashMap<>();
            parts.put("one.txt", new java.io.ByteArrayInputStream(HELLO));
            parts.put("two.bin", new java.io.ByteArrayInputStream(new byte[] {1, 2, 3}));
            String rev = db.putWithAttachments(doc, true, parts).rev();
            assertEquals(1, pos(rev));
            try (AttachmentStream one = db.getAttachment("m", "one.txt", null)) {
                assertEquals("text/plain", one.contentType());
                assertArrayEquals(HELLO, one.readAllBytes());
            }
            try (AttachmentStream two = db.getAttachment("m", "two.bin", rev)) {
                assertArrayEquals(new byte[] {1, 2, 3}, two.readAllBytes());
                assertEquals(couchDigest(new byte[] {1, 2, 3}), two.digest());
            }
        }

        @Test
        void aFollowingAttachmentWhoseDataDoesNotMatchItsDigestIsRefusedAndNothingIsWritten() {
            ObjectNode doc = doc("{'_id':'m'}");
            doc.putObject("_attachments").putObject("x").put("follows", true).put("digest", couchDigest(HELLO));
            java.util.Map<String, java.io.InputStream> parts = java.util.Map.of("x", new java.io.ByteArrayInputStream(new byte[] {9}));
            assertArbor(ArborException.BadRequest.class, "content_md5_mismatch", null, () -> db.putWithAttachments(doc, true, parts));
            assertNotFound("missing", () -> db.get("m"));
        }

        @Test
        void aReplicatedRevisionCanBringItsAttachmentsAsStreams() {
            ObjectNode doc = replicated("r", 2, "ba", false, "{'v':2}");
            doc.putObject("_attachments").putObject("f").put("content_type", "text/plain").put("follows", true);
            db.putWithAttachments(doc, false, java.util.Map.of("f", new java.io.ByteArrayInputStream(HELLO)));
            ObjectNode stored = db.get("r");
            assertEquals(rev(2, 'b'), stored.get("_rev").asText());
            try (AttachmentStream f = db.getAttachment("r", "f", null)) {
                assertArrayEquals(HELLO, f.readAllBytes());
            }
            // The same revision again is a no-op, as in _bulk_docs with new_edits=false.
            db.putWithAttachments(replicated("r", 2, "ba", false, "{'v':2}"), false, java.util.Map.of());
            assertEquals(rev(2, 'b'), db.get("r").get("_rev").asText());
        }

        @Test
        void aReplicatedRevisionKeepsTheRevposItsAttachmentsName() {
            // Sent inline because the target had no ancestor, but attached at revision 1: revpos stays 1.
            ObjectNode inline = replicated("i", 3, "cba", false, "{'v':3}");
            inline.putObject("_attachments").putObject("f").put("content_type", "text/plain").put("revpos", 1)
                    .put("data", java.util.Base64.getEncoder().encodeToString(HELLO));
            db.bulkDocs(List.of(inline), false);
            assertEquals(1, db.get("i").get("_attachments").get("f").get("revpos").asInt());
            ObjectNode streamed = replicated("s", 2, "ba", false, "{'v':2}");
            streamed.putObject("_attachments").putObject("f").put("content_type", "text/plain").put("revpos", 1).put("follows", true);
            db.putWithAttachments(streamed, false, java.util.Map.of("f", new java.io.ByteArrayInputStream(HELLO)));
            assertEquals(1, db.get("s").get("_attachments").get("f").get("revpos").asInt());
        }

        @Test
        void anAttachmentNameStartingWithAnUnderscoreIsRefusedAsInCouchDb() {
            String reason = "Attachment name '_x' starts with prohibited character '_'";
            var put = org.junit.jupiter.api.Assertions.assertThrows(ArborException.BadRequest.class, () -> db.putAttachment(
                    "d", null, "_x", "text/plain", new java.io.ByteArrayInputStream(HELLO)));
            assertEquals(reason, put.reason());
            ObjectNode inline = doc("{'_id':'e','_attachments':{'_x':{'content_type':'text/plain','data':'aGk='}}}");
            assertEquals(reason, org.junit.jupiter.api.Assertions.assertThrows(ArborException.BadRequest.class,
                    () -> db.put(inline)).reason());
            // In a _bulk_docs it fails the whole request, as any malformed document does.
            org.junit.jupiter.api.Assertions.assertThrows(ArborException.BadRequest.class,
                    () -> db.bulkDocs(List.of(doc("{'_id':'g'}"), inline)));
            org.junit.jupiter.api.Assertions.assertThrows(ArborException.BadRequest.class,
                    () -> db.removeAttachment("d", "1-abc", "_x"));
            assertEquals(List.of(), allDocIds(AllDocsOptions.DEFAULT));
        }

        @Test
        void aReplicatedAttachmentKeepsItsPeersDigestAndDifferentDataNeverShareOne() {
            // CouchDB digests gzip-stored attachments over the gzip stream: not the MD5 of the bytes that come.
            String peerDigest = "md5-" + java.util.Base64.getEncoder().encodeToString(md5().digest("gzip stream".getBytes()));
            byte[] other = "other data, same declared digest".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            ObjectNode inline = replicated("i", 2, "ba", false, "{}");
            inline.putObject("_attachments").putObject("t.txt").put("content_type", "text/plain").put("revpos", 2)
                    .put("digest", peerDigest).put("data", java.util.Base64.getEncoder().encodeToString(HELLO));
            assertEquals(List.of(), db.bulkDocs(List.of(inline), false));
            ObjectNode streamed = replicated("s", 1, "c", false, "{}");
            streamed.putObject("_attachments").putObject("t.txt").put("content_type", "text/plain").put("revpos", 1)
                    .put("digest", peerDigest).put("length", other.length).put("follows", true);
            db.putWithAttachments(streamed, false, java.util.Map.of("t.txt", new java.io.ByteArrayInputStream(other)));
            for (String id : List.of("i", "s")) {
                JsonNode stub = db.get(id).get("_attachments").get("t.txt");
                assertEquals(peerDigest, stub.get("digest").asText(), id);
                try (AttachmentStream att = db.getAttachment(id, "t.txt", null)) {
                    assertEquals(peerDigest, att.digest());
                    assertFalse(att.dataMd5(), "the digest is not the MD5 of these bytes");
                    assertArrayEquals(id.equals("i") ? HELLO : other, att.readAllBytes(), id);
                }
            }
            ObjectNode withData = db.get("i", GetOptions.DEFAULT.attachments(true));
            assertEquals(java.util.Base64.getEncoder().encodeToString(HELLO), withData.get("_attachments").get("t.txt").get("data").asText());
            // An edit on top keeps the attachment, digest and bytes, through compaction.
            ObjectNode next = db.get("i");
            next.put("n", 1);
            db.put(next);
            db.compact();
            try (AttachmentStream att = db.getAttachment("i", "t.txt", null)) {
                assertEquals(peerDigest, att.digest());
                assertArrayEquals(HELLO, att.readAllBytes());
            }
        }

        @Test
        void aReplicatedAttachmentWhoseDeclaredLengthIsNotItsDataIsRefused() {
            ObjectNode streamed = replicated("s", 1, "c", false, "{}");
            streamed.putObject("_attachments").putObject("t.txt").put("content_type", "text/plain").put("revpos", 1)
                    .put("digest", couchDigest(HELLO)).put("length", HELLO.length + 1).put("follows", true);
            org.junit.jupiter.api.Assertions.assertThrows(ArborException.BadRequest.class, () -> db.putWithAttachments(streamed, false,
                    java.util.Map.of("t.txt", new java.io.ByteArrayInputStream(HELLO))));
            assertNotFound("missing", () -> db.get("s"));
        }

        @Test
        void stubsSentBackOnTheNextEditKeepTheAttachment() {
            String r1 = withInlineAttachment("a");
            ObjectNode next = db.get("a");
            next.put("n", 2);
            String r2 = db.put(next).rev();
            assertEquals(2, pos(r2));
            ObjectNode stub = (ObjectNode) db.get("a").get("_attachments").get("a.bin");
            assertEquals(1, stub.get("revpos").asInt(), "revpos stays where the data was written");
            assertEquals(couchDigest(HELLO), stub.get("digest").asText());
            try (AttachmentStream att = db.getAttachment("a", "a.bin", null)) {
                assertArrayEquals(HELLO, att.readAllBytes());
            }
            assertNotEquals(r1, r2);
        }

        @Test
        void anEditWithoutAttachmentsDropsThem() {
            String r1 = withInlineAttachment("a");
            update("a", r1, "{'n':2}");
            assertFalse(db.get("a").has("_attachments"));
            assertNotFound(null, () -> db.getAttachment("a", "a.bin", null));
        }

        @Test
        void attachmentsTrueInlinesTheData() {
            withInlineAttachment("a");
            ObjectNode att = (ObjectNode) db.get("a", GetOptions.DEFAULT.attachments(true)).get("_attachments").get("a.bin");
            assertArrayEquals(HELLO, Base64.getDecoder().decode(att.get("data").asText()));
            assertFalse(att.path("stub").asBoolean(false));
            assertEquals(couchDigest(HELLO), att.get("digest").asText());
        }

        @Test
        void attsSinceInlinesOnlyAttachmentsWrittenAfterThoseRevisions() {
            String r1 = withInlineAttachment("a");
            String r2 = db.putAttachment("a", r1, "b.bin", "application/octet-stream", new ByteArrayInputStream(HELLO)).rev();
            ObjectNode atts = (ObjectNode) db.get("a", GetOptions.DEFAULT.attachments(true).attsSince(List.of(r1))).get("_attachments");
            // CouchDB turns attachments at or before the newest known ancestor into stubs even when
            // attachments=true is also given (couch_db's atts_since open option), as the replicator asks.
            assertTrue(atts.get("a.bin").path("stub").asBoolean(false),
                    "a.bin (revpos 1) is known to a holder of " + r1 + ", so it must be a stub: " + atts.get("a.bin"));
            assertFalse(atts.get("a.bin").has("data"));
            assertEquals(base64(HELLO), atts.get("b.bin").get("data").asText());
            assertEquals(2, atts.get("b.bin").get("revpos").asInt());
            assertEquals(2, pos(r2));
        }

        @Test
        void getAttachmentStreamsDataWithItsMetadata() {
            withInlineAttachment("a");
            try (AttachmentStream att = db.getAttachment("a", "a.bin", null)) {
                assertEquals("a.bin", att.name());
                assertEquals("application/octet-stream", att.contentType());
                assertEquals(HELLO.length, att.length());
                assertEquals(couchDigest(HELLO), att.digest());
                assertEquals(1, att.revpos());
                assertArrayEquals(HELLO, att.readAllBytes());
            }
        }

        @Test
        void putAttachmentOnAMissingDocCreatesIt() {
            DocResult.Ok ok = db.putAttachment("new", null, "x.bin", "application/octet-stream", new ByteArrayInputStream(HELLO));
            assertEquals(1, pos(ok.rev()));
            assertEquals(ok.rev(), db.get("new").get("_rev").asText());
            assertEquals(1, db.info().docCount());
        }

        @Test
        void putAttachmentKeepsTheBodyAndOnAStaleRevConflicts() {
            String r1 = withInlineAttachment("a");
            String r2 = db.putAttachment("a", r1, "b.bin", "text/x-test", new ByteArrayInputStream(HELLO)).rev();
            ObjectNode got = db.get("a");
            assertEquals(r2, got.get("_rev").asText());
            assertEquals(1, got.get("n").asInt());
            assertEquals(Set.of("a.bin", "b.bin"), Set.copyOf(fieldNames(got.get("_attachments"))));
            assertConflict(() -> db.putAttachment("a", r1, "c.bin", "text/x-test", new ByteArrayInputStream(HELLO)));
        }

        @Test
        void aLargeAttachmentStreamsInAndOutIntact() throws IOException {
            long size = 20L << 20;
            MessageDigest expected = md5();
            try (InputStream source = new GeneratedBytes(size, 42)) {
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = source.read(buffer, 0, buffer.length)) > 0; ) expected.update(buffer, 0, n);
            }
            String expectedDigest = "md5-" + base64(expected.digest());

            String rev = db.putAttachment("big", null, "blob", "application/octet-stream", new GeneratedBytes(size, 42)).rev();

            MessageDigest actual = md5();
            long length = 0;
            try (AttachmentStream att = db.getAttachment("big", "blob", rev)) {
                assertEquals(size, att.length());
                assertEquals(expectedDigest, att.digest());
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = att.data().read(buffer)) > 0; ) {
                    actual.update(buffer, 0, n);
                    length += n;
                }
            }
            assertEquals(size, length);
            assertEquals(expectedDigest, "md5-" + base64(actual.digest()));
            assertEquals(size, db.get("big").get("_attachments").get("blob").get("length").asLong());
        }

        @Test
        void removeAttachmentMakesARevisionWithoutIt() {
            String r1 = withInlineAttachment("a");
            String r2 = db.removeAttachment("a", r1, "a.bin").rev();
            assertEquals(2, pos(r2));
            assertFalse(db.get("a").has("_attachments"));
            assertNotFound(null, () -> db.getAttachment("a", "a.bin", null));
            try (AttachmentStream old = db.getAttachment("a", "a.bin", r1)) {
                assertArrayEquals(HELLO, old.readAllBytes(), "the old revision keeps it until compaction");
            }
        }

        @Test
        void aMissingAttachmentIsNotFound() {
            create("a", "{}");
            assertNotFound(null, () -> db.getAttachment("a", "nope", null));
            assertNotFound(null, () -> db.getAttachment("nope", "nope", null));
        }

        @Test
        void identicalDataInTwoDocsIsStoredOnce() {
            // Measured after compaction: until then an engine may still hold the duplicate upload it is
            // about to drop (RocksDB counts memtable bytes, tombstones included).
            byte[] data = GeneratedBytes.of(1 << 20, 7);
            db.putAttachment("x", null, "blob", "application/octet-stream", new ByteArrayInputStream(data));
            db.putAttachment("y", null, "blob", "application/octet-stream", new ByteArrayInputStream(data));
            db.compact();
            long active = db.info().sizeActive();
            assertTrue(active >= data.length, "the data counts in sizes.active: " + active);
            assertTrue(active < data.length * 3L / 2, "one copy, not two: sizes.active is " + active);
            try (AttachmentStream y = db.getAttachment("y", "blob", null)) {
                assertArrayEquals(data, y.readAllBytes());
            }
        }

        private static List<String> fieldNames(JsonNode node) {
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            return names;
        }
    }

    // ---- compaction ----------------------------------------------------------------------------------

    @Nested
    class Compaction {
        @Test
        void compactionDropsBodiesOfNonLeafRevisionsAndKeepsTheLeaf() {
            String r1 = create("a", "{'n':1}");
            String r2 = update("a", r1, "{'n':2}");
            String r3 = update("a", r2, "{'n':3}");
            assertEquals(1, db.get("a", GetOptions.DEFAULT.rev(r1)).get("n").asInt(), "readable before compaction");
            db.compact();
            assertNotFound("missing", () -> db.get("a", GetOptions.DEFAULT.rev(r1)));
            assertEquals(3, db.get("a").get("n").asInt());
            ArrayNode info = (ArrayNode) db.get("a", GetOptions.DEFAULT.revsInfo(true)).get("_revs_info");
            assertEquals(List.of("available", "missing", "missing"), info.findValuesAsText("status"));
            assertEquals(List.of(hashOf(r3), hashOf(r2), hashOf(r1)), revisionIds(db.get("a", GetOptions.DEFAULT.revs(true))),
                    "compaction keeps the revision ids, only the bodies go");
        }

        @Test
        void compactionKeepsEveryLeafIncludingConflictsAndTombstones() {
            conflictedDoc("a");
            String tomb = db.remove("a", rev(2, 'b')).rev();
            replicate(replicated("c", 2, "ba", false, "{'branch':'b'}"), replicated("c", 2, "ca", false, "{'branch':'c'}"));
            db.compact();
            assertEquals("c", db.get("a").get("branch").asText());
            assertTrue(db.get("a", GetOptions.DEFAULT.rev(tomb)).get("_deleted").asBoolean());
            assertEquals("b", db.get("c", GetOptions.DEFAULT.rev(rev(2, 'b'))).get("branch").asText());
        }

        @Test
        void compactionDropsAttachmentDataOnlyOldRevisionsReferTo() {
            byte[] first = "first version".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            byte[] second = "second version".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            String r1 = db.putAttachment("a", null, "f", "application/octet-stream", new ByteArrayInputStream(first)).rev();
            String r2 = db.putAttachment("a", r1, "f", "application/octet-stream", new ByteArrayInputStream(second)).rev();
            db.compact();
            assertNotFound(null, () -> db.getAttachment("a", "f", r1));
            try (AttachmentStream att = db.getAttachment("a", "f", r2)) {
                assertArrayEquals(second, att.readAllBytes());
            }
        }

        @Test
        void compactionKeepsCountsAndSequence() {
            String r1 = create("a", "{}");
            update("a", r1, "{}");
            db.remove("b", create("b", "{}"));
            DbInfo before = db.info();
            db.compact();
            DbInfo after = db.info();
            assertEquals(before.docCount(), after.docCount());
            assertEquals(before.docDelCount(), after.docDelCount());
            assertEquals(before.updateSeq().number(), after.updateSeq().number());
            assertEquals(changedIds(ChangesOptions.DEFAULT), List.of("a", "b"));
        }
    }

    // ---- purge ---------------------------------------------------------------------------------------

    @Nested
    class Purge {
        @Test
        void purgingTheOnlyLeafRemovesTheDocAsIfNeverWritten() {
            String rev = create("a", "{}");
            create("b", "{}");
            PurgeResult result = db.purge(Map.of("a", List.of(rev)));
            assertEquals(Map.of("a", List.of(rev)), result.purged());
            assertNotFound("missing", () -> db.get("a"));
            assertEquals(List.of("b"), allDocIds(AllDocsOptions.DEFAULT));
            assertEquals(List.of("b"), changedIds(ChangesOptions.DEFAULT));
            assertEquals(1, db.info().docCount());
            assertEquals(1, db.info().purgeSeq());
            assertEquals(result.purgeSeq(), db.info().purgeSeq());
        }

        @Test
        void purgingOneOfTwoLeavesLeavesTheOtherAsWinner() {
            conflictedDoc("a");
            db.purge(Map.of("a", List.of(rev(2, 'c'))));
            ObjectNode got = db.get("a", GetOptions.DEFAULT.conflicts(true));
            assertEquals(rev(2, 'b'), got.get("_rev").asText());
            assertFalse(got.has("_conflicts"));
            assertEquals(Set.of(rev(2, 'b')), leaves("a"));
        }

        @Test
        void purgeSeqGrowsWithEachPurge() {
            String a = create("a", "{}");
            String b = create("b", "{}");
            long first = db.purge(Map.of("a", List.of(a))).purgeSeq();
            long second = db.purge(Map.of("b", List.of(b))).purgeSeq();
            assertTrue(first > 0);
            assertTrue(second > first);
            assertEquals(second, db.info().purgeSeq());
            assertEquals(0, db.info().docCount());
        }

        @Test
        void purgingAnUnknownRevisionPurgesNothing() {
            String rev = create("a", "{}");
            PurgeResult result = db.purge(Map.of("a", List.of(rev(1, 'f'))));
            assertTrue(result.purged().getOrDefault("a", List.of()).isEmpty());
            assertEquals(rev, db.get("a").get("_rev").asText());
        }

        @Test
        void purgingADeletedDocLowersTheDeletedCount() {
            String tomb = db.remove("a", create("a", "{}")).rev();
            db.purge(Map.of("a", List.of(tomb)));
            assertEquals(0, db.info().docDelCount());
            assertNotFound("missing", () -> db.get("a"));
        }
    }

    // ---- settings and commit listeners ----------------------------------------------------------------

    @Nested
    class Settings {
        @Test
        void theSecurityObjectIsStoredAndReplacedWhole() {
            ObjectNode first = doc("{'admins':{'names':['ann'],'roles':[]},'members':{'names':[],'roles':['staff']}}");
            db.setSecurity(first);
            assertEquals(first, db.getSecurity());
            ObjectNode second = doc("{'members':{'roles':['all']}}");
            db.setSecurity(second);
            assertEquals(second, db.getSecurity());
        }

        @Test
        void revsLimitDefaultsToAThousandAndCanBeSet() {
            assertEquals(1000, db.revsLimit());
            db.setRevsLimit(7);
            assertEquals(7, db.revsLimit());
        }

        @Test
        void aCommitListenerSeesTheUpdateSeqAfterAWriteUntilItsSubscriptionCloses() throws InterruptedException {
            BlockingQueue<CommitEvent> events = new LinkedBlockingQueue<>();
            Subscription subscription = db.onCommit(events::add);
            create("a", "{}");
            create("b", "{}");
            long seq = db.info().updateSeq().number();
            CommitEvent last = null;
            while (last == null || last.updateSeq().number() < seq) {
                last = events.poll(60, TimeUnit.SECONDS); // only ends a hung test: a remote feed may be slow
                assertNotNull(last, "a commit event for update_seq " + seq);
                assertEquals("db", last.dbName());
            }
            assertEquals(seq, last.updateSeq().number());

            subscription.close();
            events.clear();
            // Not "nothing within a moment", which a slow machine decides: a listener opened after the close hears
            // the next write, and the closed one must not have heard it by then.
            BlockingQueue<CommitEvent> later = new LinkedBlockingQueue<>();
            try (Subscription after = db.onCommit(later::add)) {
                create("c", "{}");
                long seqOfC = db.info().updateSeq().number();
                for (CommitEvent event = null; event == null || event.updateSeq().number() < seqOfC; ) {
                    event = later.poll(60, TimeUnit.SECONDS);
                    assertNotNull(event, "a listener opened after the close hears update_seq " + seqOfC);
                }
            }
            assertNull(events.poll(), "no event after the subscription closed");
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
