package dev.arbor.client.json;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.OpenRev;
import dev.arbor.core.error.ArborException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading CouchDB's multipart/mixed answer to {@code GET /db/id?open_revs=[...]} into revisions. */
class OpenRevsMultipartTest {
    private static final String DOC_WITH_ATTACHMENTS = "{\"_id\":\"d\",\"_rev\":\"2-b\",\"_attachments\":{"
            + "\"new.txt\":{\"content_type\":\"text/plain\",\"revpos\":2,\"length\":5,\"follows\":true},"
            + "\"old.txt\":{\"content_type\":\"text/plain\",\"revpos\":1,\"length\":3,\"stub\":true},"
            + "\"new.bin\":{\"content_type\":\"application/octet-stream\",\"revpos\":2,\"length\":2,\"follows\":true}}}";

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A body as CouchDB writes it: a plain JSON revision, a missing one, and one with attachments as a nested multipart/related. */
    private static String answer() {
        return "--outer\r\nContent-Type: application/json\r\n\r\n{\"_id\":\"d\",\"_rev\":\"1-a\",\"n\":1}\r\n"
                + "--outer\r\nContent-Type: application/json; error=\"true\"\r\n\r\n{\"missing\":\"3-c\"}\r\n"
                + "--outer\r\nContent-Type: multipart/related; boundary=\"inner\"\r\n\r\n"
                + "--inner\r\nContent-Type: application/json\r\n\r\n" + DOC_WITH_ATTACHMENTS + "\r\n"
                + "--inner\r\nContent-Disposition: attachment; filename=\"new.txt\"\r\nContent-Type: text/plain\r\n\r\nhello\r\n"
                + "--inner\r\nContent-Disposition: attachment; filename=\"new.bin\"\r\n\r\n\u00ff\u0000\r\n"
                + "--inner--\r\n"
                + "--outer--";
    }

    @Test
    void eachPartIsARevisionFoundOrMissingInTheAnswersOrder() {
        List<OpenRev> revs = OpenRevsMultipart.read(bytes(answer()), "outer");
        assertEquals(3, revs.size());
        assertEquals("1-a", assertInstanceOf(OpenRev.Found.class, revs.get(0)).doc().get("_rev").asText());
        assertEquals("3-c", assertInstanceOf(OpenRev.Missing.class, revs.get(1)).rev());
        assertEquals("2-b", assertInstanceOf(OpenRev.Found.class, revs.get(2)).doc().get("_rev").asText());
    }

    @Test
    void followingAttachmentsGetTheirPartsBytesAsBase64DataInTheDocumentsOrderAndStubsStayStubs() {
        ObjectNode doc = ((OpenRev.Found) OpenRevsMultipart.read(bytes(answer()), "outer").get(2)).doc();
        ObjectNode text = (ObjectNode) doc.get("_attachments").get("new.txt");
        assertEquals(Base64.getEncoder().encodeToString(bytes("hello")), text.get("data").asText());
        assertFalse(text.has("follows"), "the data is inline now, as in the JSON answer");
        assertEquals(Base64.getEncoder().encodeToString(new byte[]{(byte) 0xff, 0}),
                doc.get("_attachments").get("new.bin").get("data").asText(), "bytes, not text");
        ObjectNode old = (ObjectNode) doc.get("_attachments").get("old.txt");
        assertTrue(old.get("stub").asBoolean());
        assertFalse(old.has("data"));
    }

    @Test
    void aGzipEncodedAttachmentAsCouchDbSendsItIsDecodedAndKeepsCouchDbsDigestOfTheGzipStream() throws Exception {
        byte[] text = "compressible text, compressible text, compressible text".getBytes(StandardCharsets.UTF_8);
        var gzipped = new java.io.ByteArrayOutputStream();
        try (var out = new java.util.zip.GZIPOutputStream(gzipped)) {
            out.write(text);
        }
        String gzipDigest = "md5-" + Base64.getEncoder().encodeToString(
                java.security.MessageDigest.getInstance("MD5").digest(gzipped.toByteArray()));
        ObjectNode att = readGzipped(text, gzipped.toByteArray(), gzipDigest);
        assertEquals(Base64.getEncoder().encodeToString(text), att.get("data").asText(), "the identity bytes");
        assertEquals(text.length, att.get("length").asInt());
        assertFalse(att.has("encoding"));
        assertFalse(att.has("encoded_length"));
        assertEquals(gzipDigest, att.get("digest").asText(), "CouchDB's digest, kept as a replicated revision keeps it");

        ArborException.BadRequest corrupt = assertThrows(ArborException.BadRequest.class,
                () -> readGzipped(text, gzipped.toByteArray(), "md5-notTheGzipBytes=="));
        assertEquals("content_md5_mismatch", corrupt.error());
    }

    private static ObjectNode readGzipped(byte[] text, byte[] gzipped, String digest) {
        String stub = "{\"_id\":\"g\",\"_rev\":\"1-a\",\"_attachments\":{\"t.txt\":{\"content_type\":\"text/plain\","
                + "\"revpos\":1,\"digest\":\"" + digest + "\",\"length\":" + text.length + ",\"follows\":true,"
                + "\"encoding\":\"gzip\",\"encoded_length\":" + gzipped.length + "}}}";
        var body = new java.io.ByteArrayOutputStream();
        body.writeBytes(bytes("--o\r\nContent-Type: multipart/related; boundary=\"i\"\r\n\r\n--i\r\nContent-Type: application/json\r\n\r\n"
                + stub + "\r\n--i\r\nContent-Disposition: attachment; filename=\"t.txt\"\r\nContent-Type: text/plain\r\n"
                + "Content-Encoding: gzip\r\n\r\n"));
        body.writeBytes(gzipped);
        body.writeBytes(bytes("\r\n--i--\r\n--o--"));
        ObjectNode doc = ((OpenRev.Found) OpenRevsMultipart.read(body.toByteArray(), "o").getFirst()).doc();
        return (ObjectNode) doc.get("_attachments").get("t.txt");
    }

    @Test
    void aDocumentAnnouncingMoreAttachmentsThanItsPartsCarryIsAnInternalError() {
        String short1 = "--outer\r\nContent-Type: multipart/related; boundary=inner\r\n\r\n"
                + "--inner\r\nContent-Type: application/json\r\n\r\n" + DOC_WITH_ATTACHMENTS + "\r\n"
                + "--inner\r\n\r\nhello\r\n--inner--\r\n--outer--";
        ArborException.Internal error = assertThrows(ArborException.Internal.class, () -> OpenRevsMultipart.read(bytes(short1), "outer"));
        assertTrue(error.reason().contains("more attachments"), error.reason());
    }

    @Test
    void anAnswerCutShortIsAnInternalErrorSoTheReplicatorRetriesIt() {
        String answer = answer();
        String cut = answer.substring(0, answer.indexOf("hello") + 2);
        ArborException.Internal error = assertThrows(ArborException.Internal.class, () -> OpenRevsMultipart.read(bytes(cut), "outer"));
        assertTrue(error.reason().contains("cut short"), error.reason());
    }

    @Test
    void anAnswerWithoutABoundaryIsAnInternalError() {
        assertThrows(ArborException.Internal.class, () -> OpenRevsMultipart.read(bytes(answer()), null));
    }
}
