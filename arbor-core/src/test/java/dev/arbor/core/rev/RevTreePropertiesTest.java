package dev.arbor.core.rev;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Properties over random histories. A {@link History} is the true edit history of a document (each
 * revision with one parent); replicas see it as paths from some revisions up towards the root,
 * sometimes cut short as a stemmed replica would send them.
 */
class RevTreePropertiesTest {

    @Property
    void encodingRoundTripsExactly(@ForAll long seed, @ForAll @IntRange(min = 0, max = 60) int size,
                                   @ForAll @IntRange(min = 1, max = 8) int revsLimit) {
        History history = History.random(new Random(seed), size);
        RevTree tree = merge(RevTree.empty(), history.paths(new Random(seed + 1)));

        for (RevTree variant : List.of(tree, tree.stem(revsLimit), tree.compacted())) {
            byte[] bytes = variant.encode();
            RevTree decoded = RevTree.decode(bytes);
            assertEquals(variant, decoded);
            assertEquals(variant.hashCode(), decoded.hashCode());
            assertArrayEquals(bytes, decoded.encode());
            assertEquals(variant.leaves(), decoded.leaves());
        }
    }

    @Property
    void mergeOrderDoesNotMatter(@ForAll long seed, @ForAll @IntRange(min = 1, max = 40) int size) {
        History history = History.random(new Random(seed), size);
        List<RevPath> paths = history.paths(new Random(seed + 1));
        List<RevPath> shuffled = new ArrayList<>(paths);
        Collections.shuffle(shuffled, new Random(seed + 2));

        assertEquals(merge(RevTree.empty(), paths), merge(RevTree.empty(), shuffled));
    }

    @Property
    void fullPathsRebuildTheTrueHistory(@ForAll long seed, @ForAll @IntRange(min = 1, max = 40) int size) {
        History history = History.random(new Random(seed), size);

        RevTree tree = merge(RevTree.empty(), history.fullLeafPaths());

        assertEquals(history.size(), tree.size());
        for (int i = 0; i < history.size(); i++) {
            assertEquals(history.ancestry(i), tree.ancestry(history.revs.get(i)));
        }
        assertEquals(history.leafCount(), tree.leaves().size());
    }

    @Property
    void mergingAPathAgainChangesNothing(@ForAll long seed, @ForAll @IntRange(min = 1, max = 40) int size) {
        History history = History.random(new Random(seed), size);
        List<RevPath> paths = history.paths(new Random(seed + 1));
        RevTree tree = merge(RevTree.empty(), paths);

        for (RevPath path : paths) {
            RevTree.Merge again = tree.merge(path);
            assertEquals(RevTree.Outcome.ALREADY_PRESENT, again.outcome());
            assertSame(tree, again.tree());
        }
    }

    @Property
    void mergedPathIsTheNewestPartOfItsLeafsAncestry(@ForAll long seed, @ForAll @IntRange(min = 1, max = 40) int size) {
        History history = History.random(new Random(seed), size);
        RevTree tree = RevTree.empty();
        for (RevPath path : history.paths(new Random(seed + 1))) {
            RevTree before = tree;
            RevTree.Merge merge = tree.merge(path);
            tree = merge.tree();
            List<Rev> ancestry = tree.ancestry(path.leaf());
            assertTrue(ancestry.size() >= path.hashes().size());
            for (int i = 0; i < path.hashes().size(); i++) {
                assertEquals(new Rev(path.leafPos() - i, path.hashes().get(i)), ancestry.get(i));
            }
            // A new leaf is never reported as present; a known leaf may still extend a tree that lacked
            // the revisions between it and an older one (CouchDB's new_leaf for a path bridging a gap).
            if (!before.contains(path.leaf())) {
                assertEquals(before.isEmpty() ? RevTree.Outcome.NEW_LEAF : merge.outcome(), merge.outcome());
                assertTrue(merge.outcome() != RevTree.Outcome.ALREADY_PRESENT);
            }
        }
    }

    @Property
    void stemKeepsExactlyTheRevisionsNearALeaf(@ForAll long seed, @ForAll @IntRange(min = 1, max = 40) int size,
                                               @ForAll @IntRange(min = 1, max = 6) int revsLimit) {
        RevTree tree = merge(RevTree.empty(), History.random(new Random(seed), size).paths(new Random(seed + 1)));

        RevTree stemmed = tree.stem(revsLimit);

        assertEquals(tree.leaves(), stemmed.leaves());
        Set<Rev> nearALeaf = new HashSet<>();
        for (Leaf leaf : tree.leaves()) {
            List<Rev> ancestry = tree.ancestry(leaf.rev());
            nearALeaf.addAll(ancestry.subList(0, Math.min(revsLimit, ancestry.size())));
        }
        assertEquals(nearALeaf, new HashSet<>(stemmed.revs()));
        for (Rev rev : stemmed.revs()) {
            assertEquals(tree.status(rev), stemmed.status(rev));
        }
        assertEquals(stemmed, stemmed.stem(revsLimit));
    }

    @Property
    void stemmedHistoryIsRestoredByMergingItsPathsAgain(@ForAll long seed, @ForAll @IntRange(min = 1, max = 40) int size,
                                                        @ForAll @IntRange(min = 1, max = 4) int revsLimit) {
        List<RevPath> paths = History.random(new Random(seed), size).paths(new Random(seed + 1));
        RevTree tree = merge(RevTree.empty(), paths);

        assertEquals(tree, merge(tree.stem(revsLimit), paths));
    }

    @Property
    void winnerLeadsTheLeavesAndConflictsAccountForTheRest(@ForAll long seed, @ForAll @IntRange(min = 1, max = 40) int size) {
        RevTree tree = merge(RevTree.empty(), History.random(new Random(seed), size).paths(new Random(seed + 1)));

        List<Leaf> leaves = tree.leaves();
        assertEquals(leaves.get(0), tree.winner());
        for (int i = 1; i < leaves.size(); i++) {
            Leaf before = leaves.get(i - 1);
            Leaf after = leaves.get(i);
            assertTrue(before.deleted() ? after.deleted() : after.deleted() || before.rev().compareTo(after.rev()) > 0);
            if (before.deleted() == after.deleted()) {
                assertTrue(before.rev().compareTo(after.rev()) > 0);
            }
        }
        assertEquals(leaves.size() - 1, tree.conflicts().size() + tree.deletedConflicts().size());
    }

    @Property
    void removingEveryLeafRemovesEverything(@ForAll long seed, @ForAll @IntRange(min = 1, max = 40) int size) {
        RevTree tree = merge(RevTree.empty(), History.random(new Random(seed), size).paths(new Random(seed + 1)));

        RevTree.Removal removal = tree.removeLeaves(tree.leaves().stream().map(Leaf::rev).toList());

        assertTrue(removal.tree().isEmpty());
        assertEquals(tree.revs(), removal.removed());
    }

    @Property
    void removingALeafKeepsEveryOtherLeafWithItsAncestry(@ForAll long seed, @ForAll @IntRange(min = 1, max = 40) int size) {
        RevTree tree = merge(RevTree.empty(), History.random(new Random(seed), size).paths(new Random(seed + 1)));
        Rev purged = tree.leaves().get(new Random(seed).nextInt(tree.leaves().size())).rev();

        RevTree.Removal removal = tree.removeLeaves(List.of(purged));

        for (Leaf leaf : tree.leaves()) {
            if (!leaf.rev().equals(purged)) {
                assertEquals(tree.ancestry(leaf.rev()), removal.tree().ancestry(leaf.rev()));
            }
        }
        assertEquals(tree.size(), removal.tree().size() + removal.removed().size());
        assertTrue(removal.removed().contains(purged));
    }

    private static RevTree merge(RevTree tree, List<RevPath> paths) {
        for (RevPath path : paths) {
            tree = tree.merge(path).tree();
        }
        return tree;
    }

    /** A document's true history: revision i has parent parents[i] (-1 for a root) and a fixed status. */
    private static final class History {
        final List<Rev> revs = new ArrayList<>();
        final List<Integer> parents = new ArrayList<>();
        final List<RevStatus> statuses = new ArrayList<>();

        static History random(Random random, int size) {
            History history = new History();
            Set<Rev> used = new HashSet<>();
            for (int i = 0; i < size; i++) {
                boolean root = i == 0 || random.nextInt(6) == 0;
                int parent = root ? -1 : random.nextInt(i);
                long pos = root ? 1 + random.nextInt(3) : history.revs.get(parent).pos() + 1;
                Rev rev;
                do {
                    rev = new Rev(pos, randomHash(random));
                } while (!used.add(rev));
                history.revs.add(rev);
                history.parents.add(parent);
                history.statuses.add(RevStatus.of(random.nextInt(4) == 0, random.nextInt(5) != 0));
            }
            return history;
        }

        private static String randomHash(Random random) {
            return switch (random.nextInt(6)) {
                case 0, 1, 2 -> String.format("%016x%016x", random.nextLong(), random.nextLong());
                case 3 -> Integer.toHexString(0x100 + random.nextInt(0xF00)).substring(0, 2);
                case 4 -> "r" + random.nextInt(50);
                default -> List.of("A", "Ü", "x-y", "😀", "abc").get(random.nextInt(5)) + random.nextInt(10);
            };
        }

        int size() {
            return revs.size();
        }

        boolean isLeaf(int i) {
            return !parents.contains(i);
        }

        int leafCount() {
            int count = 0;
            for (int i = 0; i < size(); i++) {
                count += isLeaf(i) ? 1 : 0;
            }
            return count;
        }

        List<Rev> ancestry(int i) {
            List<Rev> result = new ArrayList<>();
            for (; i >= 0; i = parents.get(i)) {
                result.add(revs.get(i));
            }
            return result;
        }

        /** A path from revision i up to at most {@code length} revisions. */
        RevPath path(int i, int length) {
            List<Rev> ancestry = ancestry(i);
            List<String> hashes = ancestry.subList(0, Math.min(length, ancestry.size())).stream().map(Rev::hash).toList();
            return new RevPath(revs.get(i).pos(), hashes, statuses.get(i));
        }

        List<RevPath> fullLeafPaths() {
            List<RevPath> paths = new ArrayList<>();
            for (int i = 0; i < size(); i++) {
                if (isLeaf(i)) {
                    paths.add(path(i, Integer.MAX_VALUE));
                }
            }
            return paths;
        }

        /** Paths to every leaf and to some inner revisions, some cut short at the top. */
        List<RevPath> paths(Random random) {
            List<RevPath> paths = new ArrayList<>();
            for (int i = 0; i < size(); i++) {
                if (isLeaf(i) || random.nextInt(4) == 0) {
                    paths.add(path(i, random.nextInt(3) == 0 ? 1 + random.nextInt(3) : Integer.MAX_VALUE));
                }
            }
            return paths;
        }
    }
}
