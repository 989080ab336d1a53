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

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AttachmentHttpTest {
    private static final byte[] HELLO = "hello, attachment world".getBytes(StandardCharsets.UTF_8);

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

    private HttpResponse<byte[]> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpRequest.Builder at(String path) {
        return HttpRequest.newBuilder(server.uri(path));
    }

    private static JsonNode json(HttpResponse<byte[]> response) {
        return Json.parse(response.body());
    }

    private static String md5(byte[] data) throws Exception {
        return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(data));
    }

    /** The ETag of an attachment: its digest as the document reports it, without the {@code md5-} prefix. */
    private String etagOf(String doc, String name) throws Exception {
        String digest = json(send(at("/db/" + doc).GET())).path("_attachments").path(name).path("digest").asText();
        assertTrue(digest.startsWith("md5-"), digest);
        return "\"" + digest.substring(4) + "\"";
    }

    private String putHello(String path) throws Exception {
        HttpResponse<byte[]> put = send(at(path).header("Content-Type", "text/plain;charset=utf-8")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(HELLO)));
        assertEquals(201, put.statusCode(), new String(put.body(), StandardCharsets.UTF_8));
        return json(put).get("rev").asText();
    }

    @Test
    void putCreatesTheDocAndGetReturnsTheBytesWithTypeDigestAndRanges() throws Exception {
        HttpResponse<byte[]> put = send(at("/db/doc/hello.txt").header("Content-Type", "text/plain;charset=utf-8")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(HELLO)));
        assertEquals(201, put.statusCode());
        JsonNode body = json(put);
        assertTrue(body.get("ok").asBoolean());
        assertEquals("doc", body.get("id").asText());
        assertTrue(body.get("rev").asText().startsWith("1-"));
        assertEquals("\"" + body.get("rev").asText() + "\"", put.headers().firstValue("ETag").orElseThrow());
        assertTrue(put.headers().firstValue("Location").orElseThrow().endsWith("/db/doc/hello.txt"));

        HttpResponse<byte[]> get = send(at("/db/doc/hello.txt").GET());
        assertEquals(200, get.statusCode());
        assertArrayEquals(HELLO, get.body());
        assertEquals("text/plain;charset=utf-8", get.headers().firstValue("Content-Type").orElseThrow());
        // Text is digested as CouchDB stores it, gzipped: the ETag is that digest, and no Content-MD5 is claimed.
        assertTrue(get.headers().firstValue("Content-MD5").isEmpty());
        assertEquals(etagOf("doc", "hello.txt"), get.headers().firstValue("ETag").orElseThrow());
        assertEquals("bytes", get.headers().firstValue("Accept-Ranges").orElseThrow());
        assertEquals(Integer.toString(HELLO.length), get.headers().firstValue("Content-Length").orElseThrow());
    }

    @Test
    void headAnswersTheHeadersOfGetWithoutTheBody() throws Exception {
        putHello("/db/doc/hello.txt");
        HttpResponse<byte[]> head = send(at("/db/doc/hello.txt").method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, head.statusCode());
        assertEquals(0, head.body().length);
        assertEquals(Integer.toString(HELLO.length), head.headers().firstValue("Content-Length").orElseThrow());
        assertEquals(etagOf("doc", "hello.txt"), head.headers().firstValue("ETag").orElseThrow());
    }

    @Test
    void matchingIfNoneMatchIsNotModified() throws Exception {
        putHello("/db/doc/hello.txt");
        HttpResponse<byte[]> get = send(at("/db/doc/hello.txt").header("If-None-Match", etagOf("doc", "hello.txt")).GET());
        assertEquals(304, get.statusCode());
    }

    @Test
    void aSecondAttachmentNeedsTheCurrentRevByQueryOrIfMatch() throws Exception {
        String rev1 = putHello("/db/doc/a.txt");
        HttpResponse<byte[]> withoutRev = send(at("/db/doc/b.txt").PUT(HttpRequest.BodyPublishers.ofByteArray(HELLO)));
        assertEquals(409, withoutRev.statusCode());
        assertEquals("conflict", json(withoutRev).get("error").asText());

        HttpResponse<byte[]> byIfMatch = send(at("/db/doc/b.txt").header("If-Match", "\"" + rev1 + "\"")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(HELLO)));
        assertEquals(201, byIfMatch.statusCode());
        String rev2 = json(byIfMatch).get("rev").asText();
        HttpResponse<byte[]> byQuery = send(at("/db/doc/c.txt?rev=" + rev2).PUT(HttpRequest.BodyPublishers.ofByteArray(HELLO)));
        assertEquals(201, byQuery.statusCode());

        ObjectNode doc = db.get("doc");
        assertEquals(3, doc.get("_attachments").size());
        assertEquals("application/octet-stream", doc.get("_attachments").get("b.txt").get("content_type").asText());
        assertEquals(1, doc.get("_attachments").get("a.txt").get("revpos").asInt());
    }

    @Test
    void revInQueryAndIfMatchMustAgree() throws Exception {
        String rev1 = putHello("/db/doc/a.txt");
        HttpResponse<byte[]> put = send(at("/db/doc/b.txt?rev=" + rev1).header("If-Match", "\"1-0000\"")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(HELLO)));
        assertEquals(400, put.statusCode());
        assertEquals("bad_request", json(put).get("error").asText());
    }

    @Test
    void contentMd5IsCheckedOnPutAndAMismatchWritesNothing() throws Exception {
        HttpResponse<byte[]> good = send(at("/db/doc/a.txt").header("Content-MD5", md5(HELLO))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(HELLO)));
        assertEquals(201, good.statusCode());
        String rev = json(good).get("rev").asText();

        HttpResponse<byte[]> bad = send(at("/db/doc/b.txt?rev=" + rev).header("Content-MD5", md5("other".getBytes()))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(HELLO)));
        assertEquals(400, bad.statusCode());
        assertEquals("content_md5_mismatch", json(bad).get("error").asText());
        assertEquals(rev, db.get("doc").get("_rev").asText());
    }

    @Test
    void missingAttachmentAndMissingDocAreNotFoundWithCouchDbReasons() throws Exception {
        putHello("/db/doc/a.txt");
        HttpResponse<byte[]> noAtt = send(at("/db/doc/nope.txt").GET());
        assertEquals(404, noAtt.statusCode());
        assertEquals("not_found", json(noAtt).get("error").asText());
        assertEquals("Document is missing attachment", json(noAtt).get("reason").asText());

        HttpResponse<byte[]> noDoc = send(at("/db/nodoc/a.txt").GET());
        assertEquals(404, noDoc.statusCode());
        assertEquals("missing", json(noDoc).get("reason").asText());
    }

    @Test
    void deleteMakesARevisionWithoutTheAttachment() throws Exception {
        String rev = putHello("/db/doc/a.txt");
        HttpResponse<byte[]> delete = send(at("/db/doc/a.txt?rev=" + rev).DELETE());
        assertEquals(200, delete.statusCode());
        assertTrue(json(delete).get("rev").asText().startsWith("2-"));
        assertEquals(404, send(at("/db/doc/a.txt").GET()).statusCode());
        // The old revision still has it.
        HttpResponse<byte[]> old = send(at("/db/doc/a.txt?rev=" + rev).GET());
        assertEquals(200, old.statusCode());
        assertArrayEquals(HELLO, old.body());
    }

    @Test
    void namesMayContainSlashesAndDesignDocsHaveAttachmentsToo() throws Exception {
        putHello("/db/_design/app/static/js/app.js");
        assertTrue(db.get("_design/app").get("_attachments").has("static/js/app.js"));
        HttpResponse<byte[]> get = send(at("/db/_design/app/static/js/app.js").GET());
        assertEquals(200, get.statusCode());
        assertArrayEquals(HELLO, get.body());

        putHello("/db/doc/dir%2Fname.txt");
        assertTrue(db.get("doc").get("_attachments").has("dir/name.txt"));
    }

    @Test
    void aSingleRangeIsPartialContent() throws Exception {
        putHello("/db/doc/a.txt");
        HttpResponse<byte[]> range = send(at("/db/doc/a.txt").header("Range", "bytes=7-16").GET());
        assertEquals(206, range.statusCode());
        assertEquals("bytes 7-16/" + HELLO.length, range.headers().firstValue("Content-Range").orElseThrow());
        assertEquals("attachment", new String(range.body(), StandardCharsets.UTF_8));
        assertEquals("10", range.headers().firstValue("Content-Length").orElseThrow());
    }

    @Test
    void suffixAndOverlongRangesAreClampedToTheData() throws Exception {
        putHello("/db/doc/a.txt");
        HttpResponse<byte[]> suffix = send(at("/db/doc/a.txt").header("Range", "bytes=-5").GET());
        assertEquals(206, suffix.statusCode());
        assertEquals("world", new String(suffix.body(), StandardCharsets.UTF_8));
        HttpResponse<byte[]> overlong = send(at("/db/doc/a.txt").header("Range", "bytes=18-1000").GET());
        assertEquals(206, overlong.statusCode());
        assertEquals("world", new String(overlong.body(), StandardCharsets.UTF_8));
        assertEquals("bytes 18-22/23", overlong.headers().firstValue("Content-Range").orElseThrow());
    }

    @Test
    void anUnsatisfiableRangeIs416WithTheLength() throws Exception {
        putHello("/db/doc/a.txt");
        HttpResponse<byte[]> range = send(at("/db/doc/a.txt").header("Range", "bytes=100-200").GET());
        assertEquals(416, range.statusCode());
        assertEquals("bytes */" + HELLO.length, range.headers().firstValue("Content-Range").orElseThrow());
        assertEquals("requested_range_not_satisfiable", json(range).get("error").asText());
    }

    @Test
    void severalRangesOrZeroToEndGetTheWholeBody() throws Exception {
        putHello("/db/doc/a.txt");
        for (String header : new String[] {"bytes=0-1,5-6", "bytes=0-"}) {
            HttpResponse<byte[]> get = send(at("/db/doc/a.txt").header("Range", header).GET());
            assertEquals(200, get.statusCode(), header);
            assertArrayEquals(HELLO, get.body());
        }
    }

    @Test
    void anEmptyAttachmentRoundTrips() throws Exception {
        HttpResponse<byte[]> put = send(at("/db/doc/empty").PUT(HttpRequest.BodyPublishers.noBody()));
        assertEquals(201, put.statusCode());
        HttpResponse<byte[]> get = send(at("/db/doc/empty").GET());
        assertEquals(200, get.statusCode());
        assertEquals(0, get.body().length);
        assertEquals(md5(new byte[0]), get.headers().firstValue("Content-MD5").orElseThrow());
    }
}
