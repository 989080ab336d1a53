package dev.arbor.server.http;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.arbor.core.error.ArborException;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing of what the router reads from a request line before any endpoint runs: the raw path
 * ({@link RequestPath#parse}) and the query string ({@link QueryParams#parse} and its typed reads). Every input ends
 * in a value or an {@link ArborException} (400 with CouchDB's body), never in another exception (a 500).
 */
class QueryAndPathFuzzTest {
    private static final List<String> JSON_PARAMS = List.of("key", "startkey", "endkey", "keys", "open_revs");

    @FuzzTest(maxDuration = "30s")
    void anyQueryStringParsesAndTypedReadsFailAsCouchErrors(FuzzedDataProvider data) {
        String raw = data.consumeRemainingAsString();
        QueryParams params;
        try {
            params = QueryParams.parse(raw);
        } catch (ArborException.BadRequest refused) {
            return;
        }
        for (String name : params.asMap().keySet()) {
            readAs(() -> params.bool(name, false));
            readAs(() -> params.integer(name, 0));
            readAs(() -> params.positiveInteger(name, 0));
            readAs(() -> params.json(name));
        }
        for (String name : JSON_PARAMS) {
            readAs(() -> params.stringList(name));
        }
    }

    @FuzzTest(maxDuration = "30s")
    void anyRawPathSplitsIntoDecodedSegmentsOrBadRequest(FuzzedDataProvider data) {
        String raw = "/" + data.consumeRemainingAsString();
        RequestPath path;
        try {
            path = RequestPath.parse(raw);
        } catch (ArborException.BadRequest refused) {
            return;
        }
        assertEquals(path.rawSegments().size(), path.segments().size(), "raw and decoded segment counts differ");
        for (int i = 0; i < path.size(); i++) {
            // A decoded segment may contain '/' (from %2F) but a raw one never does: splitting came first.
            assertTrue(path.raw(i).indexOf('/') < 0, "raw segment with a slash: " + path.raw(i));
        }
    }

    private static void readAs(Runnable read) {
        try {
            read.run();
        } catch (ArborException refused) {
            // a CouchDB error for the client: fine
        }
    }
}
