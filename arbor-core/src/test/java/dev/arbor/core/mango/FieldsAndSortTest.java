package dev.arbor.core.mango;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.core.error.ArborException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.arbor.core.mango.MangoJson.j;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Fields} (CouchDB's {@code mango_fields}) and {@link Sort} ({@code mango_sort}). */
class FieldsAndSortTest {

    @Test
    void projectionKeepsOnlyListedFieldsNestingDottedOnes() {
        Fields fields = Fields.parse(j("['_id', 'a.b', 'missing', 'c']"));
        JsonNode doc = j("{'_id': 'x', '_rev': '1-a', 'a': {'b': 1, 'z': 2}, 'c': [1, 2]}");
        assertEquals(j("{'_id': 'x', 'a': {'b': 1}, 'c': [1, 2]}"), fields.project(doc));
    }

    @Test
    void projectingAnArrayPositionBuildsAnObjectAsCouchDbDoes() {
        assertEquals(j("{'a': {'0': 7}}"), Fields.parse(j("['a.0']")).project(j("{'a': [7, 8]}")));
    }

    @Test
    void projectionOfAFieldAndItsParentKeepsTheParent() {
        assertEquals(j("{'a': {'b': 1, 'c': 2}}"), Fields.parse(j("['a', 'a.b']")).project(j("{'a': {'b': 1, 'c': 2}}")));
    }

    @Test
    void noFieldsOrAnEmptyListKeepsWholeDocuments() {
        JsonNode doc = j("{'a': 1}");
        assertSame(doc, Fields.parse(null).project(doc));
        assertSame(doc, Fields.parse(j("[]")).project(doc));
    }

    @Test
    void malformedFieldsAreCouchDbsErrors() {
        ArborException.BadRequest notArray = assertThrows(ArborException.BadRequest.class, () -> Fields.parse(j("'a'")));
        assertEquals("invalid_fields", notArray.error());
        assertEquals("Fields must be an array of strings, not: <<97>>", notArray.reason());
        ArborException.BadRequest notString = assertThrows(ArborException.BadRequest.class, () -> Fields.parse(j("[1]")));
        assertEquals("invalid_field", notString.error());
        assertEquals("Invalid JSON for field spec: 1", notString.reason());
    }

    @Test
    void sortAcceptsNamesAndOneMemberObjectsInOneDirection() {
        Sort sort = Sort.parse(j("['a', {'b.c': 'asc'}]"));
        assertEquals(List.of("a", "b.c"), sort.names());
        assertEquals(Sort.Direction.ASC, sort.direction());
        assertEquals(j("[{'a': 'asc'}, {'b.c': 'asc'}]"), sort.toJson());
        assertEquals(Sort.Direction.DESC, Sort.parse(j("[{'a': 'desc'}]")).direction());
        assertTrue(Sort.parse(null).isEmpty());
    }

    @Test
    void malformedSortsAreCouchDbsErrors() {
        assertSortRejected("{'a': 'asc'}", "invalid_sort_json", "Sort must be an array of sort specs, not: {[{<<\"a\">>,<<\"asc\">>}]}");
        assertSortRejected("['']", "invalid_sort_field", "Invalid sort field: <<>>");
        assertSortRejected("[{'a': 'up'}]", "invalid_sort_field", "Invalid sort field: {[{<<\"a\">>,<<\"up\">>}]}");
        assertSortRejected("[{'a': 'asc', 'b': 'asc'}]", "invalid_sort_field",
                "Invalid sort field: {[{<<\"a\">>,<<\"asc\">>},{<<\"b\">>,<<\"asc\">>}]}");
        assertSortRejected("[{'a': 'asc'}, {'b': 'desc'}]", "unsupported_mixed_sort",
                "Sorts currently only support a single direction for all fields.");
    }

    private static void assertSortRejected(String sort, String error, String reason) {
        ArborException.BadRequest e = assertThrows(ArborException.BadRequest.class, () -> Sort.parse(j(sort)));
        assertEquals(error, e.error());
        assertEquals(reason, e.reason());
    }

    @Test
    void comparatorOrdersByCollationFieldByFieldWithMissingFirst() {
        List<JsonNode> docs = new ArrayList<>(List.of(j("{'a': 'B', 'b': 1}"), j("{'a': 'a', 'b': 2}"),
                j("{'a': 'a', 'b': 1}"), j("{'b': 0}"), j("{'a': 10}")));
        docs.sort(Sort.parse(j("['a', 'b']")).comparator());
        assertEquals(List.of(j("{'b': 0}"), j("{'a': 10}"), j("{'a': 'a', 'b': 1}"), j("{'a': 'a', 'b': 2}"),
                j("{'a': 'B', 'b': 1}")), docs);
        docs.sort(Sort.parse(j("[{'a': 'desc'}, {'b': 'desc'}]")).comparator());
        assertEquals(j("{'a': 'B', 'b': 1}"), docs.getFirst());
        assertEquals(j("{'b': 0}"), docs.getLast());
    }

    @Test
    void comparatorOrdersIdByBytes() {
        List<JsonNode> docs = new ArrayList<>(List.of(j("{'_id': 'a'}"), j("{'_id': 'B'}")));
        docs.sort(Sort.parse(j("['_id']")).comparator());
        assertEquals(j("{'_id': 'B'}"), docs.getFirst());
    }
}
