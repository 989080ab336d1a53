package dev.arbor.core.rev;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.arbor.core.error.ArborException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing of {@link Rev#parse}: every string is either a revision that prints back as the same
 * text, or CouchDB's {@code bad_request} ("Invalid rev format"), never another exception.
 */
class RevParseFuzzTest {

    @FuzzTest(maxDuration = "20s")
    void anyTextIsARevisionThatRoundTripsOrBadRequest(String text) {
        Rev rev;
        try {
            rev = Rev.parse(text);
        } catch (ArborException.BadRequest refused) {
            return;
        }
        assertTrue(rev.pos() > 0, "accepted a position below 1: " + text);
        assertEquals(rev, Rev.parse(rev.toString()), "parse(toString()) differs for " + text);
    }
}
