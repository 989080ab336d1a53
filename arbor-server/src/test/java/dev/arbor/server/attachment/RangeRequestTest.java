package dev.arbor.server.attachment;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RangeRequestTest {
    private static final long LENGTH = 100;

    @Test
    void noHeaderMeansTheWholeBody() {
        assertEquals(new RangeRequest.Full(), RangeRequest.parse(null, LENGTH));
    }

    @Test
    void closedRangeIsServedInclusive() {
        RangeRequest.Single range = (RangeRequest.Single) RangeRequest.parse("bytes=10-19", LENGTH);
        assertEquals(10, range.length());
        assertEquals("bytes 10-19/100", range.contentRange(LENGTH));
    }

    @Test
    void openEndedRangeRunsToTheLastByte() {
        assertEquals(new RangeRequest.Single(90, 99), RangeRequest.parse("bytes=90-", LENGTH));
    }

    @Test
    void suffixRangeIsTheLastBytesAndIsClampedToTheLength() {
        assertEquals(new RangeRequest.Single(95, 99), RangeRequest.parse("bytes=-5", LENGTH));
        assertEquals(new RangeRequest.Single(0, 99), RangeRequest.parse("bytes=-500", LENGTH));
    }

    @Test
    void lastPastTheEndIsClampedAsCouchDbDoes() {
        assertEquals(new RangeRequest.Single(50, 99), RangeRequest.parse("bytes=50-1000", LENGTH));
    }

    @Test
    void zeroToEndIsTheWholeBodyAsInCouchDb() {
        assertEquals(new RangeRequest.Full(), RangeRequest.parse("bytes=0-", LENGTH));
        assertEquals(new RangeRequest.Full(), RangeRequest.parse("bytes=0-", 0));
    }

    @Test
    void reversedOrPastTheEndOrEmptySuffixCannotBeSatisfied() {
        assertEquals(new RangeRequest.Unsatisfiable(), RangeRequest.parse("bytes=20-10", LENGTH));
        assertEquals(new RangeRequest.Unsatisfiable(), RangeRequest.parse("bytes=100-", LENGTH));
        assertEquals(new RangeRequest.Unsatisfiable(), RangeRequest.parse("bytes=-0", LENGTH));
        assertEquals(new RangeRequest.Unsatisfiable(), RangeRequest.parse("bytes=0-0", 0));
    }

    @Test
    void severalRangesAreAnsweredWithTheWholeBody() {
        assertEquals(new RangeRequest.Full(), RangeRequest.parse("bytes=0-1, 5-6", LENGTH));
    }

    @Test
    void malformedOrForeignUnitRangesAreIgnored() {
        assertEquals(new RangeRequest.Full(), RangeRequest.parse("bytes=abc", LENGTH));
        assertEquals(new RangeRequest.Full(), RangeRequest.parse("bytes=1-2-3", LENGTH));
        assertEquals(new RangeRequest.Full(), RangeRequest.parse("pages=1-2", LENGTH));
    }
}
