package dev.arbor.server.attachment;

import dev.arbor.server.TestServer;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A 50 MiB attachment in and out over HTTP, client and server in one JVM whose heap is smaller than the
 * attachment (the {@code bounded-heap} surefire execution runs this class with {@code -Xmx40m}): it can
 * only pass if neither direction holds the whole attachment.
 */
@Tag("bounded-heap")
class LargeAttachmentStreamingTest {
    private static final long SIZE = 50L * 1024 * 1024;

    @TempDir
    Path dir;

    /** {@code SIZE} pseudo-random bytes, generated as read, digested as they go out. */
    private static final class Generated extends InputStream {
        private final Random random = new Random(42);
        private final MessageDigest md5 = newMd5();
        private long left = SIZE;

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left == 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            byte[] chunk = new byte[n];
            random.nextBytes(chunk);
            System.arraycopy(chunk, 0, b, off, n);
            md5.update(chunk);
            left -= n;
            return n;
        }
    }

    private static MessageDigest newMd5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void fiftyMebibytesStreamInAndOutWithAHeapSmallerThanTheData() throws Exception {
        assertTrue(Runtime.getRuntime().maxMemory() < SIZE, "run with a heap smaller than the attachment");
        try (TestServer server = TestServer.start(dir)) {
            server.storage().createDatabase("db");
            HttpClient http = HttpClient.newHttpClient();
            Generated upload = new Generated();
            HttpResponse<String> put = http.send(HttpRequest.newBuilder(server.uri("/db/big/data.bin"))
                    .header("Content-Type", "application/octet-stream")
                    .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> upload)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(201, put.statusCode(), put.body());
            String sent = Base64.getEncoder().encodeToString(upload.md5.digest());

            HttpResponse<InputStream> get = http.send(HttpRequest.newBuilder(server.uri("/db/big/data.bin")).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, get.statusCode());
            assertEquals(Long.toString(SIZE), get.headers().firstValue("Content-Length").orElseThrow());
            assertEquals(sent, get.headers().firstValue("Content-MD5").orElseThrow());
            MessageDigest received = newMd5();
            long count = 0;
            try (InputStream body = get.body()) {
                byte[] buffer = new byte[64 * 1024];
                for (int n; (n = body.read(buffer)) >= 0; ) {
                    received.update(buffer, 0, n);
                    count += n;
                }
            }
            assertEquals(SIZE, count);
            assertEquals(sent, Base64.getEncoder().encodeToString(received.digest()));

            var stub = server.storage().database("db").get("big").get("_attachments").get("data.bin");
            assertEquals(SIZE, stub.get("length").asLong());
            assertEquals("md5-" + sent, stub.get("digest").asText());

            // The tail through a range: the engine's stream is skipped, not buffered.
            HttpResponse<byte[]> tail = http.send(HttpRequest.newBuilder(server.uri("/db/big/data.bin"))
                    .header("Range", "bytes=-16").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(206, tail.statusCode());
            assertEquals(16, tail.body().length);
            assertEquals("bytes " + (SIZE - 16) + "-" + (SIZE - 1) + "/" + SIZE, tail.headers().firstValue("Content-Range").orElseThrow());

        }
    }

    @Test
    void fiftyMebibytesThroughMultipartPutAndOpenRevsMultipartGet() throws Exception {
        try (TestServer server = TestServer.start(dir)) {
            server.storage().createDatabase("db");
            HttpClient http = HttpClient.newHttpClient();
            String json = "{\"_id\":\"big\",\"_rev\":\"1-abcd\",\"_revisions\":{\"start\":1,\"ids\":[\"abcd\"]},"
                    + "\"_attachments\":{\"data.bin\":{\"content_type\":\"application/octet-stream\",\"revpos\":1,"
                    + "\"length\":" + SIZE + ",\"follows\":true}}}";
            byte[] head = ("--bnd\r\nContent-Type: application/json\r\n\r\n" + json
                    + "\r\n--bnd\r\nContent-Disposition: attachment; filename=\"data.bin\"\r\n\r\n").getBytes(StandardCharsets.UTF_8);
            byte[] tail = "\r\n--bnd--".getBytes(StandardCharsets.UTF_8);
            Generated upload = new Generated();
            HttpResponse<String> put = http.send(HttpRequest.newBuilder(server.uri("/db/big?new_edits=false"))
                    .header("Content-Type", "multipart/related; boundary=\"bnd\"")
                    .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new SequenceInputStream(
                            Collections.enumeration(List.of(new ByteArrayInputStream(head), upload, new ByteArrayInputStream(tail))))))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(201, put.statusCode(), put.body());
            String sent = Base64.getEncoder().encodeToString(upload.md5.digest());

            HttpResponse<InputStream> get = http.send(HttpRequest.newBuilder(server.uri("/db/big?open_revs=all"))
                    .header("Accept", "multipart/mixed").GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, get.statusCode());
            try (StreamingMultipartReader outer = new StreamingMultipartReader(get.body(), get.headers().firstValue("Content-Type").orElseThrow())) {
                StreamingMultipartReader.Part leaf = outer.nextPart();
                try (StreamingMultipartReader inner = new StreamingMultipartReader(leaf.content(), leaf.header("content-type"))) {
                    inner.nextPart();
                    StreamingMultipartReader.Part data = inner.nextPart();
                    assertEquals(Long.toString(SIZE), data.header("content-length"));
                    MessageDigest received = newMd5();
                    long count = 0;
                    byte[] buffer = new byte[64 * 1024];
                    for (int n; (n = data.content().read(buffer)) >= 0; ) {
                        received.update(buffer, 0, n);
                        count += n;
                    }
                    assertEquals(SIZE, count);
                    assertEquals(sent, Base64.getEncoder().encodeToString(received.digest()));
                    assertNull(inner.nextPart());
                }
                assertNull(outer.nextPart());
            }
        }
    }
}
