package dev.arbor.api.find;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * The answer to a {@link FindRequest}.
 *
 * @param docs           matching documents (projected to the requested fields), in the requested order
 * @param bookmark       hand it back in {@link FindRequest#bookmark(String)} for the next page; {@code "nil"} when
 *                       this page is empty, as CouchDB answers
 * @param warnings       advice about the query (no index used, index hint ignored, sort done in memory);
 *                       CouchDB joins them with newlines into one {@code warning} string
 * @param executionStats present when the request asked for them
 */
public record FindResult(List<ObjectNode> docs, String bookmark, List<String> warnings, ExecutionStats executionStats) {
    public FindResult {
        docs = List.copyOf(docs);
        warnings = List.copyOf(warnings);
    }
}
