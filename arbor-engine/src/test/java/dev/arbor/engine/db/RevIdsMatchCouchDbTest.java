package dev.arbor.engine.db;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.Arbor;
import dev.arbor.api.Database;
import dev.arbor.core.json.Json;
import dev.arbor.testkit.CouchDbPeer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The same edits sent to a real CouchDB 3.5 and to an Arbor database get the same revision ids, so two replicas
 * that make the same edit hold one revision, not a conflict.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RevIdsMatchCouchDbTest {
    /** Nested containers, escapes, characters outside the BMP, numbers of every kind jiffy tells apart. */
    private static final String RICH_BODY = """
            {"s":"unicode \u00e9 \u6f22\u5b57 \\ud83d\\ude00 \\u0000 \\" \\\\ \\n \\t \\u2028 \\/","k\u00e9y":1,
             "n":{"deep":{"deeper":[1,[2,[3,{}]],{},[]]}},"empty":{},"emptyArr":[],
             "big":123456789012345678901234567890,"neg":-98765432109876543210,"long":9223372036854775807,
             "i32":-2147483648,"f":3.14159,"e":1e2,"E":-2.5E-3,"exp":6.02214076e23,"tiny":1e-300,"z":-0,"fz":0.0,
             "one":1.0,"bytes":[0,1,255],"notBytes":[0,256],"mixed":[1,-1],"t":true,"f2":false,"nil":null}""";

    CouchDbPeer couch;
    Database arbor;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start(@TempDir Path dir) {
        assumeTrue(CouchDbPeer.available(), CouchDbPeer.unavailableReason());
        couch = CouchDbPeer.start(dir.resolve("couchdb"));
        assertEquals(201, couch.request("PUT", "/revs", null).status());
        arbor = Arbor.inMemory();
    }

    @AfterAll
    void stop() throws Exception {
        if (arbor != null) {
            arbor.close();
        }
        if (couch != null) {
            couch.close();
        }
    }

    /** Sends {@code body} to CouchDB's {@code PUT /revs/id} and the same document to Arbor; returns the common rev. */
    private String put(String id, String body) {
        String couchRev = rev(couch.request("PUT", "/revs/" + id, body));
        String arborRev = arbor.put(withId(id, body)).rev();
        assertEquals(couchRev, arborRev, "rev of PUT " + id + " " + body);
        return couchRev;
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode withId(String id, String body) {
        com.fasterxml.jackson.databind.node.ObjectNode doc = Json.object().put("_id", id);
        Json.parseObject(body).properties().forEach(e -> doc.set(e.getKey(), e.getValue()));
        return doc;
    }

    private String delete(String id, String rev) {
        String couchRev = rev(couch.request("DELETE", "/revs/" + id + "?rev=" + rev, null));
        assertEquals(couchRev, arbor.remove(id, rev).rev(), "rev of DELETE " + id);
        return couchRev;
    }

    private String putAttachment(String id, String rev, String name, String type, byte[] data) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(couch.url() + "/revs/" + id + "/" + name
                        + (rev == null ? "" : "?rev=" + rev)))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (CouchDbPeer.ADMIN + ":" + CouchDbPeer.PASSWORD).getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", type)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(data)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        String couchRev = rev(new CouchDbPeer.Response(response.statusCode(), response.body()));
        String arborRev = arbor.putAttachment(id, rev, name, type, new ByteArrayInputStream(data)).rev();
        assertEquals(couchRev, arborRev, "rev of PUT attachment " + id + "/" + name);
        return couchRev;
    }

    private String removeAttachment(String id, String rev, String name) {
        String couchRev = rev(couch.request("DELETE", "/revs/" + id + "/" + name + "?rev=" + rev, null));
        assertEquals(couchRev, arbor.removeAttachment(id, rev, name).rev(), "rev of DELETE attachment " + id + "/" + name);
        return couchRev;
    }

    private static String rev(CouchDbPeer.Response response) {
        JsonNode json = Json.parse(response.body());
        assertEquals(true, response.status() / 100 == 2, "CouchDB refused: " + response.body());
        return json.path("rev").asText();
    }

    private static String b64(byte[] data) {
        return Base64.getEncoder().encodeToString(data);
    }

    @Test
    void createUpdateDeleteAndRecreateGetCouchDbsRevs() {
        String rev = put("life", RICH_BODY);
        rev = put("life", "{\"_rev\":\"" + rev + "\",\"v\":2,\"list\":[{\"a\":[]},\"x\",-0.5]}");
        rev = delete("life", rev);
        rev = put("life", "{\"v\":3}"); // recreate after delete: the tombstone is the parent
        rev = put("life", "{\"_rev\":\"" + rev + "\",\"_deleted\":true,\"kept\":{\"a\":[1,2,3]}}");
        put("life", "{\"v\":4,\"after\":\"deleted with members\"}");
    }

    @Test
    void aDeleteOfADocumentWithABodyHashesAnEmptyBody() {
        String rev = put("tomb", "{\"a\":1}");
        assertEquals("1-23202479633c2b380f79507a776743d5", rev);
        assertEquals("2-b4e3122af5f2ab3ae9bbd74527a6aa04", delete("tomb", rev));
    }

    @Test
    void inlineAndStandaloneAttachmentsGetCouchDbsRevs() throws Exception {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2, 3, (byte) 0xFF};
        byte[] raw = "raw bytes".getBytes(StandardCharsets.UTF_8);
        String rev = put("atts", "{\"title\":\"with attachments\",\"_attachments\":{"
                + "\"z.png\":{\"content_type\":\"image/png\",\"data\":\"" + b64(png) + "\"},"
                + "\"a.bin\":{\"content_type\":\"application/octet-stream\",\"data\":\"" + b64(raw) + "\"},"
                + "\"untyped\":{\"data\":\"" + b64(new byte[] {7, 7, 7}) + "\"}}}");
        rev = putAttachment("atts", rev, "photo.jpg", "image/jpeg", new byte[] {(byte) 0xFF, (byte) 0xD8, 42});
        rev = putAttachment("atts", rev, "a.bin", "application/octet-stream", "replaced".getBytes(StandardCharsets.UTF_8));
        // An edit that keeps the attachments as stubs, in the order CouchDB lists them.
        JsonNode current = Json.parse(couch.request("GET", "/revs/atts", null).body());
        StringBuilder stubs = new StringBuilder();
        current.path("_attachments").fieldNames().forEachRemaining(name ->
                stubs.append(stubs.isEmpty() ? "" : ",").append("\"").append(name).append("\":{\"stub\":true}"));
        rev = put("atts", "{\"_rev\":\"" + rev + "\",\"title\":\"edited\",\"_attachments\":{" + stubs + "}}");
        rev = removeAttachment("atts", rev, "z.png");
        delete("atts", rev);
        // A standalone PUT creates the document it names.
        putAttachment("fresh", null, "f.gif", "image/gif", new byte[] {'G', 'I', 'F'});
        // A deletion that carries attachments keeps them in its revision.
        put("deletedWithAtts", "{\"_deleted\":true,\"why\":\"archived\",\"_attachments\":{"
                + "\"a.bin\":{\"data\":\"" + b64(raw) + "\"},\"b.png\":{\"content_type\":\"image/png\",\"data\":\"" + b64(png) + "\"}}}");
    }

    /**
     * CouchDB stores attachments of its compressible types gzipped and digests the gzip stream; Arbor computes that
     * digest while the data streams, so the revisions (which hash the digests) and the stubs are the same.
     */
    @Test
    void compressibleAttachmentsGetCouchDbsDigestsAndRevs() throws Exception {
        byte[] hello = "hello".getBytes(StandardCharsets.UTF_8);
        byte[] json = "{\"a\":[1,2,3],\"b\":\"text\"}".getBytes(StandardCharsets.UTF_8);
        byte[] big = bigText(300 * 1024); // several store chunks, so the Deflater is fed in pieces
        String rev = put("gz", "{\"_attachments\":{"
                + "\"hello.txt\":{\"content_type\":\"text/plain\",\"data\":\"" + b64(hello) + "\"},"
                + "\"d.json\":{\"content_type\":\"application/json\",\"data\":\"" + b64(json) + "\"},"
                + "\"empty.txt\":{\"content_type\":\"text/plain\",\"data\":\"\"},"
                + "\"raw.bin\":{\"content_type\":\"application/octet-stream\",\"data\":\"" + b64(hello) + "\"}}}");
        rev = putAttachment("gz", rev, "note.txt", "text/plain; charset=utf-8", hello);
        rev = putAttachment("gz", rev, "more.json", "application/json", json);
        rev = putAttachment("gz", rev, "page.html", "TEXT/HTML", big);
        rev = putAttachment("gz", rev, "app.js", "application/javascript", hello);
        rev = putAttachment("gz", rev, "data.xml", "application/xml", hello);
        putAttachment("gz", rev, "ld.json", "application/ld+json", hello); // not in the list: digested over its bytes
        assertSameDigests("gz");
        assertEquals(digestOfBytes(hello), digestOn(arbor.get("gz"), "ld.json"));

        // The same document with its data following as a multipart part gets the inline revision's digest and rev.
        String couchRev = rev(couch.request("PUT", "/revs/gzMultipart", "{\"_attachments\":{\"big.txt\":"
                + "{\"content_type\":\"text/plain\",\"data\":\"" + b64(big) + "\"}}}"));
        String arborRev = arbor.putWithAttachments(withId("gzMultipart", "{\"_attachments\":{\"big.txt\":"
                        + "{\"content_type\":\"text/plain\",\"follows\":true,\"length\":" + big.length + "}}}"), true,
                java.util.Map.of("big.txt", new ByteArrayInputStream(big))).rev();
        assertEquals(couchRev, arborRev, "rev of a multipart PUT of a text attachment");
        assertSameDigests("gzMultipart");
        // Data stays plain: what is read back is what was written.
        assertEquals(b64(big), arbor.get("gzMultipart", dev.arbor.api.GetOptions.DEFAULT.attachments(true))
                .path("_attachments").path("big.txt").path("data").asText());
    }

    private void assertSameDigests(String id) {
        JsonNode onCouch = Json.parse(couch.request("GET", "/revs/" + id, null).body()).path("_attachments");
        JsonNode onArbor = arbor.get(id).path("_attachments");
        onCouch.fieldNames().forEachRemaining(name -> assertEquals(onCouch.path(name).path("digest").asText(),
                onArbor.path(name).path("digest").asText(), "digest of " + id + "/" + name));
        assertEquals(onCouch.size(), onArbor.size());
    }

    private static String digestOn(JsonNode doc, String name) {
        return doc.path("_attachments").path(name).path("digest").asText();
    }

    private static String digestOfBytes(byte[] data) throws Exception {
        return "md5-" + b64(java.security.MessageDigest.getInstance("MD5").digest(data));
    }

    private static byte[] bigText(int size) {
        java.util.Random random = new java.util.Random(7);
        StringBuilder text = new StringBuilder(size + 16);
        while (text.length() < size) {
            text.append("<p>line ").append(random.nextInt(100_000)).append(" of the page</p>\n");
        }
        return text.substring(0, size).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void anEditOnAReplicatedRevisionWhoseIdIsNotHexHashesTheIdsText() {
        String body = "{\"docs\":[{\"_id\":\"repl\",\"_rev\":\"3-not-a-hex-id\",\"v\":1}],\"new_edits\":false}";
        assertEquals(201, couch.request("POST", "/revs/_bulk_docs", body).status());
        arbor.bulkDocs(java.util.List.of(withId("repl", "{\"_rev\":\"3-not-a-hex-id\",\"v\":1}")), false);
        put("repl", "{\"_rev\":\"3-not-a-hex-id\",\"v\":2}");
    }
}
