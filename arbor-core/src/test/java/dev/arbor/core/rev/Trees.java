package dev.arbor.core.rev;

import java.util.List;

/** Short ways to write revision trees in tests, close to couch_key_tree_tests' notation. */
final class Trees {
    private Trees() {}

    static Rev rev(String text) {
        return Rev.parse(text);
    }

    static List<Rev> revs(String... texts) {
        return java.util.Arrays.stream(texts).map(Rev::parse).toList();
    }

    /** A path whose leaf has a stored body: {@code path(3, "c", "b", "a")} is 1-a, 2-b, 3-c. */
    static RevPath path(long leafPos, String... hashesNewestFirst) {
        return new RevPath(leafPos, List.of(hashesNewestFirst), RevStatus.AVAILABLE);
    }

    /** A path whose leaf is a tombstone. */
    static RevPath deletedPath(long leafPos, String... hashesNewestFirst) {
        return new RevPath(leafPos, List.of(hashesNewestFirst), RevStatus.DELETED);
    }

    /** The tree made by merging the paths in order into an empty tree. */
    static RevTree tree(RevPath... paths) {
        RevTree tree = RevTree.empty();
        for (RevPath path : paths) {
            tree = tree.merge(path).tree();
        }
        return tree;
    }
}
