package dev.arbor.core.rev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Long histories. Nothing recurses, so depth cannot overflow the stack; the time limits are generous
 * bounds that only a quadratic algorithm would break.
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
        RevTree start = RevTree.empty().merge(new RevPath(1000, hashes, RevStatus.AVAILABLE)).tree();

        RevTree end = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            RevTree tree = start;
            // What the engine does on each write: decode, merge the edit, stem, read the winner, encode.
            for (int i = 0; i < 5000; i++) {
                RevTree stored = RevTree.decode(tree.encode());
                Rev parent = stored.winner().rev();
                String hash = RevHasher.newRevHash(false, parent, ("{\"i\":" + i + "}").getBytes(java.nio.charset.StandardCharsets.UTF_8), List.of());
                RevTree.Merge merge = stored.merge(RevPath.edit(parent, hash, RevStatus.AVAILABLE));
                assertEquals(RevTree.Outcome.NEW_LEAF, merge.outcome());
                tree = merge.tree().compacted().stem(1000);
            }
            return tree;
        });

        assertEquals(1000, end.size());
        assertEquals(6000, end.winner().rev().pos());
    }
}
