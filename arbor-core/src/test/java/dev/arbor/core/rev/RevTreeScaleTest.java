package dev.arbor.core.rev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Long histories. Nothing recurses, so depth cannot overflow the stack; stemming keeps what each write handles the
 * same size however many writes came before, which is what keeps a long run of edits linear. That is asserted on
 * the trees themselves, not on a clock: how fast it runs is the benchmarks' business, and a time limit here would
 * fail on a busy machine.
 */
class RevTreeScaleTest {

    @Test
    void historyOfAHundredThousandRevisionsIsHandledWithoutRecursion() {
        int depth = 100_000;
        List<String> hashes = RevTreeCodecTest.md5Hashes(depth);

        RevTree tree = RevTree.empty().merge(new RevPath(depth, hashes, RevStatus.AVAILABLE)).tree();
        RevTree decoded = RevTree.decode(tree.encode());

        assertEquals(tree, decoded);
        assertEquals(depth, decoded.ancestry(decoded.winner().rev()).size());
        assertEquals(1000, decoded.stem(1000).size());
        assertEquals(depth, decoded.toString().chars().filter(c -> c == '(').count() + 1);
    }

    @Test
    void thousandsOfEditsOnAStemmedThousandRevisionHistoryStayLinear() {
        List<String> hashes = RevTreeCodecTest.md5Hashes(1000);
        RevTree tree = RevTree.empty().merge(new RevPath(1000, hashes, RevStatus.AVAILABLE)).tree();
        int storedBytes = tree.encode().length;

        // What the engine does on each write: decode, merge the edit, stem, read the winner, encode.
        for (int i = 0; i < 5000; i++) {
            byte[] encoded = tree.encode();
            assertTrue(encoded.length <= storedBytes + 16, "edit " + i + ": the stored tree grew to " + encoded.length + " bytes");
            RevTree stored = RevTree.decode(encoded);
            Rev parent = stored.winner().rev();
            String hash = RevHasher.newRevHash(false, parent, ("{\"i\":" + i + "}").getBytes(java.nio.charset.StandardCharsets.UTF_8), List.of());
            RevTree.Merge merge = stored.merge(RevPath.edit(parent, hash, RevStatus.AVAILABLE));
            assertEquals(RevTree.Outcome.NEW_LEAF, merge.outcome());
            tree = merge.tree().compacted().stem(1000);
            assertEquals(1000, tree.size(), "edit " + i + ": stemming keeps the history at its limit");
        }

        assertEquals(6000, tree.winner().rev().pos());
    }
}
