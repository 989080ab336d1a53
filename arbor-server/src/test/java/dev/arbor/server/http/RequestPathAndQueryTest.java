package dev.arbor.server.http;

import dev.arbor.core.error.ArborException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RequestPathAndQueryTest {
    @Test
    void pathSplitsOnRawSlashesThenDecodesEachSegment() {
        RequestPath path = RequestPath.parse("/team%2Fnotes/a%2Fb/att%20name");
        assertEquals(List.of("team%2Fnotes", "a%2Fb", "att%20name"), path.rawSegments());
        assertEquals(List.of("team/notes", "a/b", "att name"), path.segments());
    }

    @Test
    void trailingSlashAndRootHaveNoEmptySegment() {
        assertEquals(List.of("db"), RequestPath.parse("/db/").segments());
        assertEquals(0, RequestPath.parse("/").size());
    }

    @Test
    void plusIsLiteralInPathsButASpaceInQueries() {
        assertEquals("a+b", RequestPath.parse("/a+b").segment(0));
        assertEquals("a b", QueryParams.parse("k=a+b").string("k"));
    }

    @Test
    void malformedEscapeIsBadRequest() {
        var e = assertThrows(ArborException.BadRequest.class, () -> RequestPath.parse("/db/%zz"));
        assertEquals("bad_request", e.error());
    }

    @Test
    void firstValueOfARepeatedParameterCounts() {
        assertEquals("1", QueryParams.parse("limit=1&limit=2").string("limit"));
    }

    @Test
    void booleansAreTrueOrFalseInAnyCaseElseQueryParseError() {
        QueryParams query = QueryParams.parse("a=TRUE&b=false&c=yes");
        assertTrue(query.bool("a", false));
        assertEquals(false, query.bool("b", true));
        var e = assertThrows(ArborException.BadRequest.class, () -> query.bool("c", false));
        assertEquals("query_parse_error", e.error());
        assertEquals("Invalid boolean parameter: \"yes\"", e.reason());
    }

    @Test
    void jsonParametersDecodeAndAliasesAreTriedInOrder() {
        QueryParams query = QueryParams.parse("start_key=%22x%22&keys=%5B%22a%22,%22b%22%5D");
        assertEquals("x", query.json("startkey", "start_key").textValue());
        assertEquals(List.of("a", "b"), query.stringList("keys"));
        var e = assertThrows(ArborException.BadRequest.class, () -> QueryParams.parse("key=x").json("key"));
        assertTrue(e.reason().startsWith("invalid UTF-8 JSON: "), e.reason());
    }
}
