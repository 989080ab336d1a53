package dev.arbor.api.contract;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.api.AllDocsOptions;
import dev.arbor.api.AllDocsResult;
import dev.arbor.api.AllDocsRow;
import dev.arbor.api.BulkGetRequest;
import dev.arbor.api.BulkGetResult;
import dev.arbor.api.Database;
import dev.arbor.api.Partition;
import dev.arbor.api.PartitionInfo;
import dev.arbor.api.Storage;
import dev.arbor.api.find.Explain;
import dev.arbor.api.find.FindRequest;
import dev.arbor.api.find.FindResult;
import dev.arbor.api.find.IndexDefinition;
import dev.arbor.api.find.IndexInfo;
import dev.arbor.api.view.ViewQuery;
import dev.arbor.api.view.ViewResult;
import dev.arbor.api.view.ViewRow;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.arbor.api.contract.Fixtures.assertArbor;
import static dev.arbor.api.contract.Fixtures.doc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CouchDB 3.x's partitioned databases as every local {@link Storage} must offer them: the id rules and their
 * errors, and {@link Database#partition} reads (info, {@code _all_docs}, {@code _find}, {@code _explain}) that
 * see one partition only, with partitioned Mango indexes.
 */
public abstract class PartitionContract {
    protected abstract Storage newStorage();

    protected Storage storage;
    protected Database db;

    @BeforeEach
    void openFreshPartitionedDatabase() {
        storage = newStorage();
        db = storage.createDatabase("pdb", true);
    }

    @AfterEach
    void closeStorage() {
        if (storage != null) storage.close();
    }

    private static JsonNode json(String singleQuoted) {
        return Json.parse(singleQuoted.replace('\'', '"'));
    }

    private static List<String> ids(FindResult result) {
        return result.docs().stream().map(d -> d.get("_id").asText()).toList();
    }

    private static List<String> ids(AllDocsResult result) {
        return result.rows().stream().map(AllDocsRow::key).toList();
    }

    /** Sensors in two partitions, plus ids that sort right beside partition "a" without belonging to it. */
    private void sensors() {
        List<com.fasterxml.jackson.databind.node.ObjectNode> docs = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            docs.add(doc("{'_id':'a:s" + i + "','n':" + (10 - i) + ",'kind':'" + (i % 2 == 0 ? "even" : "odd") + "'}"));
            docs.add(doc("{'_id':'b:s" + i + "','n':" + i + ",'kind':'" + (i % 2 == 0 ? "even" : "odd") + "'}"));
        }
        docs.add(doc("{'_id':'ab:s1','n':1,'kind':'odd'}"));
        docs.add(doc("{'_id':'a0:s1','n':1,'kind':'odd'}"));
        db.bulkDocs(docs);
    }

    // ---- creation and ids ----------------------------------------------------------------------

    @Test
    void partitionedDatabaseSaysSoInItsInfoAndPlainOneDoesNot() {
        assertTrue(db.info().partitioned());
        assertFalse(storage.createDatabase("plain").info().partitioned());
    }

    @Test
    void systemDatabasesCannotBePartitioned() {
        assertArbor(ArborException.BadRequest.class, "bad_request", "Cannot partition a system database",
                () -> storage.createDatabase("_users", true));
    }

    @Test
    void idsWithoutAPartitionAreRefusedWithCouchDbsErrors() {
        assertArbor(ArborException.BadRequest.class, "illegal_docid", "Doc id must be of form partition:id",
                () -> db.put(doc("{'_id':'nopartition'}")));
        assertArbor(ArborException.BadRequest.class, "illegal_docid", "Only reserved document ids may start with underscore.",
                () -> db.put(doc("{'_id':'_bad:partitioned'}")));
        assertArbor(ArborException.BadRequest.class, "illegal_docid", "Document id must not be empty",
                () -> db.put(doc("{'_id':'bad:'}")));
        assertArbor(ArborException.BadRequest.class, "illegal_docid", "Doc id must be of form partition:id",
                () -> db.post(doc("{'generated':'ids have no partition'}")));
        assertArbor(ArborException.BadRequest.class, "illegal_docid", "Doc id must be of form partition:id",
                () -> db.get("nopartition"));
        assertArbor(ArborException.BadRequest.class, "illegal_docid", "Doc id must be of form partition:id",
                () -> db.purge(java.util.Map.of("nopartition", List.of("1-967a00dff5e02add41819138abb3284d"))));
    }

    @Test
    void designAndLocalDocumentsNeedNoPartition() {
        db.put(doc("{'_id':'_design/d','views':{}}"));
        db.putLocal(doc("{'_id':'_local/checkpoint','seq':1}"));
        assertEquals("_design/d", db.get("_design/d").get("_id").asText());
        assertEquals(1, db.getLocal("_local/checkpoint").get("seq").asInt());
    }

    @Test
    void bulkDocsWithOneIdWithoutPartitionFailsWholeAndWritesNothing() {
        assertArbor(ArborException.BadRequest.class, "illegal_docid", "Doc id must be of form partition:id",
                () -> db.bulkDocs(List.of(doc("{'_id':'foo:1'}"), doc("{'_id':'foo1'}"))));
        assertEquals(0, db.info().docCount());
    }

    @Test
    void bulkGetAnswersABadIdWithAnErrorEntryAndNoRev() {
        db.put(doc("{'_id':'p:doc'}"));
        List<BulkGetResult> results = db.bulkGet(List.of(new BulkGetRequest("p:doc", null, null),
                new BulkGetRequest("nopartition", null, null)), dev.arbor.api.GetOptions.DEFAULT);
        assertTrue(results.get(0).docs().get(0) instanceof BulkGetResult.Ok);
        BulkGetResult.Error error = (BulkGetResult.Error) results.get(1).docs().get(0);
        assertEquals("illegal_docid", error.error());
        assertEquals("Doc id must be of form partition:id", error.reason());
        assertNull(error.rev());
    }

    @Test
    void plainDatabaseTakesAnyIdAndRefusesPartitionReads() {
        Database plain = storage.createDatabase("plain");
        plain.put(doc("{'_id':'no-partition-needed'}"));
        assertArbor(ArborException.BadRequest.class, "bad_request", "database is not partitioned", () -> plain.partition("p"));
    }

    @Test
    void partitionNamesFollowCouchDbsRules() {
        assertArbor(ArborException.BadRequest.class, "illegal_partition", "Partition must not be empty", () -> db.partition(""));
        assertArbor(ArborException.BadRequest.class, "illegal_partition", "Partition must not start with an underscore",
                () -> db.partition("_design"));
        assertArbor(ArborException.BadRequest.class, "illegal_partition", "Partition must not contain a colon",
                () -> db.partition("a:b"));
    }

    // ---- partition info and _all_docs ----------------------------------------------------------

    @Test
    void partitionInfoCountsOnlyItsOwnDocuments() {
        sensors();
        String rev = db.get("a:s1").get("_rev").asText();
        db.remove("a:s1", rev);
        PartitionInfo info = db.partition("a").info();
        assertEquals("pdb", info.dbName());
        assertEquals("a", info.partition());
        assertEquals(4, info.docCount());
        assertEquals(1, info.docDelCount());
        assertTrue(info.sizeExternal() > 0 && info.sizeActive() >= info.sizeExternal());
        assertEquals(0, db.partition("empty").info().docCount());
    }

    @Test
    void partitionAllDocsListsOnlyThePartitionWithItsOwnTotal() {
        sensors();
        AllDocsResult all = db.partition("a").allDocs(AllDocsOptions.DEFAULT);
        assertEquals(List.of("a:s1", "a:s2", "a:s3", "a:s4", "a:s5"), ids(all));
        assertEquals(5, all.totalRows());
        assertEquals(0, all.offset());
        AllDocsResult descending = db.partition("a").allDocs(AllDocsOptions.DEFAULT.descending(true).limit(2));
        assertEquals(List.of("a:s5", "a:s4"), ids(descending));
    }

    @Test
    void partitionAllDocsClipsRangesToThePartitionAndCountsOffsetWithinIt() {
        sensors();
        AllDocsResult from = db.partition("a").allDocs(AllDocsOptions.DEFAULT.startkey("a:s3"));
        assertEquals(List.of("a:s3", "a:s4", "a:s5"), ids(from));
        assertEquals(2, from.offset());
        AllDocsResult wide = db.partition("a").allDocs(AllDocsOptions.DEFAULT.startkey("").endkey("\uffff"));
        assertEquals(5, wide.rows().size(), "a range beyond the partition still yields only its documents");
        AllDocsResult outside = db.partition("a").allDocs(AllDocsOptions.DEFAULT.startkey("b:").endkey("b:\uffff"));
        assertEquals(List.of(), ids(outside));
    }

    @Test
    void partitionAllDocsKeysFromAnotherPartitionAreNotFound() {
        sensors();
        AllDocsResult result = db.partition("a").allDocs(AllDocsOptions.DEFAULT.keys(List.of("a:s2", "b:s2")));
        assertEquals("a:s2", result.rows().get(0).id());
        assertEquals("not_found", result.rows().get(1).error());
    }

    // ---- _find, _explain and partitioned indexes ------------------------------------------------

    @Test
    void partitionFindMatchesOnlyThatPartition() {
        sensors();
        FindResult result = db.partition("a").find(FindRequest.of(json("{'kind':'odd'}")));
        assertEquals(List.of("a:s1", "a:s3", "a:s5"), ids(result));
        FindResult global = db.find(FindRequest.of(json("{'kind':'odd'}")));
        assertEquals(8, global.docs().size());
    }

    @Test
    void partitionFindWithoutAnIndexReadsOnlyThePartitionsIdRange() {
        sensors();
        Explain explain = db.partition("a").explain(FindRequest.of(json("{'kind':'odd'}")));
        assertTrue(explain.index().isAllDocs());
        assertEquals(1, explain.scans().size(), "one contiguous range");
        assertEquals("a:", explain.scans().get(0).startKey().asText());
        assertEquals("a;", explain.scans().get(0).endKey().asText());
        assertFalse(explain.scans().get(0).inclusiveEnd());
        FindResult stats = db.partition("a").find(FindRequest.of(json("{'kind':'odd'}")).executionStats(true));
        assertEquals(5, stats.executionStats().totalDocsExamined(), "documents of other partitions are never read");
    }

    @Test
    void indexesOfAPartitionedDatabaseArePartitionedByDefault() {
        db.createIndex(IndexDefinition.of("n").ddoc("by-n").name("n"));
        IndexInfo info = db.indexes().get(1);
        assertEquals("n", info.name());
        assertTrue(info.partitioned());
        assertTrue(db.get("_design/by-n").path("options").path("partitioned").isMissingNode()
                        || db.get("_design/by-n").path("options").path("partitioned").asBoolean(),
                "the design doc is partitioned by the database's default");
    }

    @Test
    void partitionFindUsesAPartitionedIndexInItsOrder() {
        sensors();
        db.createIndex(IndexDefinition.of("n").ddoc("by-n").name("n"));
        FindRequest request = FindRequest.of(json("{'n':{'$gte':6}}")).sort(json("['n']")).executionStats(true);
        Explain explain = db.partition("a").explain(request);
        assertEquals("n", explain.index().name());
        assertFalse(explain.sortInMemory());
        FindResult result = db.partition("a").find(request);
        assertEquals(List.of("a:s4", "a:s3", "a:s2", "a:s1"), ids(result));
        assertEquals(4, result.executionStats().totalKeysExamined(), "only this partition's rows in range are read");
        assertEquals(List.of("b:s4", "b:s5"),
                ids(db.partition("b").find(FindRequest.of(json("{'n':{'$gte':4}}")).sort(json("['n']")))));
    }

    @Test
    void partitionFindPagesWithBookmarksInsideThePartition() {
        sensors();
        db.createIndex(IndexDefinition.of("n").ddoc("by-n").name("n"));
        FindRequest request = FindRequest.of(json("{'n':{'$gte':0}}")).sort(json("['n']")).limit(2);
        FindResult first = db.partition("b").find(request);
        assertEquals(List.of("b:s1", "b:s2"), ids(first));
        FindResult second = db.partition("b").find(request.bookmark(first.bookmark()));
        assertEquals(List.of("b:s3", "b:s4"), ids(second));
    }

    @Test
    void globalQueriesNeverReadPartitionedIndexes() {
        sensors();
        db.createIndex(IndexDefinition.of("n").ddoc("by-n").name("n"));
        Explain explain = db.explain(FindRequest.of(json("{'n':{'$gte':6}}")));
        assertTrue(explain.index().isAllDocs());
        assertEquals(List.of("a:s1", "a:s2", "a:s3", "a:s4"), ids(db.find(FindRequest.of(json("{'n':{'$gte':6}}")))));
    }

    @Test
    void aGlobalIndexInAPartitionedDatabaseServesGlobalQueriesOnly() {
        sensors();
        db.createIndex(IndexDefinition.of("n").ddoc("global-n").name("n").partitioned(false));
        assertFalse(db.get("_design/global-n").path("options").path("partitioned").asBoolean(true));
        FindRequest request = FindRequest.of(json("{'n':{'$gte':6}}"));
        assertEquals("n", db.explain(request).index().name());
        assertFalse(db.explain(request).index().partitioned());
        assertTrue(db.partition("a").explain(request).index().isAllDocs());
        assertEquals(4, db.find(request).docs().size());
    }

    @Test
    void partitionedAndGlobalOptionsCannotMixInOneDesignDocument() {
        db.createIndex(IndexDefinition.of("n").ddoc("d").name("n").partitioned(false));
        assertArbor(ArborException.BadRequest.class, "invalid_partitioned_option",
                "Requested partitioned option does not match existing value on design document _design/d",
                () -> db.createIndex(IndexDefinition.of("kind").ddoc("d").name("kind").partitioned(true)));
    }

    @Test
    void partitionedIndexesNeedAPartitionedDatabase() {
        Database plain = storage.createDatabase("plain");
        assertArbor(ArborException.BadRequest.class, "invalid_partitioned_option", null,
                () -> plain.createIndex(IndexDefinition.of("n").partitioned(true)));
        plain.createIndex(IndexDefinition.of("n"));
        assertFalse(plain.indexes().get(1).partitioned());
    }

    @Test
    void partitionOrQueryUnionStaysInsideThePartition() {
        sensors();
        db.createIndex(IndexDefinition.of("n").ddoc("by-n").name("n"));
        FindRequest request = FindRequest.of(json("{'$or':[{'n':1},{'n':9}]}"));
        assertEquals(List.of("a:s1"), ids(db.partition("a").find(request)));
        assertEquals(List.of("b:s1"), ids(db.partition("b").find(request)));
    }

    // ---- partitioned views -----------------------------------------------------------------------

    private static final String BY_KIND_VIEWS = "'views':{'by_kind':{'map':'function(doc){ emit([doc.kind, doc.n], doc.n); }','reduce':'_sum'}}";

    private static List<String> viewIds(ViewResult result) {
        return result.rows().stream().map(ViewRow::id).toList();
    }

    @Test
    void aPartitionViewAnswersFromThatPartitionsRowsOnly() {
        sensors();
        db.put(doc("{'_id':'_design/v'," + BY_KIND_VIEWS + "}"));
        ViewResult a = db.partition("a").query("v", "by_kind", ViewQuery.builder().reduce(false).build());
        assertEquals(List.of("a:s4", "a:s2", "a:s5", "a:s3", "a:s1"), viewIds(a));
        assertEquals(5, a.totalRows());
        ViewResult page = db.partition("b").query("_design/v", "by_kind",
                ViewQuery.builder().reduce(false).startkey(json("['odd']")).limit(2).build());
        assertEquals(List.of("b:s1", "b:s3"), viewIds(page));
        assertEquals(2, page.offset(), "the offset counts the partition's rows before the range");
        ViewResult grouped = db.partition("b").query("v", "by_kind", ViewQuery.builder().groupLevel(1).build());
        assertEquals(List.of(json("['even']"), json("['odd']")), grouped.rows().stream().map(ViewRow::key).toList());
        assertEquals(List.of(6L, 9L), grouped.rows().stream().map(r -> r.value().asLong()).toList());
        assertEquals(35, db.partition("a").query("v", "by_kind", ViewQuery.DEFAULT).rows().get(0).value().asLong());
    }

    @Test
    void aPartitionedViewRefusesGlobalQueriesAndAGlobalViewPartitionQueries() {
        sensors();
        db.put(doc("{'_id':'_design/v'," + BY_KIND_VIEWS + "}"));
        db.put(doc("{'_id':'_design/g','options':{'partitioned':false}," + BY_KIND_VIEWS + "}"));
        assertArbor(ArborException.BadRequest.class, "query_parse_error",
                "`partition` parameter is mandatory for queries to this view.",
                () -> db.query("v", "by_kind", ViewQuery.DEFAULT));
        assertArbor(ArborException.BadRequest.class, "query_parse_error",
                "`partition` parameter is not supported in this design doc",
                () -> db.partition("a").query("g", "by_kind", ViewQuery.DEFAULT));
        ViewResult global = db.query("g", "by_kind", ViewQuery.builder().reduce(false).build());
        assertEquals(12, global.totalRows(), "a global view maps every document, of every partition");
    }

    @Test
    void aPartitionViewFollowsUpdatesAndDeletesInThatPartition() {
        sensors();
        db.put(doc("{'_id':'_design/v'," + BY_KIND_VIEWS + "}"));
        assertEquals(15, db.partition("b").query("v", "by_kind", ViewQuery.DEFAULT).rows().get(0).value().asLong());
        String rev = db.get("b:s5").path("_rev").asText();
        db.put(doc("{'_id':'b:s5','_rev':'" + rev + "','n':50,'kind':'odd'}"));
        db.remove("b:s1", db.get("b:s1").path("_rev").asText());
        db.put(doc("{'_id':'b:s9','n':100,'kind':'new'}"));
        ViewResult grouped = db.partition("b").query("v", "by_kind", ViewQuery.builder().groupLevel(1).build());
        assertEquals(List.of(6L, 100L, 53L), grouped.rows().stream().map(r -> r.value().asLong()).toList());
        assertEquals(35, db.partition("a").query("v", "by_kind", ViewQuery.DEFAULT).rows().get(0).value().asLong(),
                "partition a is untouched");
    }
}
