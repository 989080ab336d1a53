package dev.arbor.server.reliability;

import dev.arbor.server.ServerConfig;
import dev.arbor.server.TestServer;
import dev.arbor.server.attachment.MultipartDocumentEndpoints;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code [couchdb] max_document_size} and {@code max_attachment_size} over HTTP, after CouchDB's own
 * {@code chttpd_db_doc_size_tests} and {@code chttpd_db_attachment_size_tests}: a 50-byte document limit and a
 * 20-byte attachment limit, read from {@code arbor.ini} as {@code arbor serve} reads them.
 */
class DocumentSizeLimitsHttpTest {
    private static final String SMALL_BODY = "{\"body\":\"This is a body.\",";
    private static final String LARGE_BODY = "{\"body\":\"This is a body it should failbecause there are too many characters.\",";
    private static final String INLINE_ATT = "\"_attachments\":{\"foo.txt\":{\"content_type\":\"text/plain\","
            + "\"data\":\"VGhpcyBpcyBhIGJhc2U2NCBlbmNvZGVkIHRleHQ=\"}}}"; // 29 bytes decoded

    @TempDir
    Path dir;

    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        Files.writeString(dir.resolve(ServerConfig.INI_FILE), """
                [couchdb]
                max_document_size = 50
                max_attachment_size = 30
                """);
        ServerConfig config = ServerConfig.load(new ServerConfig.Overrides(null, 0, dir), Map.of());
        server = TestServer.start(config.withAccessLog(false));
        assertEquals(201, server.request("PUT", "/db").status());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private void assertRefused(TestServer.Reply reply, String error, String reason) throws Exception {
        assertEquals(413, reply.status(), reply.text());
        assertEquals(error, reply.json().path("error").asText(), reply.text());
        assertEquals(reason, reply.json().path("reason").asText(), reply.text());
    }

    private long docCount() throws Exception {
        return server.request("GET", "/db").json().path("doc_count").asLong();
    }

    @Test
    void theIniFileSetsBothLimits() {
        ServerConfig config = ServerConfig.load(new ServerConfig.Overrides(null, 0, dir), Map.of());
        assertEquals(new ServerConfig.DocumentLimits(50, 30), config.documentLimits());
        assertEquals(ServerConfig.DocumentLimits.DEFAULT,
                ServerConfig.load(new ServerConfig.Overrides(null, 0, dir.resolve("none")), Map.of()).documentLimits());
    }

    @Test
    void putAndPostOfAnOversizedDocumentAre413DocumentTooLargeNamingTheId() throws Exception {
        String doc = "{\"post_single_doc\": \"some_doc\", \"_id\": \"testdoc\", \"should_be\" : \"too_large\"}";
        assertRefused(server.request("POST", "/db", doc), "document_too_large", "testdoc");
        assertRefused(server.request("PUT", "/db/testid", doc), "document_too_large", "testid");
        assertEquals(0, docCount());
    }

    @Test
    void bulkDocsWithOneOversizedDocumentIs413AndWritesNothing() throws Exception {
        String body = "{\"docs\": [{\"doc1\": 1}, {\"errordoc\": \"this_should_be_the_too_large_error_document\"}]}";
        assertRefused(server.request("POST", "/db/_bulk_docs", body), "document_too_large", "");
        assertEquals(0, docCount());
    }

    @Test
    void inlineAttachmentsDoNotCountTowardsTheDocumentButAreHeldToTheirOwnLimit() throws Exception {
        TestServer.Reply accepted = server.request("PUT", "/db/accept", SMALL_BODY + INLINE_ATT.replace(
                "VGhpcyBpcyBhIGJhc2U2NCBlbmNvZGVkIHRleHQ=", "c2hvcnQ="));
        assertEquals(201, accepted.status(), accepted.text());
        assertRefused(server.request("PUT", "/db/fail", LARGE_BODY + INLINE_ATT), "document_too_large", "fail");
        assertRefused(server.request("PUT", "/db/att", SMALL_BODY + INLINE_ATT.replace("VGhpcyBpcyBhIGJhc2U2NCBlbmNvZGVkIHRleHQ=",
                "VGhpcyBpcyBhIGJhc2U2NCBlbmNvZGVkIHRleHQgYW5kIG1vcmU=")), "attachment_too_large", "foo.txt");
        assertEquals(1, docCount());
    }

    @Test
    void multipartRelatedPutsAreHeldToBothLimits() throws Exception {
        String rest = "\"_attachments\":{\"foo.txt\":{\"follows\":true,\"content_type\":\"text/plain\",\"length\":21},"
                + "\"bar.txt\":{\"follows\":true,\"content_type\":\"text/plain\",\"length\":20}}}\r\n"
                + "--bound\r\n\r\nthis is 21 chars long\r\n--bound\r\n\r\nthis is 20 chars lon\r\n--bound--epilogue";
        String head = "--bound\r\nContent-Type: application/json\r\n\r\n";
        assertEquals(201, putRelated("/db/accept", head + SMALL_BODY + rest).status());
        assertRefused(putRelated("/db/faildoc", head + LARGE_BODY + rest), "document_too_large", "faildoc");
        String bigAttachment = "\"_attachments\":{\"big.txt\":{\"follows\":true,\"content_type\":\"text/plain\"}}}\r\n"
                + "--bound\r\n\r\n" + "y".repeat(31) + "\r\n--bound--";
        assertRefused(putRelated("/db/failatt", head + SMALL_BODY + bigAttachment), "attachment_too_large", "big.txt");
        assertEquals(1, docCount());
    }

    @Test
    void aMultipartJsonPartBeyondTheLimitAndItsStubMarginIs413DocumentTooLargeNamingThePathId() throws Exception {
        String head = "--bound\r\nContent-Type: application/json\r\n\r\n";
        int capped = MultipartDocumentEndpoints.maxJsonBytesFor(50);
        String json = "{\"pad\":\"" + "p".repeat(capped) + "\"}";
        assertRefused(putRelated("/db/huge", head + json + "\r\n--bound--"), "document_too_large", "huge");
        assertEquals(0, docCount());
    }

    @Test
    void theMultipartJsonCapFollowsMaxDocumentSizePlusAStubMargin() {
        assertEquals(50 + MultipartDocumentEndpoints.STUB_MARGIN_BYTES, MultipartDocumentEndpoints.maxJsonBytesFor(50));
        assertEquals(MultipartDocumentEndpoints.maxJsonBytesFor(8_000_000), MultipartDocumentEndpoints.DEFAULT_MAX_JSON_BYTES);
        // max_document_size = infinity: bounded by what one array can hold, never negative.
        assertEquals(Integer.MAX_VALUE - 16, MultipartDocumentEndpoints.maxJsonBytesFor(Long.MAX_VALUE));
    }

    /** Above CouchDB's default 8,000,000 (the multipart reader's old fixed cap): a 9 MB document goes through. */
    @Test
    void aMultipartDocumentWithinARaisedMaxDocumentSizeIsAcceptedEvenAboveTheDefault(@TempDir Path other) throws Exception {
        Files.writeString(other.resolve(ServerConfig.INI_FILE), """
                [couchdb]
                max_document_size = 10000000
                """);
        ServerConfig config = ServerConfig.load(new ServerConfig.Overrides(null, 0, other), Map.of());
        try (TestServer big = TestServer.start(config.withAccessLog(false))) {
            assertEquals(201, big.request("PUT", "/db").status());
            String stub = "\"_attachments\":{\"a.txt\":{\"follows\":true,\"content_type\":\"text/plain\",\"length\":5}}";
            String body = "--bound\r\nContent-Type: application/json\r\n\r\n{\"pad\":\"" + "q".repeat(9_000_000) + "\","
                    + stub + "}\r\n--bound\r\n\r\nhello\r\n--bound--";
            TestServer.Reply reply = big.send(HttpRequest.newBuilder(big.uri("/db/nine-mb"))
                    .header("Content-Type", "multipart/related; boundary=\"bound\"")
                    .PUT(HttpRequest.BodyPublishers.ofString(body)).build());
            assertEquals(201, reply.status(), reply.text().length() > 300 ? reply.text().substring(0, 300) : reply.text());
            assertEquals(9_000_000, big.request("GET", "/db/nine-mb").json().path("pad").asText().length());
            // And one past the raised limit is still refused, by the engine's exact measure.
            String over = body.replace("q".repeat(9_000_000), "q".repeat(10_000_001));
            TestServer.Reply refused = big.send(HttpRequest.newBuilder(big.uri("/db/eleven-mb"))
                    .header("Content-Type", "multipart/related; boundary=\"bound\"")
                    .PUT(HttpRequest.BodyPublishers.ofString(over)).build());
            assertEquals(413, refused.status());
            assertEquals("document_too_large", refused.json().path("error").asText());
        }
    }

    @Test
    void aStandaloneAttachmentPutOverTheLimitIs413AndTheDocumentKeepsItsRevision() throws Exception {
        String rev = server.request("PUT", "/db/doc", "{\"a\":1}").json().path("rev").asText();
        TestServer.Reply fits = server.send(HttpRequest.newBuilder(server.uri("/db/doc/small.txt?rev=" + rev))
                .header("Content-Type", "text/plain").PUT(HttpRequest.BodyPublishers.ofString("z".repeat(30))).build());
        assertEquals(201, fits.status(), fits.text());
        String fitsRev = fits.json().path("rev").asText();
        TestServer.Reply big = server.send(HttpRequest.newBuilder(server.uri("/db/doc/big.txt?rev=" + fitsRev))
                .header("Content-Type", "text/plain").PUT(HttpRequest.BodyPublishers.ofString("z".repeat(31))).build());
        assertRefused(big, "attachment_too_large", "big.txt");
        assertEquals(fitsRev, server.request("GET", "/db/doc").json().path("_rev").asText());
    }

    private TestServer.Reply putRelated(String path, String body) throws Exception {
        return server.send(HttpRequest.newBuilder(server.uri(path))
                .header("Content-Type", "multipart/related; boundary=\"bound\"")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build());
    }
}
