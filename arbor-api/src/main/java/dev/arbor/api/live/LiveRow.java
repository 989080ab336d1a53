package dev.arbor.api.live;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Objects;

/**
 * One row of a live result. A Mango row is a document ({@code doc}, projected to the query's fields) with
 * {@code key} and {@code value} null; a view row is a view's row ({@code key}, {@code value}, and {@code doc} when
 * {@code include_docs}).
 *
 * @param version what tells two states of the row apart: the document's revision for a Mango row; for a view row a
 *                digest of its value and its document's revision (a new revision that emits the same value into a
 *                query without {@code include_docs} is no change to the row)
 */
public record LiveRow(String id, JsonNode key, JsonNode value, JsonNode doc, String version) {
    public LiveRow {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(version, "version");
    }

    /** The row as a resume token names it. */
    public RowRef ref() {
        return new RowRef(id, key, version);
    }
}
