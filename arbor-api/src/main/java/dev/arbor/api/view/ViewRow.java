package dev.arbor.api.view;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One row of a view answer. A map row has the emitting document's {@code id}; a reduce row has none
 * ({@code id} null) and its {@code key} is the group key ({@code null} when not grouped).
 *
 * @param doc with {@code include_docs}: the document (the emitting one, or the one a value's {@code _id}
 *            links to), JSON null when it does not exist; Java null when not asked for
 */
public record ViewRow(String id, JsonNode key, JsonNode value, JsonNode doc) {
    public static ViewRow reduced(JsonNode key, JsonNode value) {
        return new ViewRow(null, key, value, null);
    }

    public boolean isReduced() {
        return id == null;
    }

    /** The document as an object, when it was included and exists. */
    public ObjectNode docObject() {
        return doc instanceof ObjectNode object ? object : null;
    }
}
