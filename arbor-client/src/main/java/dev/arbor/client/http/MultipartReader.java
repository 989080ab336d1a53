package dev.arbor.client.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Splits a multipart body (RFC 2046) that is wholly in memory into its parts: what CouchDB sends for
 * {@code GET /db/doc?open_revs=...} with {@code Accept: multipart/mixed} (one part per revision, each a
 * JSON document or a nested {@code multipart/related} of the document and its attachments' raw bytes).
 * Preamble and epilogue are skipped; header names are case-insensitive. A delimiter counts only at the start
 * of a line (RFC 2046), so a part's content may hold the boundary text elsewhere.
 *
 * <p>Malformed input (no delimiter, no closing delimiter: a body cut short) is an {@link IllegalArgumentException}
 * saying what was wrong and where; callers reading a peer's answer turn it into their own error.
 */
public final class MultipartReader {
    private MultipartReader() {}

    /** One part: its headers (names lower-cased) and body. */
    public record Part(Map<String, String> headers, byte[] body) {
        public String contentType() {
            return headers.getOrDefault("content-type", "text/plain");
        }
    }

    /** The {@code boundary} parameter of a multipart content type, or null when there is none. */
    public static String boundary(String contentType) {
        if (contentType == null) {
            return null;
        }
        for (String param : contentType.split(";")) {
            String trimmed = param.strip();
            if (trimmed.regionMatches(true, 0, "boundary=", 0, 9)) {
                String value = trimmed.substring(9);
                return value.startsWith("\"") && value.endsWith("\"") && value.length() >= 2
                        ? value.substring(1, value.length() - 1) : value;
            }
        }
        return null;
    }

    /** Whether a content type is {@code type} (ignoring parameters and case). */
    public static boolean isType(String contentType, String type) {
        return contentType != null && contentType.split(";", 2)[0].strip().equalsIgnoreCase(type);
    }

    public static List<Part> parts(byte[] body, String boundary) {
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        List<Part> parts = new ArrayList<>();
        int at = delimiterAt(body, delimiter, 0);
        if (at < 0) {
            throw new IllegalArgumentException("no multipart boundary " + boundary + " in the body");
        }
        while (true) {
            int afterDelimiter = at + delimiter.length;
            if (afterDelimiter + 1 < body.length && body[afterDelimiter] == '-' && body[afterDelimiter + 1] == '-') {
                return parts; // the closing delimiter
            }
            int headersStart = skipLine(body, afterDelimiter);
            int next = delimiterAt(body, delimiter, headersStart);
            if (next < 0) {
                throw new IllegalArgumentException("a multipart body cut short: " + body.length + " bytes end inside part "
                        + (parts.size() + 1) + ", without the closing boundary " + boundary);
            }
            // The CRLF before a delimiter belongs to the delimiter.
            int partEnd = next >= 2 && body[next - 2] == '\r' && body[next - 1] == '\n' ? next - 2
                    : next >= 1 && body[next - 1] == '\n' ? next - 1 : next;
            parts.add(part(body, headersStart, partEnd));
            at = next;
        }
    }

    private static Part part(byte[] body, int start, int end) {
        Map<String, String> headers = new TreeMap<>();
        int line = start;
        while (line < end) {
            int lineEnd = line;
            while (lineEnd < end && body[lineEnd] != '\n') {
                lineEnd++;
            }
            int textEnd = lineEnd > line && body[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd;
            if (textEnd == line) {
                line = Math.min(end, lineEnd + 1);
                break; // the empty line that ends the headers
            }
            String header = new String(body, line, textEnd - line, StandardCharsets.UTF_8);
            int colon = header.indexOf(':');
            if (colon > 0) {
                headers.put(header.substring(0, colon).strip().toLowerCase(Locale.ROOT), header.substring(colon + 1).strip());
            }
            line = lineEnd + 1;
        }
        byte[] content = new byte[Math.max(0, end - line)];
        System.arraycopy(body, Math.min(line, end), content, 0, content.length);
        return new Part(headers, content);
    }

    private static int skipLine(byte[] body, int from) {
        int i = from;
        while (i < body.length && body[i] != '\n') {
            i++;
        }
        return Math.min(body.length, i + 1);
    }

    /** The next {@code needle} at {@code from} or later that starts a line, or -1. */
    private static int delimiterAt(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            if (i > 0 && haystack[i - 1] != '\n') {
                continue;
            }
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
