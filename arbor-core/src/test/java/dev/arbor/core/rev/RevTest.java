package dev.arbor.core.rev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.arbor.core.error.ArborException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RevTest {

    @Test
    void parsesPositionAndHash() {
        assertEquals(new Rev(3, "abc"), Rev.parse("3-abc"));
        assertEquals(new Rev(12, "0123456789abcdef0123456789abcdef"), Rev.parse("12-0123456789abcdef0123456789abcdef"));
    }

    @Test
    void hashMayContainDashes() {
        assertEquals(new Rev(1, "a-b-c"), Rev.parse("1-a-b-c"));
    }

    @Test
    void printsAsPosDashHash() {
        assertEquals("3-abc", new Rev(3, "abc").toString());
        assertEquals("3-abc", Rev.parse("3-abc").toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "-abc", "0-abc", "x-abc", "+3-abc", "-3-abc", "3 -abc",
            "1234567890123456789-abc", "1-\ud800"})
    void rejectsMalformedRevisions(String text) {
        ArborException.BadRequest error = assertThrows(ArborException.BadRequest.class, () -> Rev.parse(text));
        assertEquals("bad_request", error.error());
        assertEquals("Invalid rev format", error.reason());
    }

    @Test
    void anEmptyHashIsARevisionAsCouchDbParsesIt() {
        assertEquals(new Rev(3, ""), Rev.parse("3-"));
        assertEquals("3-", Rev.parse("3-").toString());
        assertEquals(1, new RevPath(2, List.of("b", ""), RevStatus.AVAILABLE).rootPos());
    }

    @Test
    void rejectsNull() {
        assertThrows(ArborException.BadRequest.class, () -> Rev.parse(null));
    }

    @Test
    void ordersByPosThenHash() {
        List<Rev> sorted = java.util.stream.Stream.of("2-a", "10-a", "2-b", "1-z").map(Rev::parse).sorted().toList();

        assertEquals(List.of(Rev.parse("1-z"), Rev.parse("2-a"), Rev.parse("2-b"), Rev.parse("10-a")), sorted);
        assertTrue(Rev.parse("2-b").compareTo(Rev.parse("2-a")) > 0);
    }

    @Test
    void revPathRejectsAHistoryReachingBeforePositionOne() {
        assertThrows(ArborException.BadRequest.class, () -> new RevPath(2, List.of("c", "b", "a"), RevStatus.AVAILABLE));
        assertThrows(ArborException.BadRequest.class, () -> new RevPath(2, List.of(), RevStatus.AVAILABLE));
        assertEquals(1, new RevPath(3, List.of("c", "b", "a"), RevStatus.AVAILABLE).rootPos());
    }

    @Test
    void editPathPutsTheNewHashOnTopOfItsParent() {
        assertEquals(new RevPath(3, List.of("new", "old"), RevStatus.DELETED),
                RevPath.edit(Rev.parse("2-old"), "new", RevStatus.DELETED));
        assertEquals(new RevPath(1, List.of("first"), RevStatus.AVAILABLE),
                RevPath.edit(null, "first", RevStatus.AVAILABLE));
        assertEquals(Rev.parse("3-new"), RevPath.edit(Rev.parse("2-old"), "new", RevStatus.AVAILABLE).leaf());
    }
}
