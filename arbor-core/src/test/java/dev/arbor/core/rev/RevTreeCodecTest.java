package dev.arbor.core.rev;

import static dev.arbor.core.rev.Trees.path;
import static dev.arbor.core.rev.Trees.tree;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The binary form: exact round trips, its size, and refusal of corrupt bytes. */
class RevTreeCodecTest {

    @Test
    void emptyTreeRoundTrips() {
        assertEquals(RevTree.empty(), RevTree.decode(RevTree.empty().encode()));
    }

    @Test
    void treeOfEveryHashKindAndStatusRoundTrips() {
        RevTree tree = tree(
                path(3, "0123456789abcdef0123456789abcdef", "ab", "Not-Hex"),
                new RevPath(3, List.of("ABCDEF", "ab", "Not-Hex"), RevStatus.DELETED),
                path(2, "abc", "zz"),
                path(7, "ünïcødé-😀", "0123456789abcdef0123456789abcdefff"),
                path(1, ""))
                .withStatus(Trees.rev("2-ab"), new RevStatus(true, false));

        RevTree decoded = RevTree.decode(tree.encode());

        assertEquals(tree, decoded);
        assertEquals(tree.toString(), decoded.toString());
        assertArrayEquals(tree.encode(), decoded.encode());
    }

    @Test
    void linearHistoryOfAThousandMd5RevisionsTakesSeventeenBytesEach() {
        RevTree tree = RevTree.empty().merge(new RevPath(1000, md5Hashes(1000), RevStatus.AVAILABLE)).tree();

        byte[] bytes = tree.encode();

        // One header byte and sixteen hash bytes a revision, plus a few bytes of preamble.
        assertTrue(bytes.length <= 1000 * 17 + 8, "encoded size " + bytes.length);
        assertEquals(tree, RevTree.decode(bytes));
    }

    @Test
    void aSinglePathIsToldFromTheBytesAndAnyBranchOrSecondRootIsNot() {
        assertTrue(RevTree.isSinglePath(RevTree.empty().encode()));
        assertTrue(RevTree.isSinglePath(tree(path(3, "0123456789abcdef0123456789abcdef", "ab", "Not-Hex")).encode()));
        assertTrue(RevTree.isSinglePath(RevTree.empty().merge(new RevPath(1000, md5Hashes(1000), RevStatus.AVAILABLE)).tree().encode()));
        org.junit.jupiter.api.Assertions.assertFalse(RevTree.isSinglePath(tree(path(3, "c", "b", "a"), path(2, "x", "a")).encode()));
        org.junit.jupiter.api.Assertions.assertFalse(RevTree.isSinglePath(tree(path(2, "aa", "bb"), path(5, "cc", "dd")).encode()));
    }

    @Test
    void stemmedForestRoundTripsWithItsPositions() {
        RevTree tree = tree(path(1_000_000_000_000L, "aa", "bb"), path(5, "cc", "dd"), path(2, "ee")).stem(1);

        assertEquals(tree, RevTree.decode(tree.encode()));
        assertEquals(Trees.revs("2-ee", "5-cc", "1000000000000-aa"), RevTree.decode(tree.encode()).roots());
    }

    @Test
    void corruptBytesAreRejected() {
        byte[] good = tree(path(3, "c", "b", "a"), path(2, "x", "a")).encode();

        assertThrows(IllegalArgumentException.class, () -> RevTree.decode(new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> RevTree.decode(new byte[] {9, 0}));
        assertThrows(IllegalArgumentException.class, () -> RevTree.decode(Arrays.copyOf(good, good.length - 1)));
        assertThrows(IllegalArgumentException.class, () -> RevTree.decode(Arrays.copyOf(good, good.length + 1)));
        byte[] outOfRangeParent = good.clone();
        outOfRangeParent[2] = (byte) (1 << 4 | outOfRangeParent[2] & 0x0F); // the first node claims a parent
        assertThrows(IllegalArgumentException.class, () -> RevTree.decode(outOfRangeParent));
        assertThrows(IllegalArgumentException.class, () -> RevTree.decode(new byte[] {1, (byte) 0xFF, (byte) 0xFF, 0x7F}));
    }

    static List<String> md5Hashes(int count) {
        List<String> hashes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            hashes.add(RevHasher.newRevHash(false, null, ("{\"i\":" + i + "}").getBytes(java.nio.charset.StandardCharsets.UTF_8), List.of()));
        }
        return hashes;
    }
}
