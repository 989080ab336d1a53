package dev.arbor.server.attachment;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class StreamingMultipartReaderTest {

    /** A body that arrives a few bytes at a time, so delimiters are split across reads. */
    private static InputStream trickle(byte[] bytes, int seed) {
        Random random = new Random(seed);
        return new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1 + random.nextInt(7)));
            }
        };
    }

    private static byte[] body(String boundary, byte[] binary) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MultipartWriter writer = new MultipartWriter(out, boundary);
        writer.part(Map.of("Content-Type", "application/json"), o -> o.write("{\"a\":1}".getBytes(StandardCharsets.UTF_8)));
        writer.part(Map.of("Content-Type", "application/octet-stream", "Content-Length", Integer.toString(binary.length)),
                o -> o.write(binary));
        writer.finish();
        return out.toByteArray();
    }

    @Test
    void readsWhatTheWriterWroteEvenWhenDelimitersArriveInPieces() throws IOException {
        byte[] binary = new byte[5000];
        new Random(1).nextBytes(binary);
        // Bytes that look like the start of a delimiter inside the content must survive.
        byte[] tricky = "\r\n--abc\r\n--ab".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(tricky, 0, binary, 100, tricky.length);
        for (int seed = 0; seed < 20; seed++) {
            try (StreamingMultipartReader reader = new StreamingMultipartReader(trickle(body("abcdef", binary), seed), "multipart/related; boundary=\"abcdef\"")) {
                StreamingMultipartReader.Part json = reader.nextPart();
                assertEquals("application/json", json.header("Content-Type"));
                assertEquals("{\"a\":1}", new String(json.content().readAllBytes(), StandardCharsets.UTF_8));
                StreamingMultipartReader.Part data = reader.nextPart();
                assertEquals("5000", data.header("content-length"));
                assertArrayEquals(binary, data.content().readAllBytes());
                assertNull(reader.nextPart());
            }
        }
    }

    @Test
    void askingForTheNextPartSkipsTheRestOfTheCurrentOne() throws IOException {
        byte[] binary = new byte[200_000];
        try (StreamingMultipartReader reader = new StreamingMultipartReader(new ByteArrayInputStream(body("b1", binary)), "multipart/mixed; boundary=b1")) {
            reader.nextPart();
            StreamingMultipartReader.Part data = reader.nextPart();
            assertEquals(10, data.content().readNBytes(10).length);
            assertNull(reader.nextPart());
            assertEquals(-1, data.content().read());
        }
    }

    @Test
    void aBodyCutShortFailsInsteadOfEndingThePartQuietly() throws IOException {
        byte[] whole = body("cut", new byte[1000]);
        byte[] truncated = java.util.Arrays.copyOf(whole, whole.length - 200);
        try (StreamingMultipartReader reader = new StreamingMultipartReader(new ByteArrayInputStream(truncated), "multipart/related; boundary=cut")) {
            reader.nextPart();
            StreamingMultipartReader.Part data = reader.nextPart();
            assertThrows(IOException.class, () -> data.content().readAllBytes());
        }
    }

    @Test
    void aContentTypeWithoutBoundaryIsRefused() {
        assertThrows(IOException.class, () -> new StreamingMultipartReader(new ByteArrayInputStream(new byte[0]), "multipart/related"));
    }
}
