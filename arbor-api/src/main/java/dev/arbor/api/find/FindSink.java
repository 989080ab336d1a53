package dev.arbor.api.find;

import java.util.List;

/**
 * Receives a {@code _find} answer as JSON bytes ({@link dev.arbor.api.Database#find(FindRequest, FindSink)}), for a
 * caller that sends it on (the HTTP server): the documents in order, then the rest of the answer once.
 */
public interface FindSink {
    /** One document of the page (projected to the requested fields), the bytes {@code Json.bytes} gives for it. */
    void doc(byte[] json);

    /** After the last document: what {@link FindResult} holds besides the documents. */
    void end(String bookmark, List<String> warnings, ExecutionStats executionStats);
}
