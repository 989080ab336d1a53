package dev.arbor.server.find;

import dev.arbor.api.find.ExecutionStats;
import dev.arbor.api.find.FindResult;
import dev.arbor.api.find.FindSink;
import dev.arbor.core.json.Json;
import dev.arbor.wire.find.FindJson;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * A {@code _find} answer collected as JSON bytes: each document's bytes as the database hands them over, and the
 * members after {@code docs} as {@link FindJson#result} writes them, so the answer is byte for byte that of the
 * tree. Collected whole before it is sent, so that a query failing part-way still answers with an error status.
 * Used by one request's thread.
 */
final class FindResponse implements FindSink {
    private static final byte[] DOCS_START = "{\"docs\":[".getBytes(StandardCharsets.US_ASCII);

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    private boolean first = true;
    private boolean ended;

    FindResponse() {
        out.writeBytes(DOCS_START);
    }

    @Override
    public void doc(byte[] json) {
        if (!first) {
            out.write(',');
        }
        first = false;
        out.writeBytes(json);
    }

    @Override
    public void end(String bookmark, List<String> warnings, ExecutionStats executionStats) {
        byte[] rest = Json.bytes(FindJson.result(new FindResult(List.of(), bookmark, warnings, executionStats)));
        if (!Arrays.equals(rest, 0, DOCS_START.length, DOCS_START, 0, DOCS_START.length)) {
            throw new IllegalStateException("a _find answer must begin with its docs");
        }
        out.write(rest, DOCS_START.length, rest.length - DOCS_START.length);
        ended = true;
    }

    byte[] bytes() {
        if (!ended) {
            throw new IllegalStateException("the _find answer has not ended");
        }
        return out.toByteArray();
    }
}
