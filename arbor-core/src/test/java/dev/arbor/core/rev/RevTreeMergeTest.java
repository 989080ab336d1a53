package dev.arbor.core.rev;

import static dev.arbor.core.rev.RevTree.Outcome.ALREADY_PRESENT;
import static dev.arbor.core.rev.RevTree.Outcome.NEW_BRANCH;
import static dev.arbor.core.rev.RevTree.Outcome.NEW_LEAF;
import static dev.arbor.core.rev.Trees.path;
import static dev.arbor.core.rev.Trees.rev;
import static dev.arbor.core.rev.Trees.revs;
import static dev.arbor.core.rev.Trees.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Merging paths into trees. The cases follow CouchDB's couch_key_tree_tests ("key tree merge"), with
 * its trees written as paths: CouchDB's {1, {"1", _, [{"1a", _, []}]}} is 1-1 with child 2-1a.
 */
class RevTreeMergeTest {

    // A root 1-1 with children 2-1a and 2-1b.
    private static final RevTree TWO_CHILD_SIBS = tree(path(2, "1a", "1"), path(2, "1b", "1"));
    // The linear history 1-1, 2-1a, 3-1aa.
    private static final RevTree TWO_CHILD = tree(path(3, "1aa", "1a", "1"));

    @Test
    void mergingIntoEmptyTreeMakesNewLeaf() {
        RevTree.Merge merge = RevTree.empty().merge(path(1, "1"));

        assertEquals(NEW_LEAF, merge.outcome());
        assertEquals("1-1", merge.tree().toString());
    }

    @Test
    void mergingTreeIntoItselfIsAlreadyPresentAndChangesNothing() {
        RevTree one = tree(path(1, "1"));

        RevTree.Merge merge = one.merge(path(1, "1"));

        assertEquals(ALREADY_PRESENT, merge.outcome());
        assertSame(one, merge.tree());
    }

    @Test
    void mergingOneOfTwoRootsIsAlreadyPresent() {
        RevTree twoSibs = tree(path(1, "1"), path(1, "2"));

        RevTree.Merge merge = twoSibs.merge(path(1, "1"));

        assertEquals(ALREADY_PRESENT, merge.outcome());
        assertEquals(twoSibs, merge.tree());
    }

    @Test
    void unrelatedRootIsNewBranch() {
        RevTree twoSibs = tree(path(1, "1"), path(1, "2"));

        RevTree.Merge merge = twoSibs.merge(path(1, "3"));

        assertEquals(NEW_BRANCH, merge.outcome());
        assertEquals("1-1, 1-2, 1-3", merge.tree().toString());
    }

    @Test
    void mergingWholeHistoryIntoItselfIsAlreadyPresent() {
        RevTree.Merge merge = TWO_CHILD.merge(path(3, "1aa", "1a", "1"));

        assertEquals(ALREADY_PRESENT, merge.outcome());
        assertEquals(TWO_CHILD, merge.tree());
    }

    @Test
    void mergingEveryLeafPathOfATreeLeavesItUnchanged() {
        RevTree tree = TWO_CHILD_SIBS;
        for (RevPath leafPath : List.of(path(2, "1a", "1"), path(2, "1b", "1"))) {
            RevTree.Merge merge = tree.merge(leafPath);
            assertEquals(ALREADY_PRESENT, merge.outcome());
            tree = merge.tree();
        }
        assertEquals("1-1{unavailable}(2-1a, 2-1b)", tree.toString());
    }

    @Test
    void extendingOneOfTwoLeavesIsNewLeaf() {
        RevTree.Merge merge = TWO_CHILD_SIBS.merge(path(3, "1aa", "1a", "1"));

        assertEquals(NEW_LEAF, merge.outcome());
        assertEquals("1-1{unavailable}(2-1a(3-1aa), 2-1b)", merge.tree().toString());
    }

    @Test
    void stemmedPathMatchingAnExistingLeafIsAlreadyPresent() {
        RevTree.Merge merge = TWO_CHILD_SIBS.merge(path(2, "1a"));

        assertEquals(ALREADY_PRESENT, merge.outcome());
        assertEquals(TWO_CHILD_SIBS, merge.tree());
    }

    @Test
    void stemmedPathMatchingADeeperLeafIsAlreadyPresent() {
        RevTree tree = tree(path(2, "1a", "1"), path(3, "1bb", "1b", "1"));

        RevTree.Merge merge = tree.merge(path(3, "1bb"));

        assertEquals(ALREADY_PRESENT, merge.outcome());
        assertEquals("1-1{unavailable}(2-1a, 2-1b{unavailable}(3-1bb))", merge.tree().toString());
    }

    @Test
    void stemmedPathMatchingALeafOfAStemmedForestIsAlreadyPresent() {
        RevTree stemmedSibs = tree(path(2, "1a"), path(3, "1bb", "1b"));

        RevTree.Merge merge = stemmedSibs.merge(path(3, "1bb"));

        assertEquals(ALREADY_PRESENT, merge.outcome());
        assertEquals("2-1a, 2-1b{unavailable}(3-1bb)", merge.tree().toString());
    }

    @Test
    void stemmedPathOfTheLeafAloneIsAlreadyPresent() {
        RevTree.Merge merge = TWO_CHILD.merge(path(3, "1aa"));

        assertEquals(ALREADY_PRESENT, merge.outcome());
        assertEquals(TWO_CHILD, merge.tree());
    }

    @Test
    void stemmedPathOfSeveralRevisionsIsAlreadyPresent() {
        RevTree.Merge merge = TWO_CHILD.merge(path(3, "1aa", "1a"));

        assertEquals(ALREADY_PRESENT, merge.outcome());
        assertEquals(TWO_CHILD, merge.tree());
    }

    @Test
    void mergingStemsOfTheSameHistoryIsAlreadyPresent() {
        RevTree stemmed = tree(path(3, "1aa", "1a"));

        RevTree.Merge merge = stemmed.merge(path(3, "1aa"));

        assertEquals(ALREADY_PRESENT, merge.outcome());
        assertEquals("2-1a{unavailable}(3-1aa)", merge.tree().toString());
    }

    @Test
    void stemmedPathBelowALeafWithAGapIsNewBranchBecauseNothingLinksIt() {
        RevTree oneChild = tree(path(2, "1a", "1"));

        RevTree.Merge merge = oneChild.merge(path(3, "1aa"));

        assertEquals(NEW_BRANCH, merge.outcome());
        assertEquals("1-1{unavailable}(2-1a), 3-1aa", merge.tree().toString());
        assertEquals(revs("3-1aa", "2-1a"), revsOf(merge.tree().leaves()));
    }

    @Test
    void pathBridgingTheGapJoinsTheTreesAsNewLeaf() {
        RevTree gapped = tree(path(2, "1a", "1"), path(3, "1aa"));

        RevTree.Merge merge = gapped.merge(path(3, "1aa", "1a", "1"));

        assertEquals(NEW_LEAF, merge.outcome());
        assertEquals("1-1{unavailable}(2-1a(3-1aa))", merge.tree().toString());
    }

    /** COUCHDB-902: a branch the path does not mention is kept as it is, and statuses stay. */
    @Test
    void extendingOneConflictLeavesTheOtherBranchAlone() {
        RevTree foo = tree(path(2, "foo2", "foo"), path(2, "foo3", "foo"));

        RevTree.Merge merge = foo.merge(path(3, "foo4", "foo3", "foo"));

        assertEquals(NEW_LEAF, merge.outcome());
        assertEquals("1-foo{unavailable}(2-foo2, 2-foo3(3-foo4))", merge.tree().toString());
        assertEquals(java.util.Optional.of(RevStatus.AVAILABLE), merge.tree().status(rev("2-foo3")));
    }

    @Test
    void editOnAnInternalNodeIsNewBranch() {
        RevTree linear = tree(path(3, "c", "b", "a"));

        RevTree.Merge merge = linear.merge(RevPath.edit(rev("2-b"), "x", RevStatus.AVAILABLE));

        assertEquals(NEW_BRANCH, merge.outcome());
        assertEquals("1-a{unavailable}(2-b{unavailable}(3-c, 3-x))", merge.tree().toString());
    }

    @Test
    void editOnTheLeafIsNewLeaf() {
        RevTree linear = tree(path(2, "b", "a"));

        RevTree.Merge merge = linear.merge(RevPath.edit(rev("2-b"), "c", RevStatus.AVAILABLE));

        assertEquals(NEW_LEAF, merge.outcome());
        assertEquals(revs("3-c", "2-b", "1-a"), merge.tree().ancestry(rev("3-c")));
    }

    @Test
    void firstEditOfADocumentIntoANonEmptyTreeIsNewBranch() {
        RevTree existing = tree(path(1, "a"));

        assertEquals(NEW_BRANCH, existing.merge(RevPath.edit(null, "b", RevStatus.AVAILABLE)).outcome());
    }

    @Test
    void pathStartingBeforeTheStoredRootReconnectsOlderHistory() {
        RevTree stemmed = tree(path(3, "1aa", "1a"));

        RevTree.Merge merge = stemmed.merge(path(3, "1aa", "1a", "1"));

        // CouchDB's internal_node: the leaf was known; only older ancestry was learnt.
        assertEquals(ALREADY_PRESENT, merge.outcome());
        assertEquals(TWO_CHILD, merge.tree());
        assertEquals(revs("1-1"), merge.tree().roots());
    }

    @Test
    void pathStartingBeforeTheStoredRootAndExtendingItIsNewLeaf() {
        RevTree stemmed = tree(path(3, "c", "b"));

        RevTree.Merge merge = stemmed.merge(path(4, "d", "c", "b", "a"));

        assertEquals(NEW_LEAF, merge.outcome());
        assertEquals("1-a{unavailable}(2-b{unavailable}(3-c(4-d)))", merge.tree().toString());
    }

    @Test
    void pathJoiningTwoStemmedTreesOfOneBranchMakesOneTree() {
        RevTree forest = tree(path(1, "a"), path(3, "c"));

        RevTree.Merge merge = forest.merge(path(4, "d", "c", "b", "a"));

        assertEquals("1-a(2-b{unavailable}(3-c(4-d)))", merge.tree().toString());
        assertEquals(4, merge.tree().size());
    }

    @Test
    void pathUnderABranchPointWhoseLeafWasAStemmedRootIsNewBranch() {
        // CouchDB merges into the tree holding 1-a, where 2-b is a new sibling of 2-z.
        RevTree forest = tree(path(2, "z", "a"), path(3, "c"));

        RevTree.Merge merge = forest.merge(path(3, "c", "b", "a"));

        assertEquals(NEW_BRANCH, merge.outcome());
        assertEquals("1-a{unavailable}(2-b{unavailable}(3-c), 2-z)", merge.tree().toString());
    }

    @Test
    void bodyArrivingForARevisionKnownOnlyByIdIsKept() {
        RevTree tree = tree(path(2, "b", "a"));
        assertEquals(java.util.Optional.of(RevStatus.MISSING), tree.status(rev("1-a")));

        RevTree.Merge merge = tree.merge(path(1, "a"));

        assertEquals(ALREADY_PRESENT, merge.outcome());
        assertEquals(java.util.Optional.of(RevStatus.AVAILABLE), merge.tree().status(rev("1-a")));
    }

    @Test
    void storedStatusWinsOverAnotherStatusWithoutBody() {
        RevTree tree = tree(new RevPath(1, List.of("a"), RevStatus.DELETED));

        RevTree.Merge merge = tree.merge(new RevPath(1, List.of("a"), RevStatus.AVAILABLE));

        assertSame(tree, merge.tree());
        assertEquals(java.util.Optional.of(RevStatus.DELETED), merge.tree().status(rev("1-a")));
    }

    @Test
    void ancestorsAlreadyStoredKeepTheirStatus() {
        RevTree tree = tree(path(1, "a"));

        RevTree merged = tree.merge(path(2, "b", "a")).tree();

        assertEquals(java.util.Optional.of(RevStatus.AVAILABLE), merged.status(rev("1-a")));
        assertEquals(java.util.Optional.of(RevStatus.AVAILABLE), merged.status(rev("2-b")));
    }

    @Test
    void pathContradictingStoredAncestryKeepsTheStoredAncestry() {
        RevTree tree = tree(path(2, "x", "a"));

        RevTree.Merge merge = tree.merge(path(3, "y", "x", "b"));

        assertEquals(NEW_LEAF, merge.outcome());
        assertEquals("1-a{unavailable}(2-x(3-y))", merge.tree().toString());
        assertEquals(false, merge.tree().contains(rev("1-b")));
    }

    private static List<Rev> revsOf(List<Leaf> leaves) {
        return leaves.stream().map(Leaf::rev).toList();
    }
}
