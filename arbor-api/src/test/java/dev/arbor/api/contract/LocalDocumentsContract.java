package dev.arbor.api.contract;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.AllDocsOptions;
import dev.arbor.api.AllDocsResult;
import dev.arbor.api.AllDocsRow;
import dev.arbor.api.ChangesOptions;
import dev.arbor.api.DocResult;
import dev.arbor.core.error.ArborException;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.util.List;

import static dev.arbor.api.contract.Fixtures.assertNotFound;
import static dev.arbor.api.contract.Fixtures.doc;
import static dev.arbor.api.contract.Fixtures.rev;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** The {@link dev.arbor.api.LocalDocuments} facet: {@code _local} documents as CouchDB 3 keeps them. */
public abstract class LocalDocumentsContract extends DatabaseFacetContract {

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
}
