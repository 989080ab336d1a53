package dev.arbor.api.view.typed;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Objects;

/**
 * The document a typed view maps: its id, winning revision and body. The body is the document as stored without
 * {@code _id} and {@code _rev} (those are the other two components), so a record type reads it directly with
 * {@code Json.MAPPER.treeToValue(doc.body(), Type.class)}. Views must not modify it.
 */
public record MappedDocument(String id, String rev, ObjectNode body) {
    public MappedDocument {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(rev, "rev");
        Objects.requireNonNull(body, "body");
    }
}
