package dev.arbor.server.changes;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.ChangesOptions.Style;
import dev.arbor.core.error.ArborException;
import dev.arbor.wire.HttpStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.List;
import java.util.Map;

import static dev.arbor.server.changes.FeedFixture.doc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Query strings and bodies to requests, with CouchDB's defaults and its error bodies for bad input. */
class ChangesRequestParserTest {
    private final FeedFixture fx = new FeedFixture(new ChangesConfig(100, 60_000));
    private final ChangesRequestParser parser = fx.service.parser();

    @AfterEach
    void close() {
        fx.close();
    }

    private ChangesRequest get(Map<String, String> query) {
        return parser.parse(query, false, null, null, fx.db);
    }

    private ChangesRequest post(Map<String, String> query, String singleQuotedBody) {
        return parser.parse(query, true, doc(singleQuotedBody), null, fx.db);
    }

    private static void assertError(int status, String error, String reason, Executable call) {
        ArborException e = assertThrows(ArborException.class, call);
        assertEquals(status, HttpStatus.of(e));
        assertEquals(error, e.error());
        assertEquals(reason, e.reason());
    }

    @Test
    void noParametersIsANormalFeedOfEverythingWithCouchDbsDefaults() {
        ChangesRequest request = get(Map.of());

        assertEquals(FeedType.NORMAL, request.feed());
        assertEquals(Since.BEGINNING, request.since());
        assertFalse(request.hasLimit());
        assertFalse(request.hasHeartbeat());
        assertEquals(60_000, request.timeoutMillis());
        assertEquals(Style.MAIN_ONLY, request.style());
        assertEquals(ChangesFilter.ALL, request.filter());
        assertEquals(0, request.seqInterval());
    }

    @Test
    void everyParameterIsReadAndNamesAreCaseInsensitiveAsInCouchDb() {
        ChangesRequest request = get(Map.ofEntries(Map.entry("FEED", "longpoll"), Map.entry("since", "7"),
                Map.entry("limit", "5"), Map.entry("descending", "true"), Map.entry("include_docs", "true"),
                Map.entry("conflicts", "true"), Map.entry("attachments", "true"), Map.entry("style", "all_docs"),
                Map.entry("heartbeat", "1000"), Map.entry("timeout", "2000"), Map.entry("seq_interval", "3")));

        assertEquals(FeedType.LONGPOLL, request.feed());
        assertEquals(new Since.After(7), request.since());
        assertEquals(5, request.limit());
        assertTrue(request.descending() && request.includeDocs() && request.conflicts() && request.attachments());
        assertEquals(Style.ALL_DOCS, request.style());
        assertEquals(1000, request.heartbeatMillis());
        assertEquals(2000, request.timeoutMillis());
        assertEquals(3, request.seqInterval());
    }

    @Test
    void booleansAreOnlyTheLiteralTrue() {
        ChangesRequest request = get(Map.of("include_docs", "yes", "descending", "1"));
        assertFalse(request.includeDocs());
        assertFalse(request.descending());
    }

    @Test
    void liveIsCouchDbsSynonymForContinuousAndOtherFeedsAreRefused() {
        assertEquals(FeedType.CONTINUOUS, get(Map.of("feed", "live")).feed());
        assertError(400, "bad_request", "Supported `feed` types: normal, continuous, live, longpoll, eventsource",
                () -> get(Map.of("feed", "sometimes")));
    }

    @Test
    void sinceIsASequenceOrNowAndAnythingElseIsMalformed() {
        assertEquals(new Since.Now(), get(Map.of("since", "now")).since());
        assertEquals(new Since.After(0), get(Map.of("since", "0")).since());
        assertEquals(new Since.After(12), get(Map.of("since", "12-g1AAAA")).since(), "a CouchDB-style token: its number");
        for (String bad : List.of("later", "-1", "", "12abc", "-12", "g1AA-12")) {
            assertError(400, "bad_request", "Malformed sequence supplied in 'since' parameter.",
                    () -> get(Map.of("since", bad)));
        }
    }

    @Test
    void lastEventIdHeaderResumesAnEventSourceFeed() {
        ChangesRequest request = parser.parse(Map.of("feed", "eventsource", "since", "2"), false, null, "9", fx.db);
        assertEquals(new Since.After(9), request.since());
        ChangesRequest notEventSource = parser.parse(Map.of("feed", "continuous", "since", "2"), false, null, "9", fx.db);
        assertEquals(new Since.After(2), notEventSource.since(), "only an event stream resumes from the header");
    }

    @Test
    void heartbeatTrueMeansTheDefaultIntervalAndNumbersAreCappedByIt() {
        assertEquals(60_000, get(Map.of("heartbeat", "true")).heartbeatMillis());
        assertEquals(60_000, get(Map.of("heartbeat", "600000")).heartbeatMillis());
        assertEquals(60_000, get(Map.of("timeout", "600000")).timeoutMillis());
    }

    @Test
    void badHeartbeatsGetCouchDbsTwoMessages() {
        assertError(400, "bad_request", "The heartbeat value should be a positive integer (in milliseconds).",
                () -> get(Map.of("heartbeat", "0")));
        assertError(400, "bad_request", "Invalid heartbeat value. Expecting a positive integer value (in milliseconds).",
                () -> get(Map.of("heartbeat", "often")));
    }

    @Test
    void badNumbersAreQueryParseErrors() {
        assertError(400, "query_parse_error", "Invalid value for integer: \"ten\"", () -> get(Map.of("limit", "ten")));
        assertError(400, "query_parse_error", "Invalid value for positive integer: \"-3\"", () -> get(Map.of("timeout", "-3")));
        assertError(400, "bad_request", "invalid_seq_interval", () -> get(Map.of("seq_interval", "0")));
        assertError(400, "bad_request", "Invalid style: expected main_only or all_docs", () -> get(Map.of("style", "winner")));
    }

    // ---- filters ------------------------------------------------------------------------------------

    @Test
    void docIdsComeFromTheQueryStringOnGetAndFromTheBodyOnPost() {
        ChangesRequest fromQuery = get(Map.of("filter", "_doc_ids", "doc_ids", "[\"a\",\"b\"]"));
        ChangesRequest fromBody = post(Map.of("filter", "_doc_ids"), "{'doc_ids':['c']}");

        assertEquals(new ChangesFilter.DocIds(List.of("a", "b")), fromQuery.filter());
        assertEquals(new ChangesFilter.DocIds(List.of("c")), fromBody.filter());
    }

    @Test
    void docIdsThatAreNotAListOfStringsAreRefused() {
        String reason = "`doc_ids` filter parameter is not a list of doc ids.";
        assertError(400, "bad_request", reason, () -> get(Map.of("filter", "_doc_ids")));
        assertError(400, "bad_request", reason, () -> get(Map.of("filter", "_doc_ids", "doc_ids", "[1]")));
        assertError(400, "bad_request", reason, () -> post(Map.of("filter", "_doc_ids"), "{'doc_ids':'a'}"));
        ArborException notJson = assertThrows(ArborException.class,
                () -> get(Map.of("filter", "_doc_ids", "doc_ids", "[a")));
        assertEquals(400, HttpStatus.of(notJson));
    }

    @Test
    void designFilterNeedsNoArguments() {
        assertInstanceOf(ChangesFilter.DesignDocs.class, get(Map.of("filter", "_design")).filter());
    }

    @Test
    void selectorFilterComesInThePostBodyAndMalformedSelectorsGetMangosErrors() {
        assertError(400, "bad_request", "Selector must be specified in POST payload",
                () -> get(Map.of("filter", "_selector")));
        assertError(400, "bad_request", "Selector error: expected a JSON object",
                () -> post(Map.of("filter", "_selector"), "{'selector':[1]}"));
        assertInstanceOf(ChangesFilter.Matching.class,
                post(Map.of("filter", "_selector"), "{'selector':{'type':'user'}}").filter());
        assertThrows(ArborException.BadRequest.class,
                () -> post(Map.of("filter", "_selector"), "{'selector':{'age':{'$nosuch':1}}}"));
    }

    @Test
    void unknownBuiltinFiltersAreBadRequests() {
        assertError(400, "bad_request", "unknown builtin filter name", () -> get(Map.of("filter", "_everything")));
    }

    @Test
    void designDocFiltersAre404WhenTheDesignDocOrFunctionIsMissing() {
        assertError(400, "bad_request", "`filter` must be of the form `designname/filtername`",
                () -> get(Map.of("filter", "justaname")));
        assertError(404, "not_found", "missing", () -> get(Map.of("filter", "app/byType")));

        fx.put("{'_id':'_design/app','views':{}}");
        assertError(404, "not_found", "missing json key: filters", () -> get(Map.of("filter", "app/byType")));

        ObjectNode ddoc = fx.db.get("_design/app");
        ddoc.putObject("filters").put("byType", "function(doc, req) { return true; }");
        fx.db.put(ddoc);
        assertEquals(new ChangesFilter.Design("app/byType", Map.of("filter", "app/byType")), get(Map.of("filter", "app/byType")).filter());
    }

    @Test
    void viewFilterIsValidatedAsCouchDbDoesThenRunsTheMapFunction() {
        assertError(400, "bad_request", "`view` filter parameter is not provided.", () -> get(Map.of("filter", "_view")));
        assertError(400, "bad_request", "`view` must be of the form `designname/viewname`",
                () -> get(Map.of("filter", "_view", "view", "flat")));
        fx.put("{'_id':'_design/app','views':{'byType':{'map':'function(doc){}'}}}");
        assertError(404, "not_found", "missing json key: other", () -> get(Map.of("filter", "_view", "view", "app/other")));
        assertInstanceOf(ChangesFilter.Design.class, get(Map.of("filter", "_view", "view", "app/byType")).filter());
    }
}
