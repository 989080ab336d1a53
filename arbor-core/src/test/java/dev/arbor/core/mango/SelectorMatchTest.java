package dev.arbor.core.mango;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static dev.arbor.core.mango.MangoJson.matches;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Selector#matches}, operator by operator, against CouchDB 3.x's {@code mango_selector:match}. */
class SelectorMatchTest {

    @Nested
    class Equality {
        @Test
        void implicitEqualityComparesInCollationSoIntegerEqualsDecimal() {
            assertTrue(matches("{'n': 1}", "{'n': 1.0}"));
            assertTrue(matches("{'n': {'$eq': 1e0}}", "{'n': 1}"));
            assertFalse(matches("{'n': 1}", "{'n': '1'}"));
        }

        @Test
        void equalityOnAnArrayFieldComparesTheWholeArrayNeverItsElements() {
            assertFalse(matches("{'tags': 'a'}", "{'tags': ['a', 'b']}"));
            assertTrue(matches("{'tags': ['a', 'b']}", "{'tags': ['a', 'b']}"));
            assertFalse(matches("{'tags': ['b', 'a']}", "{'tags': ['a', 'b']}"));
        }

        @Test
        void equalityOnObjectsDependsOnMemberOrderAsCollationDoes() {
            assertTrue(matches("{'o': {'$eq': {'a': 1, 'b': 2}}}", "{'o': {'a': 1, 'b': 2}}"));
            assertFalse(matches("{'o': {'$eq': {'a': 1, 'b': 2}}}", "{'o': {'b': 2, 'a': 1}}"));
        }

        @Test
        void anEmptyObjectAsValueMeansEqualToTheEmptyObject() {
            assertTrue(matches("{'o': {}}", "{'o': {}}"));
            assertFalse(matches("{'o': {}}", "{'o': {'a': 1}}"));
        }

        @Test
        void stringsEqualUnderIcuCollationMatchEvenWhenTheirCodePointsDiffer() {
            assertTrue(matches("{'s': 'caf\\u00e9'}", "{'s': 'cafe\\u0301'}"));
        }

        @Test
        void aMissingFieldMatchesNeitherEqNorNe() {
            assertFalse(matches("{'a': null}", "{'b': 1}"));
            assertFalse(matches("{'a': {'$ne': 1}}", "{'b': 1}"));
            assertTrue(matches("{'a': {'$ne': 1}}", "{'a': null}"));
        }

        @Test
        void negationOfAFieldConditionStillRequiresTheField() {
            assertFalse(matches("{'$not': {'a': 1}}", "{'b': 1}"));
            assertFalse(matches("{'$nor': [{'a': 1}]}", "{'b': 1}"));
            assertTrue(matches("{'$nor': [{'a': 1}]}", "{'a': 2}"));
        }
    }

    @Nested
    class Ranges {
        @Test
        void rangesCompareAcrossTypesInCollationOrder() {
            // null < false < true < numbers < strings < arrays < objects
            assertTrue(matches("{'a': {'$gt': 5}}", "{'a': 'five'}"));
            assertTrue(matches("{'a': {'$gt': 5}}", "{'a': [1]}"));
            assertTrue(matches("{'a': {'$gt': 5}}", "{'a': {}}"));
            assertFalse(matches("{'a': {'$gt': 5}}", "{'a': true}"));
            assertTrue(matches("{'a': {'$lt': 0}}", "{'a': null}"));
            assertTrue(matches("{'a': {'$lt': false}}", "{'a': null}"));
            assertFalse(matches("{'a': {'$lt': null}}", "{'a': null}"));
            assertTrue(matches("{'a': {'$lte': null}}", "{'a': null}"));
        }

        @Test
        void stringRangesUseIcuOrderWhereLowercaseSortsBeforeUppercase() {
            assertTrue(matches("{'s': {'$lt': 'A'}}", "{'s': 'a'}"));
            assertTrue(matches("{'s': {'$gt': 'a'}}", "{'s': 'B'}")); // byte order would say 'B' < 'a'
        }

        @Test
        void arraysCompareElementByElementThenByLength() {
            assertTrue(matches("{'a': {'$gt': [1, 2]}}", "{'a': [1, 2, 0]}"));
            assertTrue(matches("{'a': {'$lt': [1, 3]}}", "{'a': [1, 2, 99]}"));
        }

        @Test
        void numbersAtTheEdgesOfDoublePrecisionCompareByExactValue() {
            assertTrue(matches("{'n': {'$gt': 9007199254740992}}", "{'n': 9007199254740993}"));
            assertTrue(matches("{'n': {'$eq': 9007199254740993}}", "{'n': 9007199254740993}"));
            assertTrue(matches("{'n': {'$gt': 1.7976931348623157e308}}", "{'n': 'x'}"));
            assertTrue(matches("{'n': {'$lt': 1.7976931348623157e308}}", "{'n': 1e308}"));
            assertTrue(matches("{'n': {'$gt': 0}}", "{'n': 5e-324}"));
            assertTrue(matches("{'n': 0}", "{'n': -0.0}"));
            assertTrue(matches("{'n': {'$gt': 1000000000000000000000000000000}}", "{'n': 1000000000000000000000000000001}"));
        }

        @Test
        void combinedBoundsOnOneFieldBothApply() {
            assertTrue(matches("{'a': {'$gt': 1, '$lt': 3}}", "{'a': 2}"));
            assertFalse(matches("{'a': {'$gt': 1, '$lt': 3}}", "{'a': 3}"));
        }
    }

    @Nested
    class IdComparesRaw {
        @Test
        void idRangesCompareBytesNotCollation() {
            // In collation 'a' < 'B'; CouchDB compares _id as raw binaries, where 'B' (0x42) < 'a' (0x61).
            assertTrue(matches("{'_id': {'$lt': 'a'}}", "{'_id': 'B'}"));
            assertFalse(matches("{'other': {'$lt': 'a'}}", "{'other': 'B'}"));
        }

        @Test
        void idAgainstNonStringsUsesErlangTermOrderWhereStringsAreLargest() {
            assertTrue(matches("{'_id': {'$gt': {}}}", "{'_id': 'x'}"));
            assertTrue(matches("{'_id': {'$gt': [1]}}", "{'_id': 'x'}"));
        }

        @Test
        void idEqualityIsByteEqualityNotIcuEquivalence() {
            assertFalse(matches("{'_id': 'caf\\u00e9'}", "{'_id': 'cafe\\u0301'}"));
        }

        @Test
        void supplementaryCharactersOrderAfterThePrivateUseAreaAsInUtf8() {
            assertTrue(matches("{'_id': {'$gt': '\\ue000'}}", "{'_id': '\\ud83d\\ude00'}"));
        }
    }

    @Nested
    class InAndNin {
        @Test
        void inMatchesAnyListedValue() {
            assertTrue(matches("{'a': {'$in': [1, 'x']}}", "{'a': 'x'}"));
            assertFalse(matches("{'a': {'$in': [1, 'x']}}", "{'a': 2}"));
            assertFalse(matches("{'a': {'$in': []}}", "{'a': 2}"));
        }

        @Test
        void inOnAnArrayLooksAtElementsAndNeverAtTheWholeArray() {
            assertTrue(matches("{'a': {'$in': [2]}}", "{'a': [1, 2]}"));
            assertFalse(matches("{'a': {'$in': [[1, 2]]}}", "{'a': [1, 2]}"));
            assertFalse(matches("{'a': {'$in': [1]}}", "{'a': []}"));
        }

        @Test
        void ninOnAnArrayRequiresEveryElementToDifferFromEveryValue() {
            assertFalse(matches("{'a': {'$nin': [2]}}", "{'a': [1, 2]}"));
            assertTrue(matches("{'a': {'$nin': [3]}}", "{'a': [1, 2]}"));
            assertTrue(matches("{'a': {'$nin': []}}", "{'a': 1}"));
            assertFalse(matches("{'a': {'$nin': [1]}}", "{'b': 1}"));
        }
    }

    @Nested
    class ExistsAndType {
        @Test
        void existsFalseMatchesAMissingFieldButNotABadPath() {
            assertTrue(matches("{'a': {'$exists': false}}", "{'b': 1}"));
            assertFalse(matches("{'a': {'$exists': false}}", "{'a': null}"));
            assertTrue(matches("{'a.b': {'$exists': false}}", "{'a': {}}"));
            // Stepping into a number is a bad path, not a missing field, and CouchDB fails the match.
            assertFalse(matches("{'a.b': {'$exists': false}}", "{'a': 5}"));
        }

        @Test
        void existsTrueMatchesNull() {
            assertTrue(matches("{'a': {'$exists': true}}", "{'a': null}"));
            assertFalse(matches("{'a': {'$exists': true}}", "{}"));
        }

        @Test
        void notExistsTrueIsExistsFalse() {
            assertTrue(matches("{'a': {'$not': {'$exists': true}}}", "{'b': 1}"));
        }

        @Test
        void typeNamesAreCouchDbs() {
            assertTrue(matches("{'a': {'$type': 'null'}}", "{'a': null}"));
            assertTrue(matches("{'a': {'$type': 'boolean'}}", "{'a': false}"));
            assertTrue(matches("{'a': {'$type': 'number'}}", "{'a': 1.5}"));
            assertTrue(matches("{'a': {'$type': 'string'}}", "{'a': ''}"));
            assertTrue(matches("{'a': {'$type': 'array'}}", "{'a': []}"));
            assertTrue(matches("{'a': {'$type': 'object'}}", "{'a': {}}"));
            assertFalse(matches("{'a': {'$type': 'integer'}}", "{'a': 1}"));
            assertFalse(matches("{'a': {'$type': 'null'}}", "{}"));
        }
    }

    @Nested
    class SizeModRegexBeginsWith {
        @Test
        void sizeCountsArrayElementsOnly() {
            assertTrue(matches("{'a': {'$size': 2}}", "{'a': [1, [2, 3]]}"));
            assertTrue(matches("{'a': {'$size': 0}}", "{'a': []}"));
            assertFalse(matches("{'a': {'$size': 3}}", "{'a': 'abc'}"));
        }

        @Test
        void modTakesTheTruncatedRemainderOfIntegersOnly() {
            assertTrue(matches("{'a': {'$mod': [3, 1]}}", "{'a': 7}"));
            assertTrue(matches("{'a': {'$mod': [3, -1]}}", "{'a': -7}"));
            assertFalse(matches("{'a': {'$mod': [3, 2]}}", "{'a': -7}"));
            assertTrue(matches("{'a': {'$mod': [-3, 1]}}", "{'a': 7}"));
            assertFalse(matches("{'a': {'$mod': [3, 1]}}", "{'a': 7.0}"));
            assertTrue(matches("{'a': {'$mod': [10, 3]}}", "{'a': 123456789012345678901234567890123}"));
        }

        @Test
        void regexFindsAMatchAnywhereInStringsOnly() {
            assertTrue(matches("{'a': {'$regex': 'b+'}}", "{'a': 'abbc'}"));
            assertFalse(matches("{'a': {'$regex': '^b'}}", "{'a': 'abbc'}"));
            assertFalse(matches("{'a': {'$regex': '1'}}", "{'a': 1}"));
            assertTrue(matches("{'a': {'$regex': '(?i)^ABC$'}}", "{'a': 'abc'}"));
        }

        @Test
        void regexMatchesUtf8BytesAsPcreDoesWithoutTheUnicodeOption() {
            assertFalse(matches("{'a': {'$regex': '^.$'}}", "{'a': '\\u00e9'}"));
            assertTrue(matches("{'a': {'$regex': '^..$'}}", "{'a': '\\u00e9'}"));
            // A quantifier after a multi-byte character repeats its last byte only, as in PCRE's byte mode.
            assertFalse(matches("{'a': {'$regex': '^\\u00e9+$'}}", "{'a': '\\u00e9\\u00e9'}"));
            assertTrue(matches("{'a': {'$regex': '^(\\u00e9)+$'}}", "{'a': '\\u00e9\\u00e9'}"));
            assertFalse(matches("{'a': {'$regex': '^\\\\w$'}}", "{'a': '\\u00e9'}"));
        }

        @Test
        void regexDotAndDollarTreatOnlyLineFeedAsANewline() {
            assertTrue(matches("{'a': {'$regex': '^a.b$'}}", "{'a': 'a\\rb'}"));
            assertFalse(matches("{'a': {'$regex': '^a.b$'}}", "{'a': 'a\\nb'}"));
            assertTrue(matches("{'a': {'$regex': '^ab$'}}", "{'a': 'ab\\n'}"));
        }

        @Test
        void beginsWithIsAPlainPrefixTestWithoutCollation() {
            assertTrue(matches("{'a': {'$beginsWith': 'ab'}}", "{'a': 'abc'}"));
            assertFalse(matches("{'a': {'$beginsWith': 'AB'}}", "{'a': 'abc'}"));
            assertTrue(matches("{'a': {'$beginsWith': ''}}", "{'a': 'abc'}"));
            assertFalse(matches("{'a': {'$beginsWith': 'a'}}", "{'a': ['a']}"));
        }
    }

    @Nested
    class ArrayOperators {
        @Test
        void allNeedsEveryValueAmongTheElementsByExactErlangEquality() {
            assertTrue(matches("{'a': {'$all': [1, 3]}}", "{'a': [3, 2, 1]}"));
            assertFalse(matches("{'a': {'$all': [1, 4]}}", "{'a': [3, 2, 1]}"));
            assertFalse(matches("{'a': {'$all': [1]}}", "{'a': [1.0]}"));
            assertFalse(matches("{'a': {'$all': ['caf\\u00e9']}}", "{'a': ['cafe\\u0301']}"));
            assertFalse(matches("{'a': {'$all': [1]}}", "{'a': 1}"));
        }

        @Test
        void allWithOneArrayArgumentAlsoMatchesThatArrayItself() {
            assertTrue(matches("{'a': {'$all': [[1, 2]]}}", "{'a': [1, 2]}"));
            assertTrue(matches("{'a': {'$all': [[1, 2]]}}", "{'a': [1.0, 2]}")); // that comparison is ==
            assertTrue(matches("{'a': {'$all': [[1, 2]]}}", "{'a': [[1, 2], 3]}"));
        }

        @Test
        void allWithNoValuesMatchesNothing() {
            assertFalse(matches("{'a': {'$all': []}}", "{'a': [1]}"));
        }

        @Test
        void elemMatchNeedsOneElementSatisfyingEveryCondition() {
            String selector = "{'a': {'$elemMatch': {'$gte': 80, '$lt': 85}}}";
            assertTrue(matches(selector, "{'a': [10, 82]}"));
            assertFalse(matches(selector, "{'a': [79, 90]}"));
            assertFalse(matches(selector, "{'a': []}"));
            assertFalse(matches(selector, "{'a': 82}"));
        }

        @Test
        void elemMatchOnObjectsUsesFieldsRelativeToTheElement() {
            String selector = "{'items': {'$elemMatch': {'name': 'x', 'qty': {'$gt': 1}}}}";
            assertTrue(matches(selector, "{'items': [{'name': 'y', 'qty': 5}, {'name': 'x', 'qty': 2}]}"));
            assertFalse(matches(selector, "{'items': [{'name': 'y', 'qty': 5}, {'name': 'x', 'qty': 1}]}"));
        }

        @Test
        void nestedArraysAreSingleElementsToElemMatch() {
            assertTrue(matches("{'a': {'$elemMatch': {'$elemMatch': {'$eq': 2}}}}", "{'a': [[1], [2, 3]]}"));
            assertFalse(matches("{'a': {'$elemMatch': {'$eq': 2}}}", "{'a': [[1], [2, 3]]}"));
        }

        @Test
        void notInsideElemMatchIsNotPushedDownSoAnElementWithoutTheFieldSatisfiesIt() {
            // CouchDB leaves $not inside $elemMatch as written: "not (b == 1)" holds for {} .
            assertTrue(matches("{'a': {'$elemMatch': {'$not': {'b': 1}}}}", "{'a': [{}]}"));
            // Outside, the same negation becomes b != 1, which a missing b fails.
            assertFalse(matches("{'$not': {'b': 1}}", "{}"));
        }

        @Test
        void allMatchNeedsANonEmptyArrayOfMatchingElements() {
            String selector = "{'a': {'$allMatch': {'$gt': 0}}}";
            assertTrue(matches(selector, "{'a': [1, 2]}"));
            assertFalse(matches(selector, "{'a': [1, 0]}"));
            assertFalse(matches(selector, "{'a': []}"));
            assertFalse(matches(selector, "{'a': 5}"));
        }

        @Test
        void keyMapMatchTestsMemberNamesOfANonEmptyObject() {
            String selector = "{'m': {'$keyMapMatch': {'$beginsWith': 'x'}}}";
            assertTrue(matches(selector, "{'m': {'a': 1, 'xy': 2}}"));
            assertFalse(matches(selector, "{'m': {'a': 1}}"));
            assertFalse(matches(selector, "{'m': {}}"));
            assertFalse(matches(selector, "{'m': ['xy']}"));
        }
    }

    @Nested
    class Combinators {
        @Test
        void orMatchesWhenAnyBranchDoes() {
            String selector = "{'$or': [{'a': 1}, {'b': 2}]}";
            assertTrue(matches(selector, "{'b': 2}"));
            assertFalse(matches(selector, "{'a': 2, 'b': 1}"));
        }

        @Test
        void emptyAndAndEmptyOrMatchEverything() {
            assertTrue(matches("{'$and': []}", "{'x': 1}"));
            assertTrue(matches("{'$or': []}", "{'x': 1}"));
        }

        @Test
        void norMatchesWhenNoBranchDoesAndEachBranchFieldExists() {
            String selector = "{'$nor': [{'a': 1}, {'b': 2}]}";
            assertTrue(matches(selector, "{'a': 2, 'b': 3}"));
            assertFalse(matches(selector, "{'a': 2, 'b': 2}"));
        }

        @Test
        void notOfARegexKeepsANegatedCondition() {
            assertTrue(matches("{'a': {'$not': {'$regex': '^x'}}}", "{'a': 'yz'}"));
            assertFalse(matches("{'a': {'$not': {'$regex': '^x'}}}", "{'a': 'xz'}"));
            assertTrue(matches("{'a': {'$not': {'$regex': '^x'}}}", "{'a': 5}"));
            assertFalse(matches("{'a': {'$not': {'$regex': '^x'}}}", "{}"));
        }

        @Test
        void aBareOperatorInsideAndAppliesToTheWholeDocument() {
            // {"$and": [{"$gt": 5}]} is accepted by CouchDB and compares the document (an object) with 5.
            assertTrue(matches("{'$and': [{'$gt': 5}]}", "{'a': 1}"));
            assertTrue(matches("{'$and': [{'$type': 'object'}]}", "{'a': 1}"));
        }

        @Test
        void emptySelectorMatchesEveryDocument() {
            assertTrue(matches("{}", "{'_id': 'x'}"));
        }
    }

    @Nested
    class Paths {
        @Test
        void dottedPathsDescendIntoObjects() {
            assertTrue(matches("{'a.b.c': 1}", "{'a': {'b': {'c': 1}}}"));
            assertTrue(matches("{'a': {'b': {'c': 1}}}", "{'a': {'b': {'c': 1}}}"));
            assertFalse(matches("{'a.b': 1}", "{'a': [{'b': 1}]}"));
        }

        @Test
        void numericSegmentsIndexIntoArrays() {
            assertTrue(matches("{'a.1': 'y'}", "{'a': ['x', 'y']}"));
            assertTrue(matches("{'a.0.b': 1}", "{'a': [{'b': 1}]}"));
            assertFalse(matches("{'a.2': {'$exists': false}}", "{'a': ['x', 'y']}"));
            assertTrue(matches("{'a.+1': 'y'}", "{'a': ['x', 'y']}"));
        }

        @Test
        void anEscapedDotIsPartOfTheMemberName() {
            assertTrue(matches("{'a\\\\.b': 1}", "{'a.b': 1}"));
            assertFalse(matches("{'a\\\\.b': 1}", "{'a': {'b': 1}}"));
            assertTrue(matches("{'a.b': 1}", "{'a': {'b': 1}, 'a.b': 2}"));
        }

        @Test
        void unicodeMemberNamesAndValuesMatchExactly() {
            assertTrue(matches("{'\\u00fcber.\\u6f22': '\\ud83d\\ude00'}", "{'\\u00fcber': {'\\u6f22': '\\ud83d\\ude00'}}"));
        }
    }
}
