package dev.arbor.core.mango;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.arbor.core.mango.MangoJson.j;
import static dev.arbor.core.mango.MangoJson.sel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Selector#coverage}, {@link Selector#requiresFields} and {@link FieldRange}: what a planner is told. */
class IndexCoverageTest {

    @Test
    void equalityOnTheIndexFieldIsAPointRangeAnsweredExactly() {
        IndexCoverage coverage = sel("{'a': 5}").coverage(List.of("a"));
        FieldRange range = coverage.ranges().getFirst();
        assertTrue(range.isPoint());
        assertEquals(j("5"), range.lower());
        assertTrue(coverage.complete());
        assertTrue(coverage.exact());
    }

    @Test
    void boundsOnOneFieldIntersectKeepingTheTighterInclusivity() {
        FieldRange range = sel("{'a': {'$gte': 1, '$gt': 1, '$lt': 9, '$lte': 7}}").coverage(List.of("a")).ranges().getFirst();
        assertEquals(j("1"), range.lower());
        assertFalse(range.lowerInclusive());
        assertEquals(j("7"), range.upper());
        assertTrue(range.upperInclusive());
    }

    @Test
    void contradictoryBoundsGiveAnEmptyRange() {
        assertTrue(sel("{'a': {'$gt': 5, '$lt': 3}}").coverage(List.of("a")).isEmpty());
        assertTrue(sel("{'a': {'$gt': 5, '$lte': 5}}").coverage(List.of("a")).isEmpty());
        assertFalse(sel("{'a': {'$gte': 5, '$lte': 5}}").coverage(List.of("a")).isEmpty());
    }

    @Test
    void rangesAreInCollationOrderSoAGreaterThanNumberReachesStrings() {
        FieldRange range = sel("{'a': {'$gt': 5}}").coverage(List.of("a")).ranges().getFirst();
        assertNull(range.upper());
        assertTrue(range.contains(j("'text'")));
        assertFalse(range.contains(j("true")));
    }

    @Test
    void idRangesAreInRawOrder() {
        FieldRange range = sel("{'_id': {'$lt': 'a'}}").coverage(List.of("_id")).ranges().getFirst();
        assertEquals(FieldRange.KeyOrder.RAW, range.order());
        assertTrue(range.contains(j("'B'")));
    }

    @Test
    void compoundIndexIsExactWithAnEqualityPrefixThenOneRange() {
        IndexCoverage coverage = sel("{'a': 1, 'b': {'$gt': 2}}").coverage(List.of("a", "b"));
        assertEquals(1, coverage.equalityPrefix());
        assertTrue(coverage.exact());
    }

    @Test
    void compoundIndexWithARangeBeforeAnotherBoundedFieldNeedsRechecking() {
        IndexCoverage coverage = sel("{'a': {'$gt': 1}, 'b': 2}").coverage(List.of("a", "b"));
        assertTrue(coverage.complete());
        assertFalse(coverage.exact());
    }

    @Test
    void conditionsOtherThanRangesOrOnOtherFieldsNeedRechecking() {
        assertFalse(sel("{'a': 1, 'c': 2}").coverage(List.of("a")).exact());
        assertFalse(sel("{'a': {'$ne': 1}}").coverage(List.of("a")).exact());
        assertFalse(sel("{'a': {'$regex': 'x'}}").coverage(List.of("a")).exact());
        assertTrue(sel("{'a': {'$exists': true}}").coverage(List.of("a")).exact());
    }

    @Test
    void anIndexFieldTheSelectorDoesNotRequireMakesTheIndexIncomplete() {
        IndexCoverage coverage = sel("{'a': 1}").coverage(List.of("a", "b"));
        assertFalse(coverage.complete());
        assertFalse(coverage.exact());
        assertTrue(coverage.ranges().get(1).isUnbounded());
    }

    @Test
    void requiredFieldsFollowCouchDb() {
        assertTrue(sel("{'a': 1, 'b': {'$gt': 1}}").requiresFields(List.of("a", "b")));
        assertFalse(sel("{'a': {'$exists': false}}").requiresFields(List.of("a")));
        assertTrue(sel("{'$or': [{'a': 1}, {'a': 2}]}").requiresFields(List.of("a")));
        assertFalse(sel("{'$or': [{'a': 1}, {'b': 2}]}").requiresFields(List.of("a")));
        assertFalse(sel("{}").requiresFields(List.of("a")));
        assertFalse(sel("{'$or': []}").requiresFields(List.of("a")));
    }

    @Test
    void constantFieldsArePinnedByEqualityAtTheTopLevel() {
        assertTrue(sel("{'a': 1, 'b': {'$gt': 1}}").isConstantField("a"));
        assertFalse(sel("{'a': 1, 'b': {'$gt': 1}}").isConstantField("b"));
        assertFalse(sel("{'$or': [{'a': 1}, {'a': 2}]}").isConstantField("a"));
    }

    @Test
    void exactCoverageAgreesWithTheMatcherOnEveryDocument() {
        Selector selector = sel("{'a': {'$gte': 2, '$lt': 'm'}}");
        IndexCoverage coverage = selector.coverage(List.of("a"));
        assertTrue(coverage.exact());
        for (String value : List.of("null", "true", "1", "2", "2.0", "1e3", "'a'", "'M'", "'m'", "'z'", "[]", "{}")) {
            var doc = j("{'a': " + value + "}");
            assertEquals(selector.matches(doc), coverage.ranges().getFirst().contains(doc.get("a")), value);
        }
    }
}
