package dev.arbor.client.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.core.json.Json;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

/**
 * A {@code multipart/related} body as CouchDB's replicator sends a document with its attachments: the
 * JSON document first, then one part per attachment marked {@code "follows": true}, in the order of
 * {@code _attachments}. The attachment data is read from its stream while the body is sent, never held.
 */
public final class MultipartRelated {
    private final String boundary = UUID.randomUUID().toString().replace("-", "");
    private final List<InputStream> pieces = new ArrayList<>();

    /** One attachment's data, with the type CouchDB stores. */
    public record Part(String name, String contentType, InputStream data) {}

    public MultipartRelated(ObjectNode doc, List<Part> parts) {
        text("--" + boundary + "\r\nContent-Type: application/json\r\n\r\n");
        pieces.add(new ByteArrayInputStream(Json.bytes(doc)));
        for (Part part : parts) {
            // The file name is what CouchDB itself writes; parsers built on form uploads (pouchdb-server's)
            // need it to see the part as an attachment.
            text("\r\n--" + boundary + "\r\nContent-Disposition: attachment; filename=\"" + quoted(part.name()) + "\""
                    + "\r\nContent-Type: " + part.contentType() + "\r\n\r\n");
            pieces.add(part.data());
        }
        text("\r\n--" + boundary + "--\r\n");
    }

    public String contentType() {
        return "multipart/related; boundary=\"" + boundary + "\"";
    }

    /** The body, to be read once. */
    public InputStream stream() {
        return new SequenceInputStream(Collections.enumeration(pieces));
    }

    private void text(String text) {
        pieces.add(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static String quoted(String name) {
        return name.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
