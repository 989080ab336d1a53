package dev.arbor.api.view.typed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Objects;

/**
 * The document a typed view maps: its id, winning revision and body. The body is the document as stored without
 * {@code _id} and {@code _rev} (those are the other two components), so a record type reads it directly with
 * {@code Json.MAPPER.treeToValue(doc.body(), Type.class)}. Views must not modify it.
 *
 * <p>A view that reads a few members should ask for them with {@link #get}: the engine then reads the stored body
 * only as far as those members, where {@link #body()} parses all of it (in W8's documents, a few short members
 * followed by long text, arrays and objects). Both see the same values. Instances are used by one thread.
 */
public final class MappedDocument {
    /**
     * Where a document's body comes from when it is read on demand: the engine's stored bytes, shared by every view
     * mapping the document in one pass.
     */
    public interface Body {
        /** The whole body. */
        ObjectNode whole();

        /** The top-level member {@code name} of the body as {@link #whole()} has it, or null when it has none. */
        JsonNode member(String name);
    }

    private final String id;
    private final String rev;
    private final Body body;

    /** A document whose body is already a tree. */
    public MappedDocument(String id, String rev, ObjectNode body) {
        this(id, rev, eager(Objects.requireNonNull(body, "body")));
    }

    /** A document whose body is read on demand from {@code body}. */
    public MappedDocument(String id, String rev, Body body) {
        this.id = Objects.requireNonNull(id, "id");
        this.rev = Objects.requireNonNull(rev, "rev");
        this.body = Objects.requireNonNull(body, "body");
    }

    private static Body eager(ObjectNode tree) {
        return new Body() {
            @Override
            public ObjectNode whole() {
                return tree;
            }

            @Override
            public JsonNode member(String name) {
                return tree.get(name);
            }
        };
    }

    public String id() {
        return id;
    }

    public String rev() {
        return rev;
    }

    /** The whole body (without {@code _id} and {@code _rev}). */
    public ObjectNode body() {
        return body.whole();
    }

    /**
     * The body's top-level member {@code name}, or null when it has none: {@code body().get(name)} without parsing
     * the members after it.
     */
    public JsonNode get(String name) {
        return body.member(name);
    }

    @Override
    public String toString() {
        return "MappedDocument[id=" + id + ", rev=" + rev + "]";
    }
}
