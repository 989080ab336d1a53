package dev.arbor.client.http;

import dev.arbor.core.json.Json;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MultipartRelatedTest {
    @Test
    void theDocumentComesFirstThenEachAttachmentInOrderThenTheClosingBoundary() throws IOException {
        var doc = Json.parseObject("{\"_id\":\"m\",\"_attachments\":{\"a.txt\":{\"follows\":true},\"b\":{\"follows\":true}}}");
        var body = new MultipartRelated(doc, List.of(
                new MultipartRelated.Part("a.txt", "text/plain", new ByteArrayInputStream("AAA".getBytes(StandardCharsets.UTF_8))),
                new MultipartRelated.Part("b", "application/octet-stream", new ByteArrayInputStream(new byte[] {'B'}))));
        String boundary = body.contentType().replaceAll(".*boundary=\"([^\"]+)\"", "$1");
        assertTrue(body.contentType().startsWith("multipart/related; boundary="));
        String text = new String(body.stream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals("--" + boundary + "\r\nContent-Type: application/json\r\n\r\n" + Json.text(doc)
                + "\r\n--" + boundary + "\r\nContent-Disposition: attachment; filename=\"a.txt\"\r\nContent-Type: text/plain\r\n\r\nAAA"
                + "\r\n--" + boundary + "\r\nContent-Disposition: attachment; filename=\"b\"\r\nContent-Type: application/octet-stream\r\n\r\nB"
                + "\r\n--" + boundary + "--\r\n", text);
    }
}
