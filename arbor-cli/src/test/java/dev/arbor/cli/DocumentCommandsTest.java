package dev.arbor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.Arbor;
import dev.arbor.api.Database;
import dev.arbor.api.Storage;
import dev.arbor.core.json.Json;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** put, get, delete, list and changes, end to end on a real storage in a temporary directory. */
class DocumentCommandsTest {
    private CliHarness arbor;

    @BeforeEach
    void initStorage(@TempDir Path dir) {
        arbor = new CliHarness(dir.resolve("data"));
        arbor.ok("init");
    }

    @Test
    void putAnswersOkIdRevAndGetReturnsTheDocumentAtThatRev() {
        JsonNode put = arbor.ok("put", "a", "{\"n\":1}");
        assertTrue(put.get("ok").asBoolean());
        assertEquals("a", put.get("id").asText());
        assertTrue(put.get("rev").asText().startsWith("1-"), put.toString());

        JsonNode doc = arbor.ok("get", "a");
        assertEquals("a", doc.get("_id").asText());
        assertEquals(put.get("rev").asText(), doc.get("_rev").asText());
        assertEquals(1, doc.get("n").asInt());
    }

    @Test
    void putReadsTheBodyFromStdinWhenNoJsonIsGiven() {
        var result = arbor.runWithStdin("{\"from\":\"stdin\"}", "put", "s");
        assertEquals(0, result.exitCode(), result.toString());
        assertEquals("stdin", arbor.ok("get", "s").get("from").asText());
    }

    @Test
    void putOfAnExistingDocumentWithoutRevIsAConflictAsInCouchDb() {
        arbor.ok("put", "a", "{\"n\":1}");
        var result = arbor.run("put", "a", "{\"n\":2}");
        assertEquals(1, result.exitCode());
        assertEquals("conflict", result.error().get("error").asText());
        assertEquals("Document update conflict.", result.error().get("reason").asText());
        assertEquals("", result.stdout());
        assertEquals(1, arbor.ok("get", "a").get("n").asInt());
    }

    @Test
    void putWithTheCurrentRevEitherInTheBodyOrAsOptionMakesTheNextRevision() {
        String rev1 = arbor.ok("put", "a", "{\"n\":1}").get("rev").asText();
        String rev2 = arbor.ok("put", "a", "{\"n\":2}", "--rev", rev1).get("rev").asText();
        assertTrue(rev2.startsWith("2-"), rev2);
        String rev3 = arbor.ok("put", "a", "{\"_rev\":\"" + rev2 + "\",\"n\":3}").get("rev").asText();
        assertTrue(rev3.startsWith("3-"), rev3);
        assertEquals(3, arbor.ok("get", "a").get("n").asInt());
    }

    @Test
    void putWithRevOptionDisagreeingWithTheBodyRevIsABadRequest() {
        String rev1 = arbor.ok("put", "a", "{\"n\":1}").get("rev").asText();
        var result = arbor.run("put", "a", "{\"_rev\":\"" + rev1 + "\"}", "--rev", "1-0123456789abcdef0123456789abcdef");
        assertEquals(1, result.exitCode());
        assertEquals("bad_request", result.error().get("error").asText());
    }

    @Test
    void theIdOnTheCommandLineWinsOverAnIdInTheBody() {
        arbor.ok("put", "url-id", "{\"_id\":\"body-id\",\"n\":1}");
        assertEquals("url-id", arbor.ok("get", "url-id").get("_id").asText());
        assertEquals("not_found", arbor.run("get", "body-id").error().get("error").asText());
    }

    @Test
    void malformedJsonIsCouchDbsBadRequest() {
        for (String body : List.of("{\"n\":", "not json", "")) {
            var result = arbor.runWithStdin(body, "put", "a");
            assertEquals(1, result.exitCode(), body);
            assertEquals("bad_request", result.error().get("error").asText(), body);
        }
    }

    @Test
    void aJsonValueThatIsNotAnObjectIsABadRequest() {
        var result = arbor.run("put", "a", "[1,2]");
        assertEquals(1, result.exitCode());
        assertEquals("bad_request", result.error().get("error").asText());
        assertEquals("Document must be a JSON object", result.error().get("reason").asText());
    }

    @Test
    void getOfAnUnknownIdIsNotFoundMissing() {
        var result = arbor.run("get", "nobody");
        assertEquals(1, result.exitCode());
        assertEquals("not_found", result.error().get("error").asText());
        assertEquals("missing", result.error().get("reason").asText());
    }

    @Test
    void getWithRevReturnsThatOlderRevision() {
        String rev1 = arbor.ok("put", "a", "{\"n\":1}").get("rev").asText();
        arbor.ok("put", "a", "{\"n\":2}", "--rev", rev1);
        JsonNode old = arbor.ok("get", "a", "--rev", rev1);
        assertEquals(rev1, old.get("_rev").asText());
        assertEquals(1, old.get("n").asInt());
    }

    @Test
    void getWithRevsIncludesTheRevisionAncestry() {
        String rev1 = arbor.ok("put", "a", "{\"n\":1}").get("rev").asText();
        String rev2 = arbor.ok("put", "a", "{\"n\":2}", "--rev", rev1).get("rev").asText();
        JsonNode revisions = arbor.ok("get", "a", "--revs").get("_revisions");
        assertEquals(2, revisions.get("start").asInt());
        assertEquals(rev2.substring(2), revisions.get("ids").get(0).asText());
        assertEquals(rev1.substring(2), revisions.get("ids").get(1).asText());
    }

    @Test
    void getWithConflictsListsTheLosingLeavesOfAReplicatedConflict() {
        // Conflicts arrive by replication (new_edits=false), which the CLI does not offer: write them
        // through the Java API into the same storage, then read them with the CLI.
        try (Storage storage = Arbor.storage(arbor.dataDir()); Database db = storage.database(Arbor.DEFAULT_DATABASE)) {
            db.bulkDocs(List.of(
                    Json.parseObject("{\"_id\":\"c\",\"_rev\":\"1-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\",\"v\":\"a\"}"),
                    Json.parseObject("{\"_id\":\"c\",\"_rev\":\"1-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\",\"v\":\"b\"}")), false);
        }
        JsonNode doc = arbor.ok("get", "c", "--conflicts");
        // CouchDB's winner among equally long branches is the higher revision id.
        assertEquals("1-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", doc.get("_rev").asText());
        assertEquals(Json.parse("[\"1-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"]"), doc.get("_conflicts"));
        assertFalse(arbor.ok("get", "c").has("_conflicts"), "without --conflicts there is no _conflicts");
    }

    @Test
    void deleteWithoutRevDeletesTheWinningRevision() {
        arbor.ok("put", "a", "{\"n\":1}");
        JsonNode deleted = arbor.ok("delete", "a");
        assertTrue(deleted.get("ok").asBoolean());
        assertEquals("a", deleted.get("id").asText());
        assertTrue(deleted.get("rev").asText().startsWith("2-"), deleted.toString());

        var get = arbor.run("get", "a");
        assertEquals("not_found", get.error().get("error").asText());
        assertEquals("deleted", get.error().get("reason").asText());
    }

    @Test
    void deleteWithAStaleRevIsAConflictAndKeepsTheDocument() {
        String rev1 = arbor.ok("put", "a", "{\"n\":1}").get("rev").asText();
        arbor.ok("put", "a", "{\"n\":2}", "--rev", rev1);
        var result = arbor.run("delete", "a", "--rev", rev1);
        assertEquals(1, result.exitCode());
        assertEquals("conflict", result.error().get("error").asText());
        assertEquals(2, arbor.ok("get", "a").get("n").asInt());
    }

    @Test
    void deleteOfAnUnknownIdIsNotFound() {
        var result = arbor.run("delete", "nobody");
        assertEquals(1, result.exitCode());
        assertEquals("not_found", result.error().get("error").asText());
    }

    @Test
    void listGivesAllDocsRowsInIdOrder() {
        String revB = arbor.ok("put", "b", "{}").get("rev").asText();
        arbor.ok("put", "a", "{}");
        arbor.ok("put", "c", "{}");
        JsonNode list = arbor.ok("list");
        assertEquals(3, list.get("total_rows").asInt());
        assertEquals(0, list.get("offset").asInt());
        assertEquals(List.of("a", "b", "c"), ids(list.get("rows"), "id"));
        JsonNode rowB = list.get("rows").get(1);
        assertEquals("b", rowB.get("key").asText());
        assertEquals(revB, rowB.get("value").get("rev").asText());
        assertFalse(rowB.has("doc"));
    }

    @Test
    void listHonoursStartkeyEndkeyLimitAndDescending() {
        for (String id : List.of("a", "b", "c", "d")) {
            arbor.ok("put", id, "{}");
        }
        assertEquals(List.of("b", "c"), ids(arbor.ok("list", "--startkey", "b", "--endkey", "c").get("rows"), "id"));
        assertEquals(List.of("d", "c"), ids(arbor.ok("list", "--descending", "--limit", "2").get("rows"), "id"));
        assertEquals(List.of("c", "b"),
                ids(arbor.ok("list", "--descending", "--startkey", "c", "--endkey", "b").get("rows"), "id"));
    }

    @Test
    void listWithIncludeDocsCarriesEachBody() {
        arbor.ok("put", "a", "{\"n\":1}");
        JsonNode row = arbor.ok("list", "--include-docs").get("rows").get(0);
        assertEquals(1, row.get("doc").get("n").asInt());
        assertEquals("a", row.get("doc").get("_id").asText());
    }

    @Test
    void changesListEachDocumentOnceAtItsLatestSequence() {
        String revA = arbor.ok("put", "a", "{\"n\":1}").get("rev").asText();
        arbor.ok("put", "b", "{}");
        arbor.ok("put", "a", "{\"n\":2}", "--rev", revA);

        JsonNode changes = arbor.ok("changes");
        assertEquals(List.of("b", "a"), ids(changes.get("results"), "id"));
        assertEquals(arbor.ok("info").get("update_seq").asLong(), changes.get("last_seq").asLong());
        assertEquals(0, changes.get("pending").asLong());
        JsonNode rowA = changes.get("results").get(1);
        assertEquals(arbor.ok("get", "a").get("_rev").asText(), rowA.get("changes").get(0).get("rev").asText());
        assertFalse(rowA.has("doc"));
    }

    @Test
    void changesHonourSinceLimitAndIncludeDocs() {
        arbor.ok("put", "a", "{}");
        arbor.ok("put", "b", "{}");
        long seqOfB = arbor.ok("changes").get("last_seq").asLong();
        arbor.ok("put", "c", "{\"n\":3}");

        assertEquals(List.of("c"), ids(arbor.ok("changes", "--since", Long.toString(seqOfB)).get("results"), "id"));

        JsonNode limited = arbor.ok("changes", "--limit", "1");
        assertEquals(List.of("a"), ids(limited.get("results"), "id"));
        assertEquals(2, limited.get("pending").asLong());
        assertEquals(limited.get("results").get(0).get("seq").asLong(), limited.get("last_seq").asLong());

        JsonNode withDocs = arbor.ok("changes", "--since", Long.toString(seqOfB), "--include-docs");
        assertEquals(3, withDocs.get("results").get(0).get("doc").get("n").asInt());
    }

    @Test
    void changesMarkADeletedDocument() {
        arbor.ok("put", "a", "{}");
        arbor.ok("delete", "a");
        JsonNode row = arbor.ok("changes").get("results").get(0);
        assertEquals("a", row.get("id").asText());
        assertTrue(row.get("deleted").asBoolean());
    }

    @Test
    void theDbOptionMayFollowTheCommand() {
        arbor.ok("db", "create", "notes");
        arbor.ok("put", "n1", "{}", "--db", "notes");
        assertEquals(List.of("n1"), ids(arbor.ok("list", "--db", "notes").get("rows"), "id"));
        assertEquals(0, arbor.ok("list").get("total_rows").asInt());
    }

    private static List<String> ids(JsonNode rows, String field) {
        List<String> ids = new ArrayList<>();
        rows.forEach(row -> ids.add(row.get(field).asText()));
        return ids;
    }
}
