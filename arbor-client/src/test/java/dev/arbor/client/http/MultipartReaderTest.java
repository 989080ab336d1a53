package dev.arbor.client.http;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client's multipart reader. It reads a body already wholly in memory (the open_revs answer is read with
 * {@code readAllBytes}), so there are no read boundaries for a delimiter to straddle; what a streaming reader
 * gets wrong there, a delimiter's prefix inside content, is pinned here instead.
 */
class MultipartReaderTest {
    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String text(MultipartReader.Part part) {
        return new String(part.body(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void partsComeInOrderWithTheirHeadersAndTheCrlfBeforeEachDelimiterIsNotContent() {
        List<MultipartReader.Part> parts = MultipartReader.parts(bytes(
                "--b1\r\nContent-Type: application/json\r\n\r\n{\"a\":1}\r\n"
                        + "--b1\r\nContent-Type: text/plain\r\nX-Extra: yes\r\n\r\nline one\r\nline two\r\n"
                        + "--b1--\r\n"), "b1");
        assertEquals(2, parts.size());
        assertEquals("{\"a\":1}", text(parts.get(0)));
        assertEquals("application/json", parts.get(0).contentType());
        assertEquals("line one\r\nline two", text(parts.get(1)));
        assertEquals(Map.of("content-type", "text/plain", "x-extra", "yes"), parts.get(1).headers());
    }

    @Test
    void thePreambleBeforeTheFirstDelimiterAndTheEpilogueAfterTheLastAreSkipped() {
        List<MultipartReader.Part> parts = MultipartReader.parts(bytes(
                "This is a preamble, ignored.\r\n--b\r\n\r\nbody\r\n--b--\r\nAn epilogue, also ignored.\r\n--b\r\n\r\nnot a part"), "b");
        assertEquals(1, parts.size());
        assertEquals("body", text(parts.getFirst()));
    }

    @Test
    void aPartWithoutHeadersIsPlainTextAndKeepsItsWholeBody() {
        MultipartReader.Part part = MultipartReader.parts(bytes("--b\r\n\r\nno headers here\r\n--b--"), "b").getFirst();
        assertEquals(Map.of(), part.headers());
        assertEquals("text/plain", part.contentType(), "RFC 2046's default");
        assertEquals("no headers here", text(part));
    }

    @Test
    void headerNamesAreCaseInsensitiveAndBareLfLineEndsAreAccepted() {
        MultipartReader.Part part = MultipartReader.parts(bytes("--b\nCONTENT-TYPE:  image/png \n\nxy\n--b--\n"), "b").getFirst();
        assertEquals("image/png", part.contentType());
        assertEquals("xy", text(part));
    }

    @Test
    void theBoundaryTextInsideContentIsNotADelimiterUnlessItStartsALine() {
        String content = "a--b inside a line, --b again, and --b-- too";
        List<MultipartReader.Part> parts = MultipartReader.parts(bytes("--b\r\n\r\n" + content + "\r\n--b--"), "b");
        assertEquals(1, parts.size());
        assertEquals(content, text(parts.getFirst()));
    }

    @Test
    void contentThatEndsWithAPrefixOfTheDelimiterKeepsIt() {
        List<MultipartReader.Part> parts = MultipartReader.parts(bytes("--boundary\r\n\r\nends in -\r\n--bound\r\n--boundary--"), "boundary");
        assertEquals("ends in -\r\n--bound", text(parts.getFirst()));
    }

    @Test
    void binaryContentComesBackByteForByte() {
        byte[] binary = new byte[256];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) i;
        }
        byte[] head = bytes("--z\r\nContent-Type: application/octet-stream\r\n\r\n");
        byte[] tail = bytes("\r\n--z--");
        byte[] body = new byte[head.length + binary.length + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(binary, 0, body, head.length, binary.length);
        System.arraycopy(tail, 0, body, head.length + binary.length, tail.length);
        assertArrayEquals(binary, MultipartReader.parts(body, "z").getFirst().body());
    }

    @Test
    void aBodyCutShortIsAnErrorNamingWhereItEnded() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> MultipartReader.parts(bytes("--b\r\n\r\nfirst\r\n--b\r\nContent-Type: text/plain\r\n\r\nsecond, cut"), "b"));
        assertTrue(error.getMessage().contains("cut short"), error.getMessage());
        assertTrue(error.getMessage().contains("part 2"), error.getMessage());
    }

    @Test
    void aBodyWithoutTheBoundaryIsAnError() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> MultipartReader.parts(bytes("{\"not\":\"multipart\"}"), "b"));
        assertTrue(error.getMessage().contains("no multipart boundary"), error.getMessage());
    }

    @Test
    void theBoundaryParameterIsFoundQuotedOrNotAndWhateverItsCase() {
        assertEquals("abc", MultipartReader.boundary("multipart/mixed; boundary=abc"));
        assertEquals("a b:c", MultipartReader.boundary("multipart/mixed; charset=utf-8; BOUNDARY=\"a b:c\""));
        assertEquals("e3b0c442", MultipartReader.boundary("multipart/related;boundary=\"e3b0c442\""));
        assertNull(MultipartReader.boundary("multipart/mixed"));
        assertNull(MultipartReader.boundary(null));
    }

    @Test
    void theTypeIsComparedWithoutParametersOrCase() {
        assertTrue(MultipartReader.isType("Multipart/Mixed; boundary=x", "multipart/mixed"));
        assertFalse(MultipartReader.isType("multipart/related; boundary=x", "multipart/mixed"));
        assertFalse(MultipartReader.isType(null, "multipart/mixed"));
    }
}
