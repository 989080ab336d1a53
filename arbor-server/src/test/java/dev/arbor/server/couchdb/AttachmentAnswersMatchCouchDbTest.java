package dev.arbor.server.couchdb;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.core.json.Json;
import dev.arbor.testkit.CouchDbPeer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Attachments: written, read and replicated as CouchDB 3.5 does. */
class AttachmentAnswersMatchCouchDbTest extends AnswersMatchCouchDb {
    private static final String TEXT = "hello world ".repeat(50);
    private static final String JSON = "{\"k\":[" + "\"v\",".repeat(40) + "\"v\"]}";

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private JsonNode couch(String method, String path, String body) {
        var answer = both.couch().request(method, path, body);
        return answer.body() == null || answer.body().isBlank() ? Json.object() : Json.parse(answer.body());
    }

    private JsonNode arbor(String method, String path, String body) {
        var answer = both.arbor().request(method, path, body);
        return answer.body() == null || answer.body().isBlank() ? Json.object() : Json.parse(answer.body());
    }

    /**
     * CouchDB stores compressible attachments gzip-encoded and digests the gzip stream; pulled by Arbor's replicator,
     * they keep that digest with the right bytes, and pushing them back changes nothing.
     */
    @Test
    void compressibleAttachmentsPulledFromCouchDbKeepItsDigestAndPushBackAsANoOp() {
        couch("PUT", "/gz", null);
        couch("PUT", "/gz/d", "{\"_attachments\":{\"t.txt\":{\"content_type\":\"text/plain\",\"data\":\"" + base64(TEXT) + "\"},"
                + "\"j.json\":{\"content_type\":\"application/json\",\"data\":\"" + base64(JSON) + "\"}}}");
        JsonNode pulled = arbor("POST", "/_replicate", "{\"source\":\"" + both.couch().adminUrl() + "/gz\",\"target\":\"gz\","
                + "\"create_target\":true}");
        assertEquals(1, pulled.path("docs_written").asInt(), pulled.toString());
        assertEquals(0, pulled.path("doc_write_failures").asInt(), pulled.toString());
        JsonNode inCouch = couch("GET", "/gz/d", null);
        JsonNode inArbor = arbor("GET", "/gz/d", null);
        assertEquals(inCouch, inArbor, "the same revision, digests and lengths");
        assertEquals(TEXT, both.arbor().request("GET", "/gz/d/t.txt", null).body());
        assertEquals(JSON, both.arbor().request("GET", "/gz/d/j.json", null).body());
        JsonNode inline = arbor("GET", "/gz/d?attachments=true", null).path("_attachments");
        assertEquals(base64(TEXT), inline.path("t.txt").path("data").asText());

        JsonNode pushed = arbor("POST", "/_replicate", "{\"source\":\"gz\",\"target\":\"" + both.couch().adminUrl() + "/gz\"}");
        assertEquals(0, pushed.path("missing_found").asInt(), pushed.toString());
        assertEquals(0, pushed.path("docs_written").asInt(), pushed.toString());
        assertEquals(inCouch, couch("GET", "/gz/d", null));
        both.assertSame("GET", "/gz/d/t.txt", null);
    }

    /** CouchDB's replicator pushes gzip-encoded data with the digest of the gzip stream; Arbor keeps that digest. */
    @Test
    void compressibleAttachmentsPushedByCouchDbKeepItsDigest() {
        couch("PUT", "/gzpush", null);
        couch("PUT", "/gzpush/d", "{\"_attachments\":{\"t.txt\":{\"content_type\":\"text/plain\",\"data\":\"" + base64(TEXT) + "\"}}}");
        JsonNode pushed = couch("POST", "/_replicate", "{\"source\":\"" + both.couch().adminUrl() + "/gzpush\",\"target\":\""
                + both.arbor().adminUrl() + "/gzpush\",\"create_target\":true}");
        assertEquals(1, pushed.path("history").path(0).path("docs_written").asInt(), pushed.toString());
        assertEquals(couch("GET", "/gzpush/d", null), arbor("GET", "/gzpush/d", null));
        assertEquals(TEXT, both.arbor().request("GET", "/gzpush/d/t.txt", null).body());
    }

    @Test
    void attachmentNamesStartingWithAnUnderscoreAreRefused() {
        both.assertSame("PUT", "/underscore", null);
        both.assertSame("PUT", "/underscore/d/_att", "hi").assertSameValue("/reason");
        both.assertSame("PUT", "/underscore/e", "{\"_attachments\":{\"_x\":{\"content_type\":\"text/plain\",\"data\":\"aGk=\"}}}")
                .assertSameValue("/reason");
        both.assertSame("POST", "/underscore/_bulk_docs", "{\"docs\":[{\"_id\":\"f\",\"_attachments\":{\"_x\":"
                + "{\"content_type\":\"text/plain\",\"data\":\"aGk=\"}}},{\"_id\":\"g\"}]}").assertSameValue("/reason");
        both.assertSame("DELETE", "/underscore/d/_att?rev=1-abc", null).assertSameValue("/reason");
        both.assertSame("GET", "/underscore/d/_att", null);
        both.assertSame("GET", "/underscore/_all_docs", null);
    }

    @Test
    void inlineAttachmentsCarryDataAndNoLengthEverywhere() {
        both.assertSame("PUT", "/inline", null);
        both.assertSame("PUT", "/inline/d", "{\"_attachments\":{\"a.bin\":{\"content_type\":\"application/octet-stream\",\"data\":\"aGk=\"}}}");
        both.assertSame("PUT", "/inline/_design/v", "{\"views\":{\"v\":{\"map\":\"function(d){ emit(d._id, null); }\"}}}");
        // As JSON: without Accept: application/json CouchDB answers a doc with attachments as multipart.
        assertEquals(Json.parse(getJson(both.couch().url() + "/inline/d?attachments=true")).path("_attachments"),
                Json.parse(getJson(both.arbor().url() + "/inline/d?attachments=true")).path("_attachments"));
        for (String path : new String[] {"/inline/_all_docs?include_docs=true&attachments=true&key=%22d%22",
                "/inline/_design/v/_view/v?include_docs=true&attachments=true", "/inline/_design/v/_view/v?include_docs=true"}) {
            both.assertSame("GET", path, null);
        }
        // Sequences differ in type (CouchDB's are opaque strings): the document is what is compared here.
        both.send("GET", "/inline/_changes?include_docs=true&attachments=true&filter=_doc_ids&doc_ids=%5B%22d%22%5D", null)
                .assertSameValue("/results/0/doc/_attachments");
    }

    private static String getJson(String url) {
        try {
            var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).header("Accept", "application/json")
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                            (CouchDbPeer.ADMIN + ":" + CouchDbPeer.PASSWORD).getBytes(StandardCharsets.UTF_8)))
                    .build();
            return java.net.http.HttpClient.newHttpClient().send(request, java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
