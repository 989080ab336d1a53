package dev.arbor.core.mango;

import dev.arbor.core.error.ArborException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.arbor.core.mango.MangoJson.j;
import static dev.arbor.core.mango.MangoJson.sel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link Selector#parse}: CouchDB's normalization and its validation errors, token and reason. */
class SelectorParseTest {

    private static void assertNormalizesTo(String selector, String normalized) {
        assertEquals(j(normalized), sel(selector).toJson());
    }

    private static void assertRejected(String selector, String error, String reason) {
        ArborException.BadRequest e = assertThrows(ArborException.BadRequest.class, () -> sel(selector));
        assertEquals(error, e.error());
        assertEquals(reason, e.reason());
    }

    @Test
    void implicitAndAndImplicitEqBecomeExplicit() {
        assertNormalizesTo("{'a': 1, 'b': {'$gt': 2}}", "{'$and': [{'a': {'$eq': 1}}, {'b': {'$gt': 2}}]}");
    }

    @Test
    void nestedFieldNamesJoinIntoDottedPaths() {
        assertNormalizesTo("{'a': {'b': {'c': {'$lt': 1}}}}", "{'a.b.c': {'$lt': 1}}");
        assertNormalizesTo("{'a': {'$and': [{'$gt': 5}, {'$lt': 10}]}}", "{'$and': [{'a': {'$gt': 5}}, {'a': {'$lt': 10}}]}");
    }

    @Test
    void notIsPushedToTheConditionsByDeMorgan() {
        assertNormalizesTo("{'$not': {'a': {'$gt': 10}}}", "{'a': {'$lte': 10}}");
        assertNormalizesTo("{'$not': {'$and': [{'a': {'$gt': 10}}, {'b': {'$in': [1]}}]}}",
                "{'$or': [{'a': {'$lte': 10}}, {'b': {'$nin': [1]}}]}");
        assertNormalizesTo("{'$nor': [{'a': 1}, {'b': {'$exists': true}}]}",
                "{'$and': [{'a': {'$ne': 1}}, {'b': {'$exists': false}}]}");
        assertNormalizesTo("{'$not': {'$not': {'a': 1}}}", "{'a': {'$eq': 1}}");
    }

    @Test
    void negatingAConditionWithoutAnOppositeKeepsNot() {
        assertNormalizesTo("{'a': {'$not': {'$size': 2}}}", "{'a': {'$not': {'$size': 2}}}");
    }

    @Test
    void elemMatchSubSelectorsAreNormalizedForFieldsButNotForNegations() {
        assertNormalizesTo("{'a': {'$elemMatch': {'$gte': 80, '$lt': 85}}}",
                "{'a': {'$elemMatch': {'$and': [{'': {'$gte': 80}}, {'': {'$lt': 85}}]}}}");
        Selector parsed = sel("{'a': {'$elemMatch': {'$not': {'b': 1}}}}");
        Selector.Field field = assertInstanceOf(Selector.Field.class, parsed);
        Condition.ElemMatch elemMatch = assertInstanceOf(Condition.ElemMatch.class, field.condition());
        assertInstanceOf(Selector.Not.class, elemMatch.selector());
    }

    @Test
    void theTreeIsBuiltFromRecords() {
        assertEquals(new Selector.Field(FieldPath.parse("a.b"),
                        new Condition.Compare(Condition.Operator.GTE, j("3"))),
                sel("{'a': {'b': {'$gte': 3}}}"));
        assertEquals(List.of("a", "b"), FieldPath.parse("a.b").segments());
        assertEquals(List.of("a.b", "c"), FieldPath.parse("a\\.b.c").segments());
    }

    @Test
    void aSelectorMustBeAnObject() {
        assertRejected("[1]", "invalid_selector_json", "Selector must be a JSON object, not: [1]");
        assertRejected("'x'", "invalid_selector_json", "Selector must be a JSON object, not: <<120>>");
    }

    @Test
    void unknownOperatorsAreInvalid() {
        assertRejected("{'a': {'$foo': 1}}", "invalid_operator", "Invalid operator: $foo");
        // CouchDB has no bad_arg case for these when the argument is not a string.
        assertRejected("{'a': {'$regex': 1}}", "invalid_operator", "Invalid operator: $regex");
        assertRejected("{'a': {'$beginsWith': 1}}", "invalid_operator", "Invalid operator: $beginsWith");
    }

    @Test
    void mongoOperatorsCouchDbKnowsButLacksAreUnsupported() {
        assertRejected("{'$where': 'x'}", "not_supported", "Unsupported operator: $where");
        assertRejected("{'a': {'$near': [1, 2]}}", "not_supported", "Unsupported operator: $near");
    }

    @Test
    void badArgumentsAreReportedAsErlangTerms() {
        assertRejected("{'a': {'$in': 'foo'}}", "bad_arg", "Bad argument for operator $in: <<102,111,111>>");
        assertRejected("{'$and': {'a': 1}}", "bad_arg", "Bad argument for operator $and: {[{<<97>>,1}]}");
        assertRejected("{'a': {'$size': -1}}", "bad_arg", "Bad argument for operator $size: -1");
        assertRejected("{'a': {'$size': 1.5}}", "bad_arg", "Bad argument for operator $size: 1.5");
        assertRejected("{'a': {'$mod': [2]}}", "bad_arg", "Bad argument for operator $mod: [2]");
        assertRejected("{'a': {'$mod': [2.0, 1]}}", "bad_arg", "Bad argument for operator $mod: [2.0,1]");
        assertRejected("{'a': {'$exists': 1}}", "bad_arg", "Bad argument for operator $exists: 1");
        assertRejected("{'a': {'$type': null}}", "bad_arg", "Bad argument for operator $type: null");
        assertRejected("{'a': {'$not': 1}}", "bad_arg", "Bad argument for operator $not: 1");
        assertRejected("{'a': {'$elemMatch': [1]}}", "bad_arg", "Bad argument for operator $elemMatch: [1]");
        assertRejected("{'a': {'$all': true}}", "bad_arg", "Bad argument for operator $all: true");
        assertRejected("{'a': {'$regex': '('}}", "bad_arg", "Bad argument for operator $regex: <<40>>");
    }

    @Test
    void modByZeroIsRefusedInsteadOfFailingEveryMatch() {
        assertRejected("{'a': {'$mod': [0, 1]}}", "bad_arg", "Bad argument for operator $mod: [0,1]");
    }

    @Test
    void anOperatorAtTheTopLevelHasNoFieldName() {
        assertRejected("{'$gt': 5}", "invalid_selector", "One or more conditions is missing a field name.");
        assertRejected("{'': 5}", "invalid_selector", "One or more conditions is missing a field name.");
    }

    @Test
    void fieldNamesWithEmptySegmentsAreRefused() {
        assertRejected("{'a..b': 1}", "invalid_field_name", "Invalid field name: a..b");
        assertRejected("{'a': {'': 1}}", "invalid_field_name", "Invalid field name: a.");
    }

    @Test
    void norInsideElemMatchIsRefusedAsCouchDbsMatcherRefusesIt() {
        assertRejected("{'a': {'$elemMatch': {'$nor': [{'b': 1}]}}}", "invalid_operator", "Invalid operator: $nor");
    }

    @Test
    void textSearchIsNotSupported() {
        assertRejected("{'$text': 'x'}", "not_supported", "Unsupported operator: $text");
    }

    @Test
    void selectorsAreValuesComparableByEquality() {
        assertEquals(sel("{'a': {'$regex': '^x'}}"), sel("{'a': {'$regex': '^x'}}"));
        assertEquals(sel("{'$not': {'a': {'$lt': 1}}}"), sel("{'a': {'$gte': 1}}"));
    }

    @Test
    void fieldsListsTheTopLevelFieldsThroughCombinators() {
        assertEquals(List.of("a", "b", "c"), sel("{'a': 1, '$or': [{'b': 1}, {'c': 2}]}").fields());
        assertEquals(List.of(), sel("{}").fields());
    }

    @Test
    void erlangFloatsPrintInTheirShortestForm() {
        assertEquals("1.5", ErlangTerms.formatFloat(1.5));
        assertEquals("100.0", ErlangTerms.formatFloat(100.0));
        assertEquals("1.0e3", ErlangTerms.formatFloat(1000.0));
        assertEquals("0.001", ErlangTerms.formatFloat(0.001));
        assertEquals("1.0e-5", ErlangTerms.formatFloat(0.00001));
        assertEquals("-2.5e20", ErlangTerms.formatFloat(-2.5e20));
        assertEquals("123.456", ErlangTerms.formatFloat(123.456));
    }
}
