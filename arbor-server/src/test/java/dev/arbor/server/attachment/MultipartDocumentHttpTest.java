package dev.arbor.server.attachment;

import dev.arbor.server.TestServer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.Database;
import dev.arbor.core.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MultipartDocumentHttpTest {
    private static final byte[] TEXT = "some text that follows".getBytes(StandardCharsets.UTF_8);
    private static final byte[] BINARY = new byte[70_000];

    static {
        new java.util.Random(7).nextBytes(BINARY);
    }

    @TempDir
    Path dir;
    private TestServer server;
    private Database db;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(dir);
        db = server.storage().createDatabase("db");
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private static String digest(byte[] data) throws Exception {
        return "md5-" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(data));
    }

    private static ObjectNode follows(String type, byte[] data, int revpos) throws Exception {
        return Json.object().put("content_type", type).put("revpos", revpos).put("digest", digest(data))
                .put("length", data.length).put("follows", true);
    }

    /** A body as CouchDB's replicator sends it: the JSON part, then the data parts in {@code _attachments} order. */
    private static byte[] related(String boundary, ObjectNode doc, Map<String, byte[]> parts, Map<String, String> extraHeaders)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MultipartWriter writer = new MultipartWriter(out, boundary);
        writer.part(Map.of("Content-Type", "application/json"), o -> o.write(Json.bytes(doc)));
        for (Map.Entry<String, byte[]> part : parts.entrySet()) {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Content-Disposition", "attachment; filename=\"" + part.getKey() + "\"");
            headers.put("Content-Length", Integer.toString(part.getValue().length));
            headers.putAll(extraHeaders);
            writer.part(headers, o -> o.write(part.getValue()));
        }
        writer.finish();
        return out.toByteArray();
    }

    private HttpResponse<byte[]> putRelated(String path, byte[] body, String boundary) throws Exception {
        return http.send(HttpRequest.newBuilder(server.uri(path))
                .header("Content-Type", "multipart/related; boundary=\"" + boundary + "\"")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpResponse<InputStream> get(String path, String accept) throws Exception {
        return http.send(HttpRequest.newBuilder(server.uri(path)).header("Accept", accept).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
    }

    private static String q(String json) {
        return URLEncoder.encode(json, StandardCharsets.UTF_8);
    }

    @Test
    void replicatorStylePutWithTwoFollowingAttachmentsAndNewEditsFalseStoresTheRevisionAsGiven() throws Exception {
        ObjectNode atts = Json.object();
        atts.set("a.txt", follows("text/plain", TEXT, 1));
        atts.set("b.bin", follows("application/octet-stream", BINARY, 2));
        ObjectNode doc = Json.object().put("_id", "doc").put("_rev", "2-bbbb").put("value", 42);
        doc.putObject("_revisions").put("start", 2).putArray("ids").add("bbbb").add("aaaa");
        doc.set("_attachments", atts);
        Map<String, byte[]> parts = new LinkedHashMap<>();
        parts.put("a.txt", TEXT);
        parts.put("b.bin", BINARY);

        HttpResponse<byte[]> put = putRelated("/db/doc?new_edits=false", related("xyz123", doc, parts, Map.of()), "xyz123");
        assertEquals(201, put.statusCode(), new String(put.body(), StandardCharsets.UTF_8));
        assertEquals("2-bbbb", Json.parse(put.body()).get("rev").asText());

        ObjectNode stored = db.get("doc");
        assertEquals("2-bbbb", stored.get("_rev").asText());
        assertEquals(42, stored.get("value").asInt());
        assertArrayEquals(TEXT, db.getAttachment("doc", "a.txt", null).readAllBytes());
        assertArrayEquals(BINARY, db.getAttachment("doc", "b.bin", null).readAllBytes());
        assertEquals(digest(BINARY), stored.get("_attachments").get("b.bin").get("digest").asText());
        assertEquals("text/plain", stored.get("_attachments").get("a.txt").get("content_type").asText());
    }

    @Test
    void interactivePutTakesTheRevFromTheQueryAndTheIdFromThePath() throws Exception {
        String rev1 = db.put(Json.object().put("_id", "doc").put("v", 1)).rev();
        ObjectNode atts = Json.object();
        atts.set("a.txt", follows("text/plain", TEXT, 0));
        ObjectNode doc = Json.object().put("_id", "ignored").put("v", 2);
        doc.set("_attachments", atts);
        HttpResponse<byte[]> put = putRelated("/db/doc?rev=" + rev1, related("b", doc, Map.of("a.txt", TEXT), Map.of()), "b");
        assertEquals(201, put.statusCode(), new String(put.body(), StandardCharsets.UTF_8));
        assertTrue(Json.parse(put.body()).get("rev").asText().startsWith("2-"));
        assertEquals(2, db.get("doc").get("v").asInt());
        assertArrayEquals(TEXT, db.getAttachment("doc", "a.txt", null).readAllBytes());
    }

    @Test
    void gzipEncodedPartsFromCouchDbAreStoredDecodedKeepingTheDigestOfTheGzipStream() throws Exception {
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(zipped)) {
            gz.write(TEXT);
        }
        ObjectNode att = follows("text/plain", zipped.toByteArray(), 1).put("encoding", "gzip")
                .put("encoded_length", zipped.size()).put("length", TEXT.length);
        ObjectNode doc = Json.object().put("_id", "doc").put("_rev", "1-aaaa");
        doc.putObject("_revisions").put("start", 1).putArray("ids").add("aaaa");
        doc.putObject("_attachments").set("a.txt", att);
        HttpResponse<byte[]> put = putRelated("/db/doc?new_edits=false",
                related("g", doc, Map.of("a.txt", zipped.toByteArray()), Map.of("Content-Encoding", "gzip")), "g");
        assertEquals(201, put.statusCode(), new String(put.body(), StandardCharsets.UTF_8));
        assertArrayEquals(TEXT, db.getAttachment("doc", "a.txt", null).readAllBytes());
        // CouchDB's digest (of the gzip stream), as a replicated revision keeps it: its peers compare it.
        assertEquals(digest(zipped.toByteArray()), db.get("doc").get("_attachments").get("a.txt").get("digest").asText());

        ObjectNode corrupt = doc.deepCopy().put("_id", "other");
        ((ObjectNode) corrupt.get("_attachments").get("a.txt")).put("digest", digest(TEXT));
        HttpResponse<byte[]> refused = putRelated("/db/other?new_edits=false",
                related("g", corrupt, Map.of("a.txt", zipped.toByteArray()), Map.of("Content-Encoding", "gzip")), "g");
        assertEquals(400, refused.statusCode());
        assertEquals("content_md5_mismatch", Json.parse(refused.body()).get("error").asText());
        assertEquals(1, db.info().docCount());
    }

    @Test
    void aFollowingAttachmentWithoutItsPartIsABadRequestAndWritesNothing() throws Exception {
        ObjectNode atts = Json.object();
        atts.set("a.txt", follows("text/plain", TEXT, 1));
        atts.set("b.bin", follows("application/octet-stream", BINARY, 1));
        ObjectNode doc = Json.object().put("_id", "doc");
        doc.set("_attachments", atts);
        HttpResponse<byte[]> put = putRelated("/db/doc", related("m", doc, Map.of("a.txt", TEXT), Map.of()), "m");
        assertEquals(400, put.statusCode());
        assertEquals(0, db.info().docCount());
    }

    /** One part of a parsed multipart body, its content read whole (test data is small). */
    private record Part(Map<String, String> headers, byte[] content) {
        String type() {
            return headers.get("content-type");
        }
    }

    private static List<Part> parse(InputStream body, String contentType) throws IOException {
        List<Part> parts = new ArrayList<>();
        try (StreamingMultipartReader reader = new StreamingMultipartReader(body, contentType)) {
            for (StreamingMultipartReader.Part part = reader.nextPart(); part != null; part = reader.nextPart()) {
                parts.add(new Part(part.headers(), part.content().readAllBytes()));
            }
        }
        return parts;
    }

    /** Two conflicting leaves: 2-bbbb adds b.bin over 1-aaaa's a.txt; 2-cccc has only a.txt. */
    private void conflictedDocWithAttachments() throws Exception {
        ObjectNode atts1 = Json.object();
        atts1.set("a.txt", follows("text/plain", TEXT, 1));
        ObjectNode rev1 = Json.object().put("_id", "doc").put("_rev", "1-aaaa");
        rev1.putObject("_revisions").put("start", 1).putArray("ids").add("aaaa");
        rev1.set("_attachments", atts1);
        assertEquals(201, putRelated("/db/doc?new_edits=false", related("r", rev1, Map.of("a.txt", TEXT), Map.of()), "r").statusCode());

        ObjectNode atts2 = Json.object();
        atts2.putObject("a.txt").put("stub", true).put("revpos", 1).put("content_type", "text/plain");
        atts2.set("b.bin", follows("application/octet-stream", BINARY, 2));
        ObjectNode rev2 = Json.object().put("_id", "doc").put("_rev", "2-bbbb").put("side", "b");
        rev2.putObject("_revisions").put("start", 2).putArray("ids").add("bbbb").add("aaaa");
        rev2.set("_attachments", atts2);
        assertEquals(201, putRelated("/db/doc?new_edits=false", related("r", rev2, Map.of("b.bin", BINARY), Map.of()), "r").statusCode());

        ObjectNode rev2c = Json.object().put("_id", "doc").put("_rev", "2-cccc").put("side", "c");
        rev2c.putObject("_revisions").put("start", 2).putArray("ids").add("cccc").add("aaaa");
        rev2c.putObject("_attachments").putObject("a.txt").put("stub", true).put("revpos", 1);
        db.bulkDocs(List.of(rev2c), false);
    }

    @Test
    void openRevsAllAsMultipartMixedCarriesEachLeafWithItsAttachmentsFollowing() throws Exception {
        conflictedDocWithAttachments();
        HttpResponse<InputStream> get = get("/db/doc?open_revs=all", "multipart/mixed");
        assertEquals(200, get.statusCode());
        String outerType = get.headers().firstValue("Content-Type").orElseThrow();
        assertTrue(outerType.startsWith("multipart/mixed; boundary=\""), outerType);

        Map<String, List<Part>> byRev = new LinkedHashMap<>();
        for (Part leaf : parse(get.body(), outerType)) {
            assertTrue(leaf.type().startsWith("multipart/related; boundary=\""), leaf.type());
            List<Part> inner = parse(new ByteArrayInputStream(leaf.content()), leaf.type());
            assertEquals("application/json", inner.get(0).type());
            byRev.put(Json.parse(inner.get(0).content()).get("_rev").asText(), inner);
        }
        assertEquals(List.of("2-bbbb", "2-cccc"), byRev.keySet().stream().sorted().toList());

        List<Part> b = byRev.get("2-bbbb");
        JsonNode bDoc = Json.parse(b.get(0).content());
        assertEquals("b", bDoc.get("side").asText());
        assertTrue(bDoc.get("_attachments").get("a.txt").get("follows").asBoolean());
        assertFalse(bDoc.get("_attachments").get("a.txt").has("stub"));
        assertNull(bDoc.get("_revisions"), "_revisions only when asked");
        assertEquals(3, b.size());
        assertEquals("attachment; filename=\"a.txt\"", b.get(1).headers().get("content-disposition"));
        assertArrayEquals(TEXT, b.get(1).content());
        assertEquals("text/plain", b.get(1).type());
        assertEquals(Integer.toString(BINARY.length), b.get(2).headers().get("content-length"));
        assertArrayEquals(BINARY, b.get(2).content());

        List<Part> c = byRev.get("2-cccc");
        assertEquals(2, c.size());
        assertArrayEquals(TEXT, c.get(1).content());
    }

    @Test
    void openRevsHonoursAttsSinceAndReportsMissingRevisions() throws Exception {
        conflictedDocWithAttachments();
        HttpResponse<InputStream> get = get("/db/doc?revs=true&open_revs=" + q("[\"2-bbbb\",\"3-ffff\"]")
                + "&atts_since=" + q("[\"1-aaaa\"]"), "multipart/mixed");
        assertEquals(200, get.statusCode());
        List<Part> parts = parse(get.body(), get.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(2, parts.size());

        List<Part> inner = parse(new ByteArrayInputStream(parts.get(0).content()), parts.get(0).type());
        JsonNode doc = Json.parse(inner.get(0).content());
        assertEquals(2, doc.get("_revisions").get("start").asInt());
        assertTrue(doc.get("_attachments").get("a.txt").get("stub").asBoolean(), "the client has 1-aaaa's a.txt");
        assertTrue(doc.get("_attachments").get("b.bin").get("follows").asBoolean());
        assertEquals(2, inner.size());
        assertArrayEquals(BINARY, inner.get(1).content());

        assertEquals("application/json; error=\"true\"", parts.get(1).type());
        assertEquals("3-ffff", Json.parse(parts.get(1).content()).get("missing").asText());
    }

    @Test
    void aLeafWithNothingToSendIsAPlainJsonPart() throws Exception {
        conflictedDocWithAttachments();
        HttpResponse<InputStream> get = get("/db/doc?open_revs=" + q("[\"2-cccc\"]") + "&atts_since=" + q("[\"1-aaaa\"]"),
                "multipart/mixed");
        List<Part> parts = parse(get.body(), get.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(1, parts.size());
        assertEquals("application/json", parts.get(0).type());
        assertEquals("2-cccc", Json.parse(parts.get(0).content()).get("_rev").asText());
    }

    @Test
    void getWithAttachmentsAcceptingMultipartRelatedStreamsThemAsParts() throws Exception {
        conflictedDocWithAttachments();
        HttpResponse<InputStream> get = get("/db/doc?rev=2-bbbb&attachments=true", "multipart/related");
        assertEquals(200, get.statusCode());
        assertEquals("\"2-bbbb\"", get.headers().firstValue("ETag").orElseThrow());
        List<Part> parts = parse(get.body(), get.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(3, parts.size());
        JsonNode doc = Json.parse(parts.get(0).content());
        assertTrue(doc.get("_attachments").get("b.bin").get("follows").asBoolean());
        assertFalse(doc.get("_attachments").get("b.bin").has("data"));
        assertArrayEquals(TEXT, parts.get(1).content());
        assertArrayEquals(BINARY, parts.get(2).content());
    }

    @Test
    void openRevsIsMultipartOnlyWhenAcceptListsMultipartMixedAsInCouchDb() throws Exception {
        conflictedDocWithAttachments();
        HttpResponse<InputStream> listed = get("/db/doc?open_revs=all", "application/json, multipart/mixed;q=0.9");
        assertTrue(listed.headers().firstValue("Content-Type").orElseThrow().startsWith("multipart/mixed"));
        listed.body().close();
        for (String accept : List.of("*/*", "multipart/*", "application/json")) {
            HttpResponse<InputStream> json = get("/db/doc?open_revs=all", accept);
            assertEquals("application/json", json.headers().firstValue("Content-Type").orElseThrow(), accept);
            JsonNode leaves = Json.MAPPER.readTree(json.body());
            assertEquals(2, leaves.size(), accept);
        }
    }

    @Test
    void multipartPutOfADesignDocumentStoresItsAttachment() throws Exception {
        ObjectNode doc = Json.object().put("language", "javascript");
        doc.putObject("_attachments").set("index.html", follows("text/html", TEXT, 0));
        HttpResponse<byte[]> put = putRelated("/db/_design/app", related("d", doc, Map.of("index.html", TEXT), Map.of()), "d");
        assertEquals(201, put.statusCode(), new String(put.body(), StandardCharsets.UTF_8));
        assertEquals("_design/app", Json.parse(put.body()).get("id").asText());
        HttpResponse<byte[]> att = http.send(HttpRequest.newBuilder(server.uri("/db/_design/app/index.html")).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, att.statusCode());
        assertArrayEquals(TEXT, att.body());
    }
}
