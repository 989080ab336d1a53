package dev.arbor.core.rev;

import static dev.arbor.core.rev.Trees.deletedPath;
import static dev.arbor.core.rev.Trees.path;
import static dev.arbor.core.rev.Trees.rev;
import static dev.arbor.core.rev.Trees.revs;
import static dev.arbor.core.rev.Trees.tree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which bodies compaction may drop, and the tree after it drops them. */
class RevTreeCompactionTest {

    // Every revision was written with its body: 1-a, 2-b (deleted), 3-c, and the conflict 2-x.
    private static final RevTree WRITTEN = tree(path(1, "a"), deletedPath(2, "b", "a"), path(3, "c", "b", "a"),
            path(2, "x", "a"));

    @Test
    void availableNonLeavesAreTheBodiesNoLeafIsReadFrom() {
        assertEquals(revs("1-a", "2-b"), WRITTEN.availableNonLeaves());
    }

    @Test
    void compactionMarksNonLeavesUnavailableAndKeepsDeletedFlags() {
        RevTree compacted = WRITTEN.compacted();

        assertEquals(Optional.of(RevStatus.MISSING), compacted.status(rev("1-a")));
        assertEquals(Optional.of(new RevStatus(true, false)), compacted.status(rev("2-b")));
        assertEquals(Optional.of(RevStatus.AVAILABLE), compacted.status(rev("3-c")));
        assertEquals(Optional.of(RevStatus.AVAILABLE), compacted.status(rev("2-x")));
        assertEquals(List.of(), compacted.availableNonLeaves());
        assertSame(compacted, compacted.compacted());
    }

    @Test
    void withStatusChangesOneRevisionOnly() {
        RevTree changed = WRITTEN.withStatus(rev("1-a"), RevStatus.MISSING);

        assertEquals(Optional.of(RevStatus.MISSING), changed.status(rev("1-a")));
        assertEquals(revs("2-b"), changed.availableNonLeaves());
        assertEquals(Optional.of(RevStatus.AVAILABLE), WRITTEN.status(rev("1-a")));
        assertSame(WRITTEN, WRITTEN.withStatus(rev("3-c"), RevStatus.AVAILABLE));
    }

    @Test
    void withStatusOfAnUnknownRevisionIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> WRITTEN.withStatus(rev("9-z"), RevStatus.MISSING));
    }
}
