package dev.arbor.server.couchdb;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Views whose built-in reduce cannot take the values mapped. CouchDB's 500 bodies carry a {@code ref} (a hash
 * of its Erlang stack) that Arbor has no equivalent of, so status, error and reason are compared, not the shape.
 */
class ViewAnswersMatchCouchDbTest extends AnswersMatchCouchDb {
    private CouchDbDifferential.Answers statsOver(String db, String docs) {
        both.assertSame("PUT", "/" + db, null);
        both.assertSame("POST", "/" + db + "/_bulk_docs", "{\"docs\":" + docs + "}");
        both.assertSame("PUT", "/" + db + "/_design/d",
                "{\"views\":{\"s\":{\"map\":\"function(d){emit(d._id,d.n)}\",\"reduce\":\"_stats\"}}}");
        var answers = both.send("GET", "/" + db + "/_design/d/_view/s", null);
        assertEquals(answers.couch().status(), answers.arbor().status(), answers.arbor().body());
        return answers.assertSameValue("/error");
    }

    @Test
    void statsOverNonNumbersIsCouchDbsInvalidValue() {
        statsOver("nulls", "[{\"_id\":\"a\",\"n\":null},{\"_id\":\"b\",\"n\":2}]").assertSameValue("/reason");
        statsOver("trues", "[{\"_id\":\"a\",\"n\":true}]").assertSameValue("/reason");
        statsOver("strings", "[{\"_id\":\"a\",\"n\":\"x\"},{\"_id\":\"b\",\"n\":2}]").assertSameValue("/reason");
        statsOver("later", "[{\"_id\":\"a\",\"n\":2},{\"_id\":\"b\",\"n\":\"h\u00e9\"}]").assertSameValue("/reason");
        statsOver("partial", "[{\"_id\":\"a\",\"n\":{\"foo\":1}}]").assertSameValue("/reason");
        statsOver("field", "[{\"_id\":\"a\",\"n\":{\"sum\":1,\"count\":\"x\",\"min\":1,\"max\":1,\"sumsqr\":1}}]")
                .assertSameValue("/reason");
    }

    @Test
    void statsOverNumbersArraysAndAggregatesIsAnswered() {
        both.assertSame("PUT", "/fine", null);
        both.assertSame("POST", "/fine/_bulk_docs", "{\"docs\":[{\"_id\":\"a\",\"n\":[1,2]},{\"_id\":\"b\",\"n\":[3,4]}]}");
        both.assertSame("PUT", "/fine/_design/d",
                "{\"views\":{\"s\":{\"map\":\"function(d){emit(d._id,d.n)}\",\"reduce\":\"_stats\"}}}");
        both.assertSame("GET", "/fine/_design/d/_view/s", null).assertSameValue("/rows");
    }
}
