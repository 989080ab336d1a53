package dev.arbor.wire;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.api.AllDocsRow;
import dev.arbor.api.ChangeRow;
import dev.arbor.api.DbInfo;
import dev.arbor.api.DocResult;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The JSON bodies match CouchDB's HTTP API field for field. */
class CouchJsonTest {

    /** Compares as the JSON text a client reads, so an int and a long of one value are equal. */
    private static void assertJson(String expected, JsonNode actual) {
        assertEquals(Json.parse(expected), Json.parse(Json.text(actual)));
    }

    @Test
    void dbInfoHasCouchDbsFieldNamesAndAStringInstanceStartTime() {
        var info = new DbInfo("notes", 3, 1, 7, 0, 4096, 2048, 1024, false, false);
        assertJson("""
                {"db_name":"notes","doc_count":3,"doc_del_count":1,"update_seq":7,"purge_seq":0,
                 "compact_running":false,"sizes":{"file":4096,"external":1024,"active":2048},"props":{},
                 "instance_start_time":"0"}""", CouchJson.dbInfo(info));
    }

    @Test
    void dbInfoOfAPartitionedDatabaseSaysSoInProps() {
        var info = new DbInfo("sensors", 0, 0, 0, 0, 0, 0, 0, false, true);
        assertJson("{\"partitioned\":true}", (com.fasterxml.jackson.databind.JsonNode) CouchJson.dbInfo(info).get("props"));
    }

    @Test
    void aSuccessfulWriteIsOkIdRev() {
        assertJson("{\"ok\":true,\"id\":\"a\",\"rev\":\"1-abc\"}",
                CouchJson.docResult(new DocResult.Ok("a", "1-abc")));
    }

    @Test
    void aFailedWriteIsIdErrorReasonAsInBulkDocs() {
        assertJson("{\"id\":\"a\",\"error\":\"conflict\",\"reason\":\"Document update conflict.\"}",
                CouchJson.docResult(new DocResult.Error("a", "1-abc", "conflict", "Document update conflict.")));
    }

    @Test
    void anErrorIsCouchDbsErrorBody() {
        assertJson("{\"error\":\"not_found\",\"reason\":\"missing\"}",
                CouchJson.error(new ArborException.NotFound("missing")));
        assertJson("{\"error\":\"file_exists\",\"reason\":\"The database could not be created, the file already exists.\"}",
                CouchJson.error(new ArborException.PreconditionFailed("file_exists",
                        "The database could not be created, the file already exists.")));
    }

    @Test
    void anAllDocsRowCarriesTheRevAsItsValue() {
        var row = new AllDocsRow("a", "a", "1-abc", false, null, null);
        assertJson("{\"id\":\"a\",\"key\":\"a\",\"value\":{\"rev\":\"1-abc\"}}",
                CouchJson.allDocsRow(row, false));
    }

    @Test
    void anAllDocsRowWithIncludeDocsCarriesTheDocument() {
        var doc = Json.parseObject("{\"_id\":\"a\",\"_rev\":\"1-abc\",\"n\":1}");
        var row = new AllDocsRow("a", "a", "1-abc", false, doc, null);
        assertJson("{\"id\":\"a\",\"key\":\"a\",\"value\":{\"rev\":\"1-abc\"},\"doc\":{\"_id\":\"a\",\"_rev\":\"1-abc\",\"n\":1}}",
                CouchJson.allDocsRow(row, true));
    }

    @Test
    void aDeletedDocInAKeysLookupHasDeletedTrueAndANullDocWhenDocsAreIncluded() {
        var row = new AllDocsRow("a", "a", "2-def", true, null, null);
        assertJson("{\"id\":\"a\",\"key\":\"a\",\"value\":{\"rev\":\"2-def\",\"deleted\":true},\"doc\":null}",
                CouchJson.allDocsRow(row, true));
    }

    @Test
    void anUnknownKeyInAKeysLookupHasOnlyKeyAndError() {
        assertJson("{\"key\":\"zz\",\"error\":\"not_found\"}",
                CouchJson.allDocsRow(AllDocsRow.notFound("zz"), true));
    }

    @Test
    void aChangeRowListsItsRevisionsAsObjects() {
        var row = new ChangeRow(5, "a", List.of("2-x", "2-y"), false, null);
        assertJson("{\"seq\":5,\"id\":\"a\",\"changes\":[{\"rev\":\"2-x\"},{\"rev\":\"2-y\"}]}",
                CouchJson.changeRow(row));
    }

    @Test
    void aDeletedChangeRowSaysDeletedAndCarriesItsTombstoneWhenGiven() {
        var tombstone = Json.parseObject("{\"_id\":\"a\",\"_rev\":\"3-z\",\"_deleted\":true}");
        var row = new ChangeRow(9, "a", List.of("3-z"), true, tombstone);
        assertJson("{\"seq\":9,\"id\":\"a\",\"changes\":[{\"rev\":\"3-z\"}],\"deleted\":true,"
                        + "\"doc\":{\"_id\":\"a\",\"_rev\":\"3-z\",\"_deleted\":true}}",
                CouchJson.changeRow(row));
    }
}
