package dev.arbor.engine.view;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.view.typed.MappedDocument;
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
final class IndexedDocument implements MappedDocument.Body {
    private final String id;
    private final String rev;
    /** The stored body (JSON object without specials), or null when {@link #document} is the source. */
    private final byte[] bodyBytes;
    /** The whole document as {@code GET /db/id} returns it, or null when {@link #bodyBytes} is the source. */
    private final ObjectNode document;
    private String json;
    private ObjectNode body;
    /**
     * The first members of the stored body, in stored order, as {@link #member} read them so far; becomes
     * {@link #body} once a read reaches the end.
     */
    private ObjectNode leading;

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

    @Override
    public ObjectNode whole() {
        return body();
    }

    /**
     * One top-level member of the body, parsing the stored bytes only up to it: members before it are kept (in
     * stored order) for later reads, members after it are not parsed. A typed view reading two short members of a
     * long document skips most of it. A member asked for later that lies past the ones read restarts the scan,
     * skipping the known members' tokens without building them again.
     */
    @Override
    public JsonNode member(String name) {
        if (body != null || bodyBytes == null) {
            return body().get(name);
        }
        if (leading != null) {
            JsonNode known = leading.get(name);
            if (known != null) {
                return known;
            }
        } else {
            leading = Json.object();
        }
        try (JsonParser parser = Json.STORED.createParser(bodyBytes)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalStateException("the stored body of " + id + " is not a JSON object");
            }
            int known = leading.size();
            for (int i = 0; i < known; i++) {
                parser.nextToken(); // the member's name
                parser.nextToken();
                parser.skipChildren();
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String member = parser.currentName();
                JsonNode value = Json.storedValue(parser.nextToken(), parser);
                leading.set(member, value);
                if (member.equals(name)) {
                    return value;
                }
            }
            body = leading;
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
                // A shallow copy: members are shared, only the specials a stored body never has are left out
                // (_conflicts is for JavaScript map functions, as CouchDB's indexer gives it; typed views and
                // Mango indexes see the same body however the document was read).
                body = Json.object();
                for (Iterator<Map.Entry<String, JsonNode>> members = document.fields(); members.hasNext(); ) {
                    Map.Entry<String, JsonNode> member = members.next();
                    String name = member.getKey();
                    if (!name.equals("_id") && !name.equals("_rev") && !name.equals("_conflicts")) {
                        body.set(member.getKey(), member.getValue());
                    }
                }
            }
        }
        return body;
    }
}
