package dev.arbor.engine.view;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.core.json.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

/**
 * One live document as every view of an index pass maps it, built from whatever the caller has (the stored body
 * bytes, or the writer's parsed winner) and decoded at most once whatever the number of views: JavaScript views
 * take its JSON text, typed views its body tree. Owned by the one thread running the pass; not thread-safe.
 */
final class IndexedDocument {
    private final String id;
    private final String rev;
    /** The stored body (JSON object without specials), or null when {@link #document} is the source. */
    private final byte[] bodyBytes;
    /** The whole document as {@code GET /db/id} returns it, or null when {@link #bodyBytes} is the source. */
    private final ObjectNode document;
    private String json;
    private ObjectNode body;

    private IndexedDocument(String id, String rev, byte[] bodyBytes, ObjectNode document) {
        this.id = id;
        this.rev = rev;
        this.bodyBytes = bodyBytes;
        this.document = document;
    }

    /**
     * A document whose {@code GET} form is {@code _id}, {@code _rev} and the stored body {@code bodyBytes}
     * ({@code StoredWinner.plainBody}): nothing is parsed until a view asks.
     */
    static IndexedDocument ofBody(String id, String rev, byte[] bodyBytes) {
        return new IndexedDocument(id, rev, bodyBytes, null);
    }

    /** A document as {@code GET /db/id} returns it (with {@code _id} and {@code _rev}, maybe {@code _attachments}). */
    static IndexedDocument of(String id, ObjectNode document) {
        return new IndexedDocument(id, document.path("_rev").asText(), null, document);
    }

    String id() {
        return id;
    }

    String rev() {
        return rev;
    }

    /**
     * The document's JSON text as {@code GET /db/id} writes it. From stored bytes it is spliced, not re-encoded:
     * {@code {"_id":…,"_rev":…,} followed by the body's members, which the store keeps as Jackson writes them.
     */
    String json() {
        if (json == null) {
            if (document != null) {
                json = Json.text(document);
            } else {
                json = splice(Json.text(Json.MAPPER.getNodeFactory().textNode(id)), rev, bodyBytes);
            }
        }
        return json;
    }

    /**
     * {@code {"_id":ID,"_rev":"REV",MEMBERS}} in bytes, decoded to text once: splicing strings instead costs a
     * decode and two copies of the body, measured at a sixth of a JavaScript view's per-document time.
     */
    private static String splice(String idJson, String rev, byte[] bodyBytes) {
        int first = 0;
        while (first < bodyBytes.length && bodyBytes[first] != '{') {
            first++;
        }
        first++;
        while (first < bodyBytes.length && Character.isWhitespace(bodyBytes[first])) {
            first++;
        }
        byte[] prefix = ("{\"_id\":" + idJson + ",\"_rev\":\"" + rev + "\"").getBytes(StandardCharsets.UTF_8);
        // The body's members follow the specials, after a comma unless there are none.
        boolean empty = first >= bodyBytes.length || bodyBytes[first] == '}';
        byte[] text = new byte[prefix.length + (empty ? 0 : 1) + bodyBytes.length - first];
        System.arraycopy(prefix, 0, text, 0, prefix.length);
        int at = prefix.length;
        if (!empty) {
            text[at++] = ',';
        }
        System.arraycopy(bodyBytes, first, text, at, bodyBytes.length - first);
        return new String(text, StandardCharsets.UTF_8);
    }

    /**
     * The body without {@code _id} and {@code _rev}, parsed once and shared by every view of the pass (typed views
     * must not modify it, as {@code MappedDocument} says).
     */
    ObjectNode body() {
        if (body == null) {
            if (document == null) {
                try {
                    body = (ObjectNode) Json.STORED.readTree(bodyBytes);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            } else {
                // A shallow copy: members are shared, only the two specials are left out.
                body = Json.object();
                for (Iterator<Map.Entry<String, JsonNode>> members = document.fields(); members.hasNext(); ) {
                    Map.Entry<String, JsonNode> member = members.next();
                    if (!member.getKey().equals("_id") && !member.getKey().equals("_rev")) {
                        body.set(member.getKey(), member.getValue());
                    }
                }
            }
        }
        return body;
    }
}
