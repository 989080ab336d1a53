package dev.arbor.server.http;

import dev.arbor.core.error.ArborException;

import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A request path split the way CouchDB needs it: on {@code /} in the <em>raw</em> path first, then
 * each segment percent-decoded. So {@code /db/a%2Fb} names document {@code a/b}, and a raw segment
 * can be compared before decoding: {@code %5Fdesign} is an ordinary id, not {@code _design}.
 * A trailing slash is ignored ({@code /db/} is {@code /db}).
 */
public record RequestPath(String raw, List<String> rawSegments, List<String> segments) {

    public RequestPath {
        rawSegments = List.copyOf(rawSegments);
        segments = List.copyOf(segments);
    }

    public static RequestPath parse(String rawPath) {
        List<String> raws = new ArrayList<>();
        List<String> decoded = new ArrayList<>();
        String path = rawPath == null ? "/" : rawPath;
        int start = path.startsWith("/") ? 1 : 0;
        while (start < path.length()) {
            int slash = path.indexOf('/', start);
            int end = slash < 0 ? path.length() : slash;
            String segment = path.substring(start, end);
            raws.add(segment);
            decoded.add(decode(segment, false));
            start = end + 1;
            if (slash == path.length() - 1) {
                break;
            }
        }
        return new RequestPath(path, raws, decoded);
    }

    public int size() {
        return segments.size();
    }

    public String raw(int index) {
        return rawSegments.get(index);
    }

    public String segment(int index) {
        return segments.get(index);
    }

    /** The decoded segments from {@code from} on, joined with {@code /} (attachment names may hold slashes). */
    public String joinFrom(int from) {
        return String.join("/", segments.subList(from, segments.size()));
    }

    /**
     * Percent-decodes UTF-8 text; with {@code plusIsSpace} (query strings) {@code +} is a space.
     * Malformed escapes or bytes that are not UTF-8 are a {@code bad_request}.
     */
    static String decode(String text, boolean plusIsSpace) {
        if (text.indexOf('%') < 0 && !(plusIsSpace && text.indexOf('+') >= 0)) {
            return text;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%') {
                if (i + 2 >= text.length()) {
                    throw badEncoding(text);
                }
                int hi = Character.digit(text.charAt(i + 1), 16);
                int lo = Character.digit(text.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw badEncoding(text);
                }
                bytes.write(hi * 16 + lo);
                i += 2;
            } else if (c == '+' && plusIsSpace) {
                bytes.write(' ');
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(utf8, 0, utf8.length);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw badEncoding(text);
        }
    }

    private static ArborException badEncoding(String text) {
        return new ArborException.BadRequest("bad_request", "Invalid URL encoding: " + text);
    }
}
