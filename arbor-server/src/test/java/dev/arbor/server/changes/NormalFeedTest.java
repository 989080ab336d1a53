package dev.arbor.server.changes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.ChangesOptions.Style;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static dev.arbor.server.changes.FeedFixture.doc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The normal (one-shot) feed: its bytes, and each parameter's effect on the rows. */
class NormalFeedTest {
    private final FeedFixture fx = new FeedFixture();

    @AfterEach
    void close() {
        fx.close();
    }

    private static List<String> ids(JsonNode body) {
        List<String> ids = new ArrayList<>();
        body.get("results").forEach(row -> ids.add(row.get("id").asText()));
        return ids;
    }

    @Test
    void normalFeedWritesCouchDbsLayoutRowByRowThenLastSeqAndPending() {
        String a = fx.put("{'_id':'a'}");
        String b = fx.put("{'_id':'b'}");

        assertEquals("{\"results\":[\n"
                + "{\"seq\":1,\"id\":\"a\",\"changes\":[{\"rev\":\"" + a + "\"}]},\r\n"
                + "{\"seq\":2,\"id\":\"b\",\"changes\":[{\"rev\":\"" + b + "\"}]}"
                + "\n],\n\"last_seq\":2,\"pending\":0}\n", fx.run(ChangesRequest.normal()));
    }

    @Test
    void emptyDatabaseAnswersNoRowsAndSeqZero() {
        JsonNode body = fx.runJson(ChangesRequest.normal());
        assertEquals(0, body.get("results").size());
        assertEquals(0, body.get("last_seq").asLong());
        assertEquals(0, body.get("pending").asLong());
    }

    @Test
    void sinceSkipsEarlierChangesAndEachDocAppearsAtItsLatestChange() {
        fx.put("{'_id':'a'}");
        String b1 = fx.put("{'_id':'b'}");
        fx.put("{'_id':'c'}");
        fx.db.put(doc("{'_id':'b','_rev':'" + b1 + "'}"));

        JsonNode body = fx.runJson(ChangesRequest.normal().since(new Since.After(1)));

        assertEquals(List.of("c", "b"), ids(body));
        assertEquals(4, body.get("results").get(1).get("seq").asLong());
        assertEquals(4, body.get("last_seq").asLong());
    }

    @Test
    void sinceNowAnswersNoRowsWithTheCurrentUpdateSeq() {
        fx.put("{'_id':'a'}");
        fx.put("{'_id':'b'}");

        JsonNode body = fx.runJson(ChangesRequest.normal().since(new Since.Now()));

        assertEquals(0, body.get("results").size());
        assertEquals(2, body.get("last_seq").asLong());
    }

    @Test
    void limitEndsAtTheLastSentRowAndCountsTheRestAsPending() {
        for (String id : List.of("a", "b", "c", "d")) {
            fx.put("{'_id':'" + id + "'}");
        }

        JsonNode body = fx.runJson(ChangesRequest.normal().limit(1));

        assertEquals(List.of("a"), ids(body));
        assertEquals(1, body.get("last_seq").asLong());
        assertEquals(3, body.get("pending").asLong());
    }

    @Test
    void descendingListsNewestFirstAndIgnoresSinceAsCouchDbDoes() {
        fx.put("{'_id':'a'}");
        fx.put("{'_id':'b'}");
        fx.put("{'_id':'c'}");

        JsonNode body = fx.runJson(ChangesRequest.normal().descending(true).since(new Since.After(2)));

        assertEquals(List.of("c", "b", "a"), ids(body));
    }

    @Test
    void includeDocsCarriesEachWinningBody() {
        fx.put("{'_id':'a','n':1}");

        JsonNode row = fx.runJson(ChangesRequest.normal().includeDocs(true)).get("results").get(0);

        assertEquals(1, row.get("doc").get("n").asInt());
        assertEquals(row.get("changes").get(0).get("rev").asText(), row.get("doc").get("_rev").asText());
        assertFalse(fx.runJson(ChangesRequest.normal()).get("results").get(0).has("doc"), "no doc unless asked");
    }

    @Test
    void deletedDocsAreFlaggedAndIncludedAsTombstones() {
        String rev = fx.put("{'_id':'a','n':1}");
        fx.db.remove("a", rev);

        JsonNode row = fx.runJson(ChangesRequest.normal().includeDocs(true)).get("results").get(0);

        assertTrue(row.get("deleted").asBoolean());
        assertTrue(row.get("doc").get("_deleted").asBoolean());
        assertFalse(row.get("doc").has("n"), "a tombstone has no body");
    }

    private void conflictOn(String id) {
        fx.db.bulkDocs(List.of(replicated(id, "1-" + "a".repeat(32)), replicated(id, "1-" + "b".repeat(32))), false);
    }

    private static ObjectNode replicated(String id, String rev) {
        ObjectNode doc = doc("{'_id':'" + id + "','_rev':'" + rev + "'}");
        return doc;
    }

    @Test
    void styleAllDocsListsEveryLeafAndMainOnlyTheWinner() {
        conflictOn("x");

        JsonNode mainOnly = fx.runJson(ChangesRequest.normal()).get("results").get(0).get("changes");
        JsonNode allDocs = fx.runJson(ChangesRequest.normal().style(Style.ALL_DOCS)).get("results").get(0).get("changes");

        assertEquals(1, mainOnly.size());
        assertEquals("1-" + "b".repeat(32), mainOnly.get(0).get("rev").asText(), "higher hash wins");
        assertEquals(2, allDocs.size());
    }

    @Test
    void conflictsWithIncludeDocsListTheLosingLeaves() {
        conflictOn("x");

        JsonNode doc = fx.runJson(ChangesRequest.normal().includeDocs(true).conflicts(true)).get("results").get(0).get("doc");

        assertEquals("1-" + "a".repeat(32), doc.get("_conflicts").get(0).asText());
    }

    @Test
    void attachmentsWithIncludeDocsInlineTheDataInsteadOfStubs() {
        String rev = fx.put("{'_id':'a'}");
        byte[] data = "hello".getBytes(StandardCharsets.UTF_8);
        fx.db.putAttachment("a", rev, "greeting.txt", "text/plain", new ByteArrayInputStream(data));

        JsonNode stub = fx.runJson(ChangesRequest.normal().includeDocs(true))
                .get("results").get(0).get("doc").get("_attachments").get("greeting.txt");
        JsonNode inline = fx.runJson(ChangesRequest.normal().includeDocs(true).attachments(true))
                .get("results").get(0).get("doc").get("_attachments").get("greeting.txt");

        assertTrue(stub.get("stub").asBoolean());
        assertEquals(Base64.getEncoder().encodeToString(data), inline.get("data").asText());
        assertFalse(inline.has("stub"));
    }

    @Test
    void docIdsFilterKeepsOnlyTheNamedDocuments() {
        for (String id : List.of("a", "b", "c", "d")) {
            fx.put("{'_id':'" + id + "'}");
        }

        JsonNode body = fx.runJson(ChangesRequest.normal().filter(new ChangesFilter.DocIds(List.of("d", "b", "zz"))));

        assertEquals(List.of("b", "d"), ids(body));
        assertEquals(4, body.get("last_seq").asLong());
    }

    @Test
    void designFilterKeepsOnlyDesignDocuments() {
        fx.put("{'_id':'a'}");
        fx.put("{'_id':'_design/one'}");
        fx.put("{'_id':'b'}");
        fx.put("{'_id':'_design/two'}");
        fx.put("{'_id':'c'}");

        JsonNode body = fx.runJson(ChangesRequest.normal().filter(new ChangesFilter.DesignDocs()).includeDocs(true));

        assertEquals(List.of("_design/one", "_design/two"), ids(body));
        assertEquals("_design/two", body.get("results").get(1).get("doc").get("_id").asText());
        assertEquals(5, body.get("last_seq").asLong());
        assertEquals(0, body.get("pending").asLong());
    }

    @Test
    void selectorFilterKeepsDocumentsWhoseWinnerMatchesAndSendsDocsOnlyWhenAsked() {
        fx.put("{'_id':'a','type':'user','age':30}");
        fx.put("{'_id':'b','type':'post'}");
        fx.put("{'_id':'c','type':'user','age':50}");
        ChangesFilter users = new ChangesFilter.Matching(dev.arbor.core.mango.Selector.parse(
                doc("{'type':'user','age':{'$lt':40}}")));

        JsonNode body = fx.runJson(ChangesRequest.normal().filter(users));

        assertEquals(List.of("a"), ids(body));
        assertFalse(body.get("results").get(0).has("doc"), "no doc unless include_docs");
        assertEquals(3, body.get("last_seq").asLong());
        JsonNode withDocs = fx.runJson(ChangesRequest.normal().filter(users).includeDocs(true));
        assertEquals(30, withDocs.get("results").get(0).get("doc").get("age").asInt());
    }

    @Test
    void designFilterWithLimitStopsAfterTheLimitAndCountsWhatFollows() {
        fx.put("{'_id':'_design/one'}");
        fx.put("{'_id':'a'}");
        fx.put("{'_id':'_design/two'}");
        fx.put("{'_id':'b'}");

        JsonNode body = fx.runJson(ChangesRequest.normal().filter(new ChangesFilter.DesignDocs()).limit(1));

        assertEquals(List.of("_design/one"), ids(body));
        assertEquals(1, body.get("last_seq").asLong());
        assertEquals(3, body.get("pending").asLong());
    }

    @Test
    void seqIntervalPutsTheSeqOnEveryNthRowAndNullOnTheOthers() {
        for (int i = 0; i < 5; i++) {
            fx.put("{'_id':'d" + i + "'}");
        }

        JsonNode body = fx.runJson(ChangesRequest.normal().limit(4).seqInterval(2));

        // CouchDB counts the remaining limit down (4, 3, 2, 1) and keeps the seq where it divides by the interval.
        List<String> seqs = new ArrayList<>();
        body.get("results").forEach(row -> seqs.add(row.get("seq").toString()));
        assertEquals(List.of("1", "null", "3", "null"), seqs);
        assertEquals(4, body.get("last_seq").asLong(), "last_seq is always exact");
    }
}
