package dev.arbor.core.rev;

import static dev.arbor.core.rev.Trees.path;
import static dev.arbor.core.rev.Trees.revs;
import static dev.arbor.core.rev.Trees.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Stemming to {@code _revs_limit}, following couch_key_tree_tests ("stemming"). */
class RevTreeStemTest {

    private static final RevTree TWO_CHILD = tree(path(3, "1aa", "1a", "1"));

    @Test
    void stemmingToMoreLevelsThanExistHasNoEffect() {
        assertSame(TWO_CHILD, TWO_CHILD.stem(3));
        assertSame(TWO_CHILD, TWO_CHILD.stem(1000));
    }

    @Test
    void stemmingToOneKeepsOnlyTheDeepestNode() {
        assertEquals("3-1aa", TWO_CHILD.stem(1).toString());
    }

    @Test
    void stemmingToTwoKeepsTheTwoDeepestNodes() {
        assertEquals("2-1a{unavailable}(3-1aa)", TWO_CHILD.stem(2).toString());
    }

    @Test
    void branchesSplitBelowTheCutBecomeSeparateRoots() {
        RevTree tree = tree(path(4, "d", "c", "b", "a"), path(4, "y", "x", "b", "a"));

        RevTree stemmed = tree.stem(2);

        assertEquals("3-c{unavailable}(4-d), 3-x{unavailable}(4-y)", stemmed.toString());
        assertEquals(revs("3-c", "3-x"), stemmed.roots());
    }

    @Test
    void eachBranchKeepsItsOwnLimitSoShortBranchesKeepSharedAncestors() {
        // a-b-c-d-e and a-b-x: with limit 3, x keeps b and a, so the long branch hangs on to them too.
        RevTree tree = tree(path(5, "e", "d", "c", "b", "a"), path(3, "x", "b", "a"));

        RevTree stemmed = tree.stem(3);

        assertEquals("1-a{unavailable}(2-b{unavailable}(3-c{unavailable}(4-d{unavailable}(5-e)), 3-x))",
                stemmed.toString());
        // With limit 2, 3-c is three edits from 5-e and goes; 2-b stays for 3-x; 1-a goes.
        assertEquals("2-b{unavailable}(3-x), 4-d{unavailable}(5-e)", stemmed.stem(2).toString());
        assertEquals(tree.stem(2), tree.stem(2).stem(3));
    }

    @Test
    void stemmingKeepsEveryLeafAndPathsOfAtMostTheLimit() {
        RevTree tree = tree(path(6, "f", "e", "d", "c", "b", "a"), path(3, "x", "b", "a"), path(1, "lone"));

        RevTree stemmed = tree.stem(2);

        assertEquals(tree.leaves(), stemmed.leaves());
        assertEquals(revs("6-f", "5-e"), stemmed.ancestry(Trees.rev("6-f")));
        assertEquals(revs("3-x", "2-b"), stemmed.ancestry(Trees.rev("3-x")));
        assertEquals(revs("1-lone"), stemmed.ancestry(Trees.rev("1-lone")));
    }

    @Test
    void stemmedHistoryRejoinsWhenTheFullPathComesBack() {
        RevTree stemmed = TWO_CHILD.stem(1);

        RevTree.Merge merge = stemmed.merge(path(3, "1aa", "1a", "1"));

        assertEquals(RevTree.Outcome.ALREADY_PRESENT, merge.outcome());
        assertEquals(TWO_CHILD, merge.tree());
    }

    @Test
    void limitBelowOneIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> TWO_CHILD.stem(0));
    }
}
