package dev.arbor.server.attachment;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a MIME multipart body part by part straight to a stream. The bytes are CouchDB's
 * ({@code couch_doc:doc_to_multi_part_stream}): {@code --b CRLF headers CRLF CRLF content}, parts
 * separated by {@code CRLF --b}, closed by {@code CRLF --b--} with no epilogue.
 */
final class MultipartWriter {

    /** Writes one part's content. */
    @FunctionalInterface
    interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private final OutputStream out;
    private final String boundary;
    private boolean started;

    MultipartWriter(OutputStream out, String boundary) {
        this.out = out;
        this.boundary = boundary;
    }

    /** A random boundary, 32 hex digits as CouchDB's {@code couch_uuids:random()}. */
    static String newBoundary() {
        byte[] bytes = new byte[16];
        ThreadLocalRandom.current().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** {@code multipart/<subtype>; boundary="<boundary>"}. */
    static String contentType(String subtype, String boundary) {
        return "multipart/" + subtype + "; boundary=\"" + boundary + "\"";
    }

    String boundary() {
        return boundary;
    }

    /** One part: {@code headers} in the given order, then its content. */
    void part(Map<String, String> headers, Content content) throws IOException {
        StringBuilder head = new StringBuilder(started ? "\r\n--" : "--").append(boundary).append("\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.UTF_8));
        content.writeTo(out);
        started = true;
    }

    /** The closing delimiter. */
    void finish() throws IOException {
        out.write(((started ? "\r\n--" : "--") + boundary + "--").getBytes(StandardCharsets.UTF_8));
    }
}
