package dev.arbor.core.rev;

import static dev.arbor.core.rev.Trees.path;
import static dev.arbor.core.rev.Trees.revs;
import static dev.arbor.core.rev.Trees.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Purging leaves, following couch_key_tree_tests ("remove tree leaves"). Unlike CouchDB's
 * remove_leafs, {@code removed} lists every revision dropped, ancestors included.
 */
class RevTreeRemoveLeavesTest {

    private static final RevTree TWO_CHILD_SIBS = tree(path(2, "1a", "1"), path(2, "1b", "1"));
    private static final RevTree STEMMED = tree(path(3, "1aa", "1a"));

    @Test
    void removingNoLeavesHasNoEffect() {
        RevTree.Removal removal = TWO_CHILD_SIBS.removeLeaves(List.of());

        assertSame(TWO_CHILD_SIBS, removal.tree());
        assertEquals(List.of(), removal.removed());
    }

    @Test
    void removingAnInternalNodeHasNoEffect() {
        RevTree.Removal removal = TWO_CHILD_SIBS.removeLeaves(revs("1-1"));

        assertSame(TWO_CHILD_SIBS, removal.tree());
        assertEquals(List.of(), removal.removed());
    }

    @Test
    void removingAnUnknownRevisionHasNoEffect() {
        assertEquals(List.of(), TWO_CHILD_SIBS.removeLeaves(revs("2-nope", "7-x")).removed());
    }

    @Test
    void removingOneOfTwoLeavesKeepsTheSharedAncestor() {
        RevTree.Removal removal = TWO_CHILD_SIBS.removeLeaves(revs("2-1b"));

        assertEquals(tree(path(2, "1a", "1")), removal.tree());
        assertEquals(revs("2-1b"), removal.removed());
    }

    @Test
    void removingAllLeavesEmptiesTheTree() {
        RevTree.Removal removal = TWO_CHILD_SIBS.removeLeaves(revs("2-1b", "2-1a"));

        assertTrue(removal.tree().isEmpty());
        assertEquals(revs("1-1", "2-1a", "2-1b"), removal.removed());
    }

    @Test
    void removingAnInternalNodeOfAStemmedTreeHasNoEffect() {
        RevTree.Removal removal = STEMMED.removeLeaves(revs("2-1a"));

        assertSame(STEMMED, removal.tree());
        assertEquals(List.of(), removal.removed());
    }

    @Test
    void removingTheLastLeafOfAStemmedTreeDropsItsAncestorsToo() {
        RevTree.Removal removal = STEMMED.removeLeaves(revs("3-1aa"));

        assertTrue(removal.tree().isEmpty());
        assertEquals(revs("2-1a", "3-1aa"), removal.removed());
    }

    @Test
    void removingALeafDropsOnlyTheAncestorsNoOtherLeafNeeds() {
        RevTree tree = tree(path(4, "d", "c", "b", "a"), path(2, "x", "a"));

        RevTree.Removal removal = tree.removeLeaves(revs("4-d"));

        assertEquals(revs("2-b", "3-c", "4-d"), removal.removed());
        assertEquals("1-a{unavailable}(2-x)", removal.tree().toString());
        assertEquals(revs("2-x"), removal.tree().leaves().stream().map(Leaf::rev).toList());
    }
}
