package dev.arbor.core.rev;

import static dev.arbor.core.rev.Trees.deletedPath;
import static dev.arbor.core.rev.Trees.path;
import static dev.arbor.core.rev.Trees.rev;
import static dev.arbor.core.rev.Trees.revs;
import static dev.arbor.core.rev.Trees.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Reading a tree: winner and conflicts (couch_doc:to_doc_info), leaves, ancestry, revs_info, latest, revs_diff. */
class RevTreeQueryTest {

    private static final RevTree TWO_CHILD_SIBS = tree(path(2, "1a", "1"), path(2, "1b", "1"));

    @Test
    void emptyTreeHasNoWinner() {
        assertThrows(IllegalStateException.class, () -> RevTree.empty().winner());
        assertEquals(List.of(), RevTree.empty().leaves());
        assertTrue(RevTree.empty().isEmpty());
    }

    @Test
    void conflictingEditsKeepBothLeavesAndPickHigherHash() {
        RevTree tree = tree(path(2, "b1", "a"), path(2, "b2", "a"));

        assertEquals(rev("2-b2"), tree.winner().rev());
        assertEquals(revs("2-b1"), tree.conflicts());
        assertEquals(List.of(), tree.deletedConflicts());
    }

    @Test
    void longerBranchWinsOverHigherHash() {
        RevTree tree = tree(path(3, "c", "b1", "a"), path(2, "zz", "a"));

        assertEquals(rev("3-c"), tree.winner().rev());
        assertEquals(revs("2-zz"), tree.conflicts());
    }

    @Test
    void liveLeafWinsOverLongerDeletedBranch() {
        RevTree tree = tree(deletedPath(4, "d", "c", "b", "a"), path(2, "x", "a"));

        Leaf winner = tree.winner();

        assertEquals(rev("2-x"), winner.rev());
        assertFalse(winner.deleted());
        assertEquals(List.of(), tree.conflicts());
        assertEquals(revs("4-d"), tree.deletedConflicts());
    }

    @Test
    void whenEveryLeafIsDeletedTheHighestDeletedWins() {
        RevTree tree = tree(deletedPath(3, "c", "b", "a"), deletedPath(3, "d", "b", "a"), deletedPath(2, "z", "a"));

        Leaf winner = tree.winner();

        assertEquals(new Leaf(rev("3-d"), RevStatus.DELETED), winner);
        assertEquals(revs("3-c", "2-z"), tree.deletedConflicts());
        assertEquals(List.of(), tree.conflicts());
    }

    @Test
    void leavesAreSortedWinnerFirstLiveBeforeDeleted() {
        RevTree tree = tree(path(2, "b", "a"), path(3, "d", "c", "a"), deletedPath(5, "h", "g", "f", "e", "a"),
                path(2, "c2", "a"), deletedPath(2, "z", "a"));

        List<Rev> order = tree.leaves().stream().map(Leaf::rev).toList();

        assertEquals(revs("3-d", "2-c2", "2-b", "5-h", "2-z"), order);
        assertEquals(order.get(0), tree.winner().rev());
        assertEquals(revs("2-c2", "2-b"), tree.conflicts());
        assertEquals(revs("5-h", "2-z"), tree.deletedConflicts());
    }

    @Test
    void leafCountsFollowTheTreeShape() {
        assertEquals(1, tree(path(1, "1")).leaves().size());
        assertEquals(2, TWO_CHILD_SIBS.leaves().size());
        assertEquals(1, tree(path(3, "1bb")).leaves().size());
    }

    @Test
    void leavesOfAStemmedTreeCarryTheirPositions() {
        RevTree stemmed = tree(path(3, "1aa", "1a"));

        assertEquals(List.of(new Leaf(rev("3-1aa"), RevStatus.AVAILABLE)), stemmed.leaves());
        assertEquals(revs("3-1aa", "2-1a"), stemmed.ancestry(rev("3-1aa")));
    }

    @Test
    void ancestryOfAnInternalNodeStopsAtTheRoot() {
        assertEquals(revs("1-1"), TWO_CHILD_SIBS.ancestry(rev("1-1")));
        assertEquals(revs("2-1a", "1-1"), TWO_CHILD_SIBS.ancestry(rev("2-1a")));
        assertEquals(List.of(), TWO_CHILD_SIBS.ancestry(rev("2-nope")));
    }

    @Test
    void containsAndStatusAndIsLeafAnswerForEveryKindOfNode() {
        assertTrue(TWO_CHILD_SIBS.contains(rev("1-1")));
        assertFalse(TWO_CHILD_SIBS.contains(rev("2-1")));
        assertFalse(TWO_CHILD_SIBS.isLeaf(rev("1-1")));
        assertTrue(TWO_CHILD_SIBS.isLeaf(rev("2-1b")));
        assertFalse(TWO_CHILD_SIBS.isLeaf(rev("3-x")));
        assertEquals(Optional.of(RevStatus.MISSING), TWO_CHILD_SIBS.status(rev("1-1")));
        assertEquals(Optional.empty(), TWO_CHILD_SIBS.status(rev("9-x")));
        assertEquals(3, TWO_CHILD_SIBS.size());
    }

    @Test
    void missingFindsRevisionsTheTreeLacks() {
        assertEquals(List.of(), TWO_CHILD_SIBS.missing(revs("1-1", "2-1a")));
        assertEquals(revs("1-10", "100-x"), TWO_CHILD_SIBS.missing(revs("1-1", "1-10", "2-1a", "100-x")));

        RevTree stemmed = tree(path(3, "1aa", "1a"));
        assertEquals(revs("1-1", "100-x"), stemmed.missing(revs("1-1", "2-1a", "100-x")));
        RevTree stemmedToLeaf = tree(path(3, "1aa"));
        assertEquals(revs("1-1", "2-1a", "100-x"), stemmedToLeaf.missing(revs("1-1", "2-1a", "100-x")));
    }

    @Test
    void revsInfoReportsAvailableDeletedAndMissing() {
        RevTree tree = tree(path(1, "a"), path(2, "b", "a"), deletedPath(4, "d", "c", "b", "a"));

        assertEquals(List.of(
                new RevInfo(rev("4-d"), "deleted"),
                new RevInfo(rev("3-c"), "missing"),
                new RevInfo(rev("2-b"), "available"),
                new RevInfo(rev("1-a"), "available")), tree.revsInfo(rev("4-d")));
        assertEquals(List.of(), tree.revsInfo(rev("9-z")));
    }

    @Test
    void compactedDeletedAncestorIsReportedMissingLikeCouchDb() {
        RevTree tree = tree(deletedPath(1, "a"), path(2, "b", "a")).compacted();

        assertEquals(Optional.of(new RevStatus(true, false)), tree.status(rev("1-a")));
        assertEquals(new RevInfo(rev("1-a"), "missing"), tree.revsInfo(rev("2-b")).get(1));
    }

    @Test
    void leavesDescendingFromFindsEveryLeafBelow() {
        RevTree tree = tree(path(3, "c", "b", "a"), path(3, "d", "b", "a"), path(2, "x", "a"), path(1, "other"));

        assertEquals(revs("3-d", "3-c", "2-x"), tree.leavesDescendingFrom(rev("1-a")));
        assertEquals(revs("3-d", "3-c"), tree.leavesDescendingFrom(rev("2-b")));
        assertEquals(revs("2-x"), tree.leavesDescendingFrom(rev("2-x")));
        assertEquals(revs("1-other"), tree.leavesDescendingFrom(rev("1-other")));
        assertEquals(List.of(), tree.leavesDescendingFrom(rev("2-nope")));
    }

    @Test
    void leavesDescendingFromTheRootOfAForestStaysInItsOwnTree() {
        RevTree forest = tree(path(2, "1a", "1"), path(2, "1b", "1"));

        assertEquals(revs("2-1b", "2-1a"), forest.leavesDescendingFrom(rev("1-1")));
    }

    @Test
    void possibleAncestorsAreLeavesWithLowerPosInCouchDbOrder() {
        RevTree tree = tree(path(2, "b", "a"), path(3, "d", "c", "a"), deletedPath(2, "z", "a"), path(5, "e5", "e4", "e3"));

        // The leaves winner first are 5-e5, 3-d, 2-b, 2-z; CouchDB lists the qualifying ones reversed.
        assertEquals(revs("2-z", "2-b", "3-d"), tree.possibleAncestors(rev("4-q")));
        assertEquals(revs("2-z", "2-b"), tree.possibleAncestors(rev("3-q")));
        assertEquals(List.of(), tree.possibleAncestors(rev("2-q")));
        assertEquals(revs("2-z", "2-b", "3-d"), tree.possibleAncestors(revs("3-q", "4-r", "1-s")));
    }

    @Test
    void revsListsEveryRevisionAndRootsTheStartOfEachTree() {
        RevTree forest = tree(path(3, "c", "b"), path(2, "x", "w"));

        assertEquals(revs("1-w", "2-b", "2-x", "3-c"), forest.revs());
        assertEquals(revs("1-w", "2-b"), forest.roots());
    }
}
