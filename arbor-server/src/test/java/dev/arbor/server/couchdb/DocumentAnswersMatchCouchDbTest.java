package dev.arbor.server.couchdb;

import dev.arbor.testkit.CouchDbPeer;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Documents: the everyday requests answer as CouchDB 3.5 answers them. */
class DocumentAnswersMatchCouchDbTest extends AnswersMatchCouchDb {
    @Test
    void createWriteReadAndConflict() {
        both.assertSame("PUT", "/smoke", null);
        both.assertSame("PUT", "/smoke", null);
        both.assertSame("PUT", "/smoke/a", "{\"a\":1}");
        both.assertSame("GET", "/smoke/a", null);
        both.assertSame("PUT", "/smoke/a", "{\"a\":2}");
        both.assertSame("GET", "/smoke/nothing", null);
        both.assertSame("POST", "/smoke/_bulk_docs", "{\"docs\":[{\"_id\":\"b\"},{\"_id\":\"c\",\"x\":[1,2]}]}");
    }

    @Test
    void aRepeatedJsonMemberIsAcceptedWithTheLastOneWinningOnEveryParsePath() {
        both.assertSame("PUT", "/dups", null);
        both.assertSame("PUT", "/dups/a", "{\"x\":1,\"x\":2}");
        both.assertSame("GET", "/dups/a", null).assertSameValue("");
        // the last member wins at its last place: the same body, so the same revision id
        both.assertSame("PUT", "/dups/order", "{\"x\":1,\"y\":2,\"x\":3}").assertSameValue("/rev");
        both.assertSame("GET", "/dups/order", null).assertSameValue("");
        both.assertSame("POST", "/dups/_bulk_docs", "{\"docs\":[{\"_id\":\"b\",\"y\":1,\"y\":[2]}],\"docs\":[{\"_id\":\"c\"}]}");
        both.assertSame("GET", "/dups/b", null);
        both.assertSame("GET", "/dups/c", null);
        // CouchDB's continuous replicator can name one id twice in a _revs_diff
        both.assertSame("POST", "/dups/_revs_diff", "{\"a\":[\"1-abc\"],\"a\":[\"2-def\"]}").assertSameValue("/a/missing");
        both.assertSame("POST", "/dups/_bulk_get", "{\"docs\":[{\"id\":\"b\",\"id\":\"c\"}]}");
        both.assertSame("POST", "/dups/_index", "{\"index\":{\"fields\":[\"y\"]},\"index\":{\"fields\":[\"x\"]},\"name\":\"by-x\"}");
        both.assertSame("POST", "/dups/_find", "{\"selector\":{\"y\":{\"$gt\":0}},\"selector\":{\"x\":2},\"fields\":[\"x\"]}")
                .assertSameValue("/docs");
    }

    @Test
    void malformedJsonIsBadRequestWithCouchDbsReasonLeadingAndTheProblemAfter() {
        both.assertSame("PUT", "/badjson", null);
        for (String body : new String[] {"{\"x\":1,", "{\"x\":tru}", "", "{\"a\":1} 2"}) {
            var answers = both.assertSame("PUT", "/badjson/a", body);
            String reason = answers.arborJson().path("reason").asText();
            assertTrue(reason.startsWith(answers.couchJson().path("reason").asText() + ": "), reason);
        }
        both.assertSame("POST", "/badjson/_bulk_docs", "nope");
        both.assertSame("POST", "/badjson/_revs_diff", "{\"a\":");
        both.assertSame("POST", "/badjson/_find", "{\"selector\":");
        both.assertSame("GET", "/badjson/_all_docs?startkey=", null);
        both.assertSame("GET", "/badjson/_all_docs?keys=%5B%22a%22,", null);
    }

    @Test
    void localDocumentsTakeReplicatorCheckpointsAndNumberEditsFromTheRevTheyName() {
        both.assertSame("PUT", "/local", null);
        // as CouchDB's replicator writes a checkpoint
        both.assertSame("PUT", "/local/_local/cp", "{\"_rev\":\"0-1\",\"_revisions\":{\"start\":0,\"ids\":[\"1\"]},\"x\":1}")
                .assertSameValue("/rev");
        both.assertSame("GET", "/local/_local/cp", null).assertSameValue("/_rev");
        both.assertSame("PUT", "/local/_local/cp", "{\"_rev\":\"0-1\",\"x\":2}").assertSameValue("/rev");
        both.assertSame("PUT", "/local/_local/cp", "{\"_rev\":\"0-5\",\"x\":3}").assertSameValue("/rev");
        both.assertSame("PUT", "/local/_local/cp", "{\"x\":4}").assertSameValue("/rev");
        both.assertSame("POST", "/local/_bulk_docs", "{\"docs\":[{\"_id\":\"_local/yy\",\"_deleted\":true},"
                + "{\"_id\":\"_local/q\",\"_rev\":\"0-4\",\"a\":1}]}").assertSameValue("");
        both.assertSame("POST", "/local/_bulk_docs", "{\"new_edits\":false,\"docs\":[{\"_id\":\"_local/s\",\"_rev\":\"0-4\"}]}");
        both.assertSame("GET", "/local/_local/s", null).assertSameValue("/_rev");
        both.assertSame("PUT", "/local/_local/att", "{\"_attachments\":{\"a\":{\"content_type\":\"text/plain\",\"data\":\"aGk=\"}}}");
        both.assertSame("GET", "/local/_local/att", null);
        both.assertSame("PUT", "/local/_local/att/a.txt?rev=0-1", "hello").assertSameValue("/reason");
        both.assertSame("GET", "/local/_local/att/a.txt", null).assertSameValue("/reason");
        both.assertSame("DELETE", "/local/_local/att/a.txt?rev=0-1", null).assertSameValue("/reason");
        both.assertSame("GET", "/local/_all_docs", null);
        both.assertSame("DELETE", "/local/_local/cp?rev=0-3", null).assertSameValue("/rev");
        both.assertSame("DELETE", "/local/_local/cp", null);
        both.assertSame("DELETE", "/local/_local/never?rev=0-1", null);
    }

    @Test
    void revisionsWinOverADisagreeingRev() {
        both.assertSame("PUT", "/revisions", null);
        both.assertSame("POST", "/revisions/_bulk_docs", "{\"new_edits\":false,\"docs\":[{\"_id\":\"a\",\"_rev\":\"1-aaa\","
                + "\"_revisions\":{\"start\":2,\"ids\":[\"bbb\",\"aaa\"]},\"v\":1}]}").assertSameValue("");
        both.assertSame("GET", "/revisions/a?revs=true", null).assertSameValue("");
        both.assertSame("PUT", "/revisions/a", "{\"_rev\":\"1-aaa\",\"_revisions\":{\"start\":2,\"ids\":[\"bbb\",\"aaa\"]},\"v\":2}");
        both.assertSame("PUT", "/revisions/a", "{\"_rev\":\"2-bbb\",\"_revisions\":{\"start\":1,\"ids\":[\"aaa\"]},\"v\":2}");
    }

    @Test
    void bulkDocsErrorsAndReplicatedRevisionsAnswerAsCouchDb() {
        both.assertSame("PUT", "/bulk", null);
        both.assertSame("POST", "/bulk/_bulk_docs", "{\"docs\":[{\"_id\":\"a\"}]}");
        both.assertSame("POST", "/bulk/_bulk_docs", "{\"docs\":[{\"_id\":\"a\"},{\"_id\":\"a\",\"_rev\":\"1-abc\"},{\"_id\":\"n\"}]}");
        both.assertSame("PUT", "/bulk/_design/v", "{\"validate_doc_update\":\"function(n,o){ if (n.bad) throw({forbidden:'no'}); }\"}");
        both.assertSame("POST", "/bulk/_bulk_docs", "{\"docs\":[{\"_id\":\"f\",\"bad\":true}]}").assertSameValue("");
        both.assertSame("POST", "/bulk/_bulk_docs", "{\"new_edits\":false,\"docs\":[{\"_id\":\"q\",\"_rev\":\"1-abc\",\"bad\":true}]}")
                .assertSameValue("");
        both.assertSame("POST", "/bulk/_bulk_docs", "{\"new_edits\":false,\"docs\":[{\"_id\":\"x\",\"v\":1}]}")
                .assertSameValue("/reason");
        both.assertSame("POST", "/bulk/_bulk_docs", "{\"new_edits\":false,\"docs\":[{\"_id\":\"y\",\"_rev\":\"1-\",\"v\":1}]}");
        both.assertSame("GET", "/bulk/y?revs=true", null).assertSameValue("");
        both.assertSame("GET", "/bulk/_all_docs?key=%22y%22", null).assertSameValue("/rows");
    }

    @Test
    void openRevsAnswersEachRevisionOnce() {
        both.assertSame("PUT", "/openrevs", null);
        both.assertSame("POST", "/openrevs/_bulk_docs", "{\"new_edits\":false,\"docs\":[{\"_id\":\"a\",\"_rev\":\"3-ccc\","
                + "\"_revisions\":{\"start\":3,\"ids\":[\"ccc\",\"bbb\",\"aaa\"]},\"v\":3}]}");
        for (String query : new String[] {"open_revs=%5B%221-aaa%22,%222-bbb%22%5D&latest=true",
                "open_revs=%5B%223-ccc%22,%223-ccc%22,%229-z%22,%229-z%22%5D"}) {
            // As JSON: without Accept: application/json CouchDB answers multipart/mixed.
            String couch = getJson(both.couch().url() + "/openrevs/a?" + query);
            String arbor = getJson(both.arbor().url() + "/openrevs/a?" + query);
            assertEquals(dev.arbor.core.json.Json.parse(couch), dev.arbor.core.json.Json.parse(arbor), query);
        }
    }

    private static String getJson(String url) {
        try {
            var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).header("Accept", "application/json")
                    .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                            (CouchDbPeer.ADMIN + ":" + CouchDbPeer.PASSWORD).getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                    .build();
            return java.net.http.HttpClient.newHttpClient().send(request, java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aMalformedRevIsCheckedBeforeTheLookup() {
        both.assertSame("PUT", "/badrev", null);
        both.assertSame("GET", "/badrev/missing?rev=notarev", null).assertSameValue("");
        both.assertSame("GET", "/badrev/missing?rev=1-abc", null).assertSameValue("");
        both.assertSame("GET", "/badrev/missing/att?rev=notarev", null).assertSameValue("");
        both.assertSame("HEAD", "/badrev/missing?rev=notarev", null);
        both.assertSame("DELETE", "/badrev/missing?rev=notarev", null).assertSameValue("");
        both.assertSame("PUT", "/badrev/a", "{}");
        both.assertSame("GET", "/badrev/a?rev=notarev", null).assertSameValue("");
        both.assertSame("DELETE", "/badrev/a?rev=notarev", null).assertSameValue("");
    }
}
