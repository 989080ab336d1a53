package dev.arbor.server.couchdb;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** _all_docs and views: ranges and what map functions see, as CouchDB 3.5 answers. */
class QueryAnswersMatchCouchDbTest extends AnswersMatchCouchDb {
    @Override
    void prepare(Path dir) {
        both.assertSame("PUT", "/q", null);
        both.assertSame("POST", "/q/_bulk_docs", "{\"docs\":[{\"_id\":\"1\"},{\"_id\":\"4\"},{\"_id\":\"5\"},"
                + "{\"_id\":\"_design/d\",\"views\":{\"conflicts\":{\"map\":\"function(doc){ emit(doc._id, doc._conflicts || null); }\"}}}]}");
        both.assertSame("PUT", "/q/_local/l", "{}");
    }

    @Test
    void aReversedAllDocsRangeHasNoRowsButAReversedViewRangeIsAnError() {
        both.assertSame("GET", "/q/_all_docs?startkey=%225%22&endkey=%224%22", null).assertSameValue("/rows");
        both.assertSame("GET", "/q/_all_docs?startkey=%224%22&endkey=%225%22&descending=true", null).assertSameValue("/rows");
        both.assertSame("GET", "/q/_design_docs?startkey=%22_design/z%22&endkey=%22_design/a%22", null).assertSameValue("/rows");
        both.assertSame("GET", "/q/_local_docs?startkey=%22_local/z%22&endkey=%22_local/a%22", null).assertSameValue("/rows");
        // CouchDB adds a "ref" member to this error; status, token and reason are the same.
        for (String range : new String[] {"startkey=%225%22&endkey=%224%22", "startkey=%224%22&endkey=%225%22&descending=true"}) {
            var view = both.send("GET", "/q/_design/d/_view/conflicts?" + range, null);
            assertEquals(view.couch().status(), view.arbor().status());
            view.assertSameValue("/error").assertSameValue("/reason");
        }
    }

    @Test
    void mapFunctionsSeeConflicts() {
        both.assertSame("POST", "/q/_bulk_docs", "{\"new_edits\":false,\"docs\":[{\"_id\":\"x\",\"_rev\":\"1-aaaa\",\"v\":1},"
                + "{\"_id\":\"x\",\"_rev\":\"1-bbbb\",\"v\":2}]}");
        both.assertSame("GET", "/q/_design/d/_view/conflicts", null).assertSameValue("/rows");
        both.assertSame("DELETE", "/q/x?rev=1-aaaa", null);
        both.assertSame("GET", "/q/_design/d/_view/conflicts", null).assertSameValue("/rows");
    }
}
