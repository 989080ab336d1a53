package dev.arbor.core.rev;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The edit history of one document: an immutable forest of revisions, with the semantics of CouchDB's
 * {@code couch_key_tree}. A forest rather than a tree because stemming cuts old roots away (leaving
 * several roots when branches split below the cut) and because replication may bring in histories
 * that share no known ancestor.
 *
 * <h2>Representation</h2>
 * The nodes live in parallel arrays sorted by (pos, hash), each with the index of its parent or -1 for
 * a root. That order is canonical (two equal trees have equal arrays), finds a revision by binary
 * search, and puts every parent before its children (a parent's pos is one less), so each whole-tree
 * operation is one forward or backward pass with no recursion, however deep the history. A write
 * decodes, merges, stems and encodes in time linear in the size of the tree.
 *
 * <h2>Where this differs from couch_key_tree</h2>
 * CouchDB merges a path into the first stored tree it lines up with and leaves any overlap with other
 * stored trees to be cleaned up by its next {@code stem} ({@code repair_tree}). Here a merge joins
 * every stored tree the path touches at once, so a revision is never stored twice; the result equals
 * CouchDB's after its stem. A path that contradicts the stored history (a revision arriving with a
 * different parent than the one already recorded, which needs forged revision ids) keeps the stored
 * ancestry and drops the path's older part; CouchDB would store the revision twice instead.
 */
public final class RevTree {

    /** The outcome of {@link #merge}: CouchDB's {@code new_leaf}, {@code new_branch} and {@code internal_node}. */
    public enum Outcome {
        /** The path's leaf is new and extends an existing leaf (or the tree was empty). */
        NEW_LEAF,
        /** The path's leaf is new and starts a new branch: a sibling of existing children, or a new root. */
        NEW_BRANCH,
        /** The path's leaf was already in the tree; at most some statuses or links to older ancestors changed. */
        ALREADY_PRESENT
    }

    /** The tree after a merge, and how the path related to the tree before it. */
    public record Merge(RevTree tree, Outcome outcome) {}

    /**
     * The tree after a purge, and every revision dropped from it: the removed leaves and the
     * ancestors no remaining leaf needed. (CouchDB's {@code remove_leafs} reports only the leaves;
     * those are the members of {@code removed} that were asked for.)
     */
    public record Removal(RevTree tree, List<Rev> removed) {}

    static final byte AVAILABLE_FLAG = 1;
    static final byte DELETED_FLAG = 2;

    /** Leaves winner first: live before deleted, then higher pos, then higher hash. */
    private static final Comparator<Leaf> WINNER_FIRST =
            Comparator.comparing((Leaf leaf) -> !leaf.deleted()).thenComparing(Leaf::rev).reversed();

    private static final RevTree EMPTY = new RevTree(new long[0], new String[0], new byte[0], new int[0]);

    private final long[] positions;
    private final String[] hashes;
    private final byte[] flags;
    private final int[] parents;
    private final boolean[] leaf;
    /** The winner, computed on first use: every read asks for it, and the scan is over every revision. Racy but idempotent. */
    private Leaf winner;

    /** Takes ownership of the arrays, which must be sorted by (pos, hash) with parents before children. */
    RevTree(long[] positions, String[] hashes, byte[] flags, int[] parents) {
        this.positions = positions;
        this.hashes = hashes;
        this.flags = flags;
        this.parents = parents;
        this.leaf = new boolean[positions.length];
        Arrays.fill(leaf, true);
        for (int parent : parents) {
            if (parent >= 0) {
                leaf[parent] = false;
            }
        }
    }

    public static RevTree empty() {
        return EMPTY;
    }

    public boolean isEmpty() {
        return positions.length == 0;
    }

    /** The number of revisions in the tree. */
    public int size() {
        return positions.length;
    }

    // ---------------------------------------------------------------------------------------------
    // Merging
    // ---------------------------------------------------------------------------------------------

    /**
     * Merges a linear history into the tree. Revisions already present keep their place; a stored
     * root that the path gives a parent to is reconnected under it (a path whose root is before the
     * stored root, or one that bridges a gap left by stemming); new revisions are added below the
     * newest one the tree knew. A revision that is present keeps its status unless the path brings
     * a body it lacked (CouchDB's {@code value_pref}).
     */
    public Merge merge(RevPath path) {
        int m = path.hashes().size();
        long rootPos = path.rootPos();
        // Path index k (0 = oldest) is at pos rootPos + k, hash pathHash(path, k).
        int[] found = new int[m];
        for (int k = 0; k < m; k++) {
            found[k] = indexOf(rootPos + k, pathHash(path, k));
        }
        int cut = contradictionCut(found);
        Outcome outcome = outcome(found, cut);

        byte leafFlags = flagsOf(path.leafStatus());
        int added = 0;
        boolean changed = false;
        for (int k = cut; k < m; k++) {
            int i = found[k];
            if (i < 0) {
                added++;
            } else if ((k > cut && parents[i] < 0) || prefer(flags[i], k == m - 1 ? leafFlags : 0) != flags[i]) {
                changed = true;
            }
        }
        if (added == 0 && !changed) {
            return new Merge(this, outcome);
        }
        return new Merge(withPath(path, found, cut, added, leafFlags), outcome);
    }

    /**
     * The index of the oldest path revision that can be trusted: past a revision the tree already
     * records with a different parent, the path's older part contradicts the stored history and is
     * ignored. 0 when the path agrees with the tree throughout.
     */
    private int contradictionCut(int[] found) {
        for (int k = found.length - 1; k >= 1; k--) {
            int i = found[k];
            if (i >= 0 && parents[i] >= 0 && parents[i] != found[k - 1]) {
                return k;
            }
        }
        return 0;
    }

    /**
     * CouchDB's merge result. It merges the path into the stored tree holding the path's oldest known
     * revision and follows the path down that tree: if the path ends inside it, nothing new was
     * added; otherwise the first revision the tree lacked hangs below a node that either was a leaf
     * (a new leaf) or already had children (a new branch).
     */
    private Outcome outcome(int[] found, int cut) {
        int m = found.length;
        int k = cut;
        while (k < m && found[k] < 0) {
            k++;
        }
        if (k == m) {
            return isEmpty() ? Outcome.NEW_LEAF : Outcome.NEW_BRANCH;
        }
        int j = k;
        while (j + 1 < m && found[j + 1] >= 0 && parents[found[j + 1]] == found[j]) {
            j++;
        }
        if (j == m - 1) {
            return Outcome.ALREADY_PRESENT;
        }
        return leaf[found[j]] ? Outcome.NEW_LEAF : Outcome.NEW_BRANCH;
    }

    private RevTree withPath(RevPath path, int[] found, int cut, int added, byte leafFlags) {
        int n = size();
        int m = found.length;
        long rootPos = path.rootPos();
        int total = n + added;
        long[] newPositions = new long[total];
        String[] newHashes = new String[total];
        byte[] newFlags = new byte[total];
        int[] newParents = new int[total];
        int[] oldToNew = new int[n];
        int[] pathToNew = new int[m];

        // Interleave the new path revisions (ascending pos, one per pos) into the sorted old ones.
        int old = 0;
        int out = 0;
        for (int k = cut; k <= m; k++) {
            if (k < m && found[k] >= 0) {
                continue;
            }
            long pos = k < m ? rootPos + k : Long.MAX_VALUE;
            String hash = k < m ? pathHash(path, k) : null;
            while (old < n && (k == m || compare(positions[old], hashes[old], pos, hash) < 0)) {
                newPositions[out] = positions[old];
                newHashes[out] = hashes[old];
                newFlags[out] = flags[old];
                oldToNew[old] = out;
                old++;
                out++;
            }
            if (k < m) {
                newPositions[out] = pos;
                newHashes[out] = hash;
                newFlags[out] = k == m - 1 ? leafFlags : 0;
                newParents[out] = -1;
                pathToNew[k] = out;
                out++;
            }
        }
        for (int i = 0; i < n; i++) {
            newParents[oldToNew[i]] = parents[i] < 0 ? -1 : oldToNew[parents[i]];
        }
        for (int k = cut; k < m; k++) {
            int i = found[k];
            if (i >= 0) {
                pathToNew[k] = oldToNew[i];
                newFlags[pathToNew[k]] = prefer(flags[i], k == m - 1 ? leafFlags : 0);
            }
            // New revisions, and stored roots the path reconnects, hang below their path predecessor.
            if (k > cut && newParents[pathToNew[k]] < 0) {
                newParents[pathToNew[k]] = pathToNew[k - 1];
            }
        }
        return new RevTree(newPositions, newHashes, newFlags, newParents);
    }

    private static String pathHash(RevPath path, int k) {
        List<String> newestFirst = path.hashes();
        return newestFirst.get(newestFirst.size() - 1 - k);
    }

    /**
     * CouchDB's {@code value_pref}: what the tree knew wins, unless it lacked the body the merge
     * brings, or knew nothing beyond the id.
     */
    private static byte prefer(byte existing, byte incoming) {
        if ((existing & AVAILABLE_FLAG) != 0) {
            return existing;
        }
        if ((incoming & AVAILABLE_FLAG) != 0 || existing == 0) {
            return incoming;
        }
        return existing;
    }

    // ---------------------------------------------------------------------------------------------
    // Stemming, purging, compaction
    // ---------------------------------------------------------------------------------------------

    /**
     * Keeps at most {@code revsLimit} revisions on every root-to-leaf path ({@code couch_key_tree:stem}):
     * a revision survives when some leaf at or below it is fewer than {@code revsLimit} edits away.
     * Every leaf survives; where a cut falls below a branch point, the branches become separate roots.
     */
    public RevTree stem(int revsLimit) {
        if (revsLimit < 1) {
            throw new IllegalArgumentException("revsLimit must be at least 1, was " + revsLimit);
        }
        int n = size();
        int[] distanceToLeaf = new int[n];
        boolean dropsAny = false;
        boolean[] keep = new boolean[n];
        // Children sort after their parents, so a backward pass finishes every node before its parent.
        Arrays.fill(distanceToLeaf, Integer.MAX_VALUE);
        for (int i = n - 1; i >= 0; i--) {
            if (leaf[i]) {
                distanceToLeaf[i] = 0;
            }
            keep[i] = distanceToLeaf[i] < revsLimit;
            dropsAny |= !keep[i];
            int parent = parents[i];
            if (parent >= 0 && distanceToLeaf[i] + 1 < distanceToLeaf[parent]) {
                distanceToLeaf[parent] = distanceToLeaf[i] + 1;
            }
        }
        return dropsAny ? filter(keep) : this;
    }

    /**
     * Purges leaves ({@code couch_key_tree:remove_leafs}): each given revision that is a leaf goes,
     * with every ancestor no remaining leaf descends from. Revisions that are unknown or not leaves
     * are ignored.
     */
    public Removal removeLeaves(Collection<Rev> leaves) {
        int n = size();
        boolean[] purged = new boolean[n];
        boolean any = false;
        for (Rev rev : leaves) {
            int i = indexOf(rev);
            if (i >= 0 && leaf[i]) {
                purged[i] = true;
                any = true;
            }
        }
        if (!any) {
            return new Removal(this, List.of());
        }
        boolean[] keep = new boolean[n];
        for (int i = n - 1; i >= 0; i--) {
            if (leaf[i]) {
                keep[i] = !purged[i];
            }
            if (keep[i] && parents[i] >= 0) {
                keep[parents[i]] = true;
            }
        }
        List<Rev> removed = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (!keep[i]) {
                removed.add(rev(i));
            }
        }
        return new Removal(filter(keep), List.copyOf(removed));
    }

    /** The tree with only the kept revisions; a kept revision whose parent goes becomes a root. */
    private RevTree filter(boolean[] keep) {
        int n = size();
        int[] oldToNew = new int[n];
        int count = 0;
        for (int i = 0; i < n; i++) {
            oldToNew[i] = keep[i] ? count++ : -1;
        }
        if (count == 0) {
            return EMPTY;
        }
        long[] newPositions = new long[count];
        String[] newHashes = new String[count];
        byte[] newFlags = new byte[count];
        int[] newParents = new int[count];
        for (int i = 0; i < n; i++) {
            int j = oldToNew[i];
            if (j >= 0) {
                newPositions[j] = positions[i];
                newHashes[j] = hashes[i];
                newFlags[j] = flags[i];
                newParents[j] = parents[i] < 0 ? -1 : oldToNew[parents[i]];
            }
        }
        return new RevTree(newPositions, newHashes, newFlags, newParents);
    }

    /** The revisions whose bodies are stored but which are not leaves: what compaction may drop. */
    public List<Rev> availableNonLeaves() {
        List<Rev> result = new ArrayList<>();
        for (int i = 0; i < size(); i++) {
            if (!leaf[i] && (flags[i] & AVAILABLE_FLAG) != 0) {
                result.add(rev(i));
            }
        }
        return result;
    }

    /** The tree with {@code rev}'s status replaced; IllegalArgumentException if the tree lacks it. */
    public RevTree withStatus(Rev rev, RevStatus status) {
        int i = indexOf(rev);
        if (i < 0) {
            throw new IllegalArgumentException("revision " + rev + " is not in the tree");
        }
        byte newFlags = flagsOf(status);
        if (flags[i] == newFlags) {
            return this;
        }
        byte[] copy = flags.clone();
        copy[i] = newFlags;
        return new RevTree(positions, hashes, copy, parents);
    }

    /** The tree after compaction: every non-leaf marked unavailable, its deleted flag kept. */
    public RevTree compacted() {
        byte[] copy = null;
        for (int i = 0; i < size(); i++) {
            if (!leaf[i] && (flags[i] & AVAILABLE_FLAG) != 0) {
                if (copy == null) {
                    copy = flags.clone();
                }
                copy[i] &= (byte) ~AVAILABLE_FLAG;
            }
        }
        return copy == null ? this : new RevTree(positions, hashes, copy, parents);
    }

    // ---------------------------------------------------------------------------------------------
    // Reading
    // ---------------------------------------------------------------------------------------------

    /**
     * The revision a read without {@code rev} returns: live leaves beat deleted ones, then the higher
     * pos, then the higher hash ({@code couch_doc:to_doc_info}). IllegalStateException on an empty tree.
     */
    public Leaf winner() {
        Leaf cached = winner;
        if (cached == null) {
            cached = computeWinner();
            winner = cached;
        }
        return cached;
    }

    private Leaf computeWinner() {
        int best = -1;
        for (int i = 0; i < size(); i++) {
            if (leaf[i] && (best < 0 || beats(i, best))) {
                best = i;
            }
        }
        if (best < 0) {
            throw new IllegalStateException("an empty revision tree has no winner");
        }
        return leafAt(best);
    }

    private boolean beats(int a, int b) {
        boolean aLive = (flags[a] & DELETED_FLAG) == 0;
        boolean bLive = (flags[b] & DELETED_FLAG) == 0;
        if (aLive != bLive) {
            return aLive;
        }
        return compare(positions[a], hashes[a], positions[b], hashes[b]) > 0;
    }

    /** Every leaf, winner first, in the order of winner choice. */
    public List<Leaf> leaves() {
        List<Leaf> result = new ArrayList<>();
        for (int i = 0; i < size(); i++) {
            if (leaf[i]) {
                result.add(leafAt(i));
            }
        }
        result.sort(WINNER_FIRST);
        return result;
    }

    /** The live leaves other than the winner ({@code _conflicts}), in {@link #leaves()} order. */
    public List<Rev> conflicts() {
        return losingLeaves(false);
    }

    /** The deleted leaves other than the winner ({@code _deleted_conflicts}), in {@link #leaves()} order. */
    public List<Rev> deletedConflicts() {
        return losingLeaves(true);
    }

    private List<Rev> losingLeaves(boolean deleted) {
        List<Leaf> leaves = leaves();
        List<Rev> result = new ArrayList<>();
        for (int i = 1; i < leaves.size(); i++) {
            if (leaves.get(i).deleted() == deleted) {
                result.add(leaves.get(i).rev());
            }
        }
        return result;
    }

    public boolean contains(Rev rev) {
        return indexOf(rev) >= 0;
    }

    public Optional<RevStatus> status(Rev rev) {
        int i = indexOf(rev);
        return i < 0 ? Optional.empty() : Optional.of(statusAt(i));
    }

    public boolean isLeaf(Rev rev) {
        int i = indexOf(rev);
        return i >= 0 && leaf[i];
    }

    /** Of the given revisions, those the tree lacks, in the given order ({@code couch_key_tree:find_missing}). */
    public List<Rev> missing(Collection<Rev> revs) {
        List<Rev> result = new ArrayList<>();
        for (Rev rev : revs) {
            if (!contains(rev)) {
                result.add(rev);
            }
        }
        return result;
    }

    /** {@code rev} and its ancestors, newest first, as far as the tree knows (for {@code _revisions}); empty if unknown. */
    public List<Rev> ancestry(Rev rev) {
        int i = indexOf(rev);
        List<Rev> result = new ArrayList<>();
        for (; i >= 0; i = parents[i]) {
            result.add(rev(i));
        }
        return result;
    }

    /** A {@code _revs_info} entry for each of {@link #ancestry(Rev)}. */
    public List<RevInfo> revsInfo(Rev rev) {
        int i = indexOf(rev);
        List<RevInfo> result = new ArrayList<>();
        for (; i >= 0; i = parents[i]) {
            result.add(RevInfo.of(rev(i), statusAt(i)));
        }
        return result;
    }

    /**
     * The leaves at or below {@code rev}, in {@link #leaves()} order: {@code rev} itself if it is a
     * leaf, empty if it is unknown. What {@code latest=true} reads instead of {@code rev}.
     */
    public List<Rev> leavesDescendingFrom(Rev rev) {
        int start = indexOf(rev);
        if (start < 0) {
            return List.of();
        }
        if (leaf[start]) {
            return List.of(rev(start));
        }
        boolean[] below = new boolean[size()];
        below[start] = true;
        List<Leaf> found = new ArrayList<>();
        for (int i = start + 1; i < size(); i++) {
            if (parents[i] >= 0 && below[parents[i]]) {
                below[i] = true;
                if (leaf[i]) {
                    found.add(leafAt(i));
                }
            }
        }
        found.sort(WINNER_FIRST);
        return found.stream().map(Leaf::rev).toList();
    }

    /**
     * The {@code possible_ancestors} {@code _revs_diff} reports for a revision the tree lacks: every
     * leaf with a lower pos, deleted or not. The order is CouchDB's: the reverse of {@link #leaves()}
     * (its {@code couch_db:find_missing} folds the sorted leaves onto the front of a list).
     */
    public List<Rev> possibleAncestors(Rev missing) {
        return leavesBelowPos(missing.pos());
    }

    /**
     * The {@code possible_ancestors} for a document's whole set of missing revisions: a leaf counts if
     * its pos is lower than that of any of them, as CouchDB computes it per document.
     */
    public List<Rev> possibleAncestors(Collection<Rev> missing) {
        long highest = Long.MIN_VALUE;
        for (Rev rev : missing) {
            highest = Math.max(highest, rev.pos());
        }
        return leavesBelowPos(highest);
    }

    private List<Rev> leavesBelowPos(long pos) {
        List<Leaf> leaves = leaves();
        List<Rev> result = new ArrayList<>();
        for (int i = leaves.size() - 1; i >= 0; i--) {
            Rev rev = leaves.get(i).rev();
            if (rev.pos() < pos) {
                result.add(rev);
            }
        }
        return result;
    }

    /** Every revision of the tree, ascending by pos then hash. */
    public List<Rev> revs() {
        List<Rev> result = new ArrayList<>(size());
        for (int i = 0; i < size(); i++) {
            result.add(rev(i));
        }
        return result;
    }

    /** The oldest known revision of each tree in the forest, ascending by pos then hash. */
    public List<Rev> roots() {
        List<Rev> result = new ArrayList<>();
        for (int i = 0; i < size(); i++) {
            if (parents[i] < 0) {
                result.add(rev(i));
            }
        }
        return result;
    }

    // ---------------------------------------------------------------------------------------------
    // Encoding
    // ---------------------------------------------------------------------------------------------

    /** The compact binary form; see {@link RevTreeCodec} for the layout. */
    public byte[] encode() {
        return RevTreeCodec.encode(this);
    }

    /** Whether {@link #encode()}d bytes are a single linear history (so: one leaf), without decoding them. */
    public static boolean isSinglePath(byte[] encoded) {
        return RevTreeCodec.isSinglePath(encoded);
    }

    /** Reads what {@link #encode()} wrote; IllegalArgumentException if the bytes are not such a tree. */
    public static RevTree decode(byte[] bytes) {
        return RevTreeCodec.decode(bytes);
    }

    long positionAt(int i) {
        return positions[i];
    }

    String hashAt(int i) {
        return hashes[i];
    }

    byte flagsAt(int i) {
        return flags[i];
    }

    int parentAt(int i) {
        return parents[i];
    }

    // ---------------------------------------------------------------------------------------------
    // Helpers
    // ---------------------------------------------------------------------------------------------

    private int indexOf(Rev rev) {
        return indexOf(rev.pos(), rev.hash());
    }

    private int indexOf(long pos, String hash) {
        int low = 0;
        int high = size() - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            int c = compare(positions[mid], hashes[mid], pos, hash);
            if (c < 0) {
                low = mid + 1;
            } else if (c > 0) {
                high = mid - 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    /** The order of the node arrays, and of {@link Rev#compareTo}. */
    static int compare(long posA, String hashA, long posB, String hashB) {
        int byPos = Long.compare(posA, posB);
        return byPos != 0 ? byPos : hashA.compareTo(hashB);
    }

    private Rev rev(int i) {
        return new Rev(positions[i], hashes[i]);
    }

    private RevStatus statusAt(int i) {
        return RevStatus.of((flags[i] & DELETED_FLAG) != 0, (flags[i] & AVAILABLE_FLAG) != 0);
    }

    private Leaf leafAt(int i) {
        return new Leaf(rev(i), statusAt(i));
    }

    static byte flagsOf(RevStatus status) {
        return (byte) ((status.available() ? AVAILABLE_FLAG : 0) | (status.deleted() ? DELETED_FLAG : 0));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RevTree that
                && Arrays.equals(positions, that.positions)
                && Arrays.equals(hashes, that.hashes)
                && Arrays.equals(flags, that.flags)
                && Arrays.equals(parents, that.parents);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(positions), Arrays.hashCode(hashes), Arrays.hashCode(flags),
                Arrays.hashCode(parents));
    }

    /**
     * The forest in nested form, e.g. {@code 1-a(2-b, 2-c{deleted}), 3-x{unavailable}}: children in
     * parentheses, statuses other than live-and-available in braces.
     */
    @Override
    public String toString() {
        int n = size();
        int[] firstChild = new int[n + 1];
        for (int parent : parents) {
            if (parent >= 0) {
                firstChild[parent + 1]++;
            }
        }
        for (int i = 0; i < n; i++) {
            firstChild[i + 1] += firstChild[i];
        }
        int[] children = new int[n];
        int[] fill = Arrays.copyOf(firstChild, n);
        for (int i = 0; i < n; i++) {
            if (parents[i] >= 0) {
                children[fill[parents[i]]++] = i;
            }
        }
        StringBuilder text = new StringBuilder();
        Deque<int[]> stack = new ArrayDeque<>(); // {node, index of its next child to print}
        for (int root = 0; root < n; root++) {
            if (parents[root] >= 0) {
                continue;
            }
            if (!text.isEmpty()) {
                text.append(", ");
            }
            appendLabel(text, root);
            stack.push(new int[] {root, firstChild[root]});
            while (!stack.isEmpty()) {
                int[] frame = stack.peek();
                int node = frame[0];
                if (frame[1] < firstChild[node + 1]) {
                    text.append(frame[1] == firstChild[node] ? "(" : ", ");
                    int child = children[frame[1]++];
                    appendLabel(text, child);
                    stack.push(new int[] {child, firstChild[child]});
                } else {
                    if (firstChild[node + 1] > firstChild[node]) {
                        text.append(')');
                    }
                    stack.pop();
                }
            }
        }
        return text.toString();
    }

    private void appendLabel(StringBuilder text, int i) {
        text.append(positions[i]).append('-').append(hashes[i]);
        boolean deleted = (flags[i] & DELETED_FLAG) != 0;
        boolean available = (flags[i] & AVAILABLE_FLAG) != 0;
        if (deleted && !available) {
            text.append("{deleted,unavailable}");
        } else if (deleted) {
            text.append("{deleted}");
        } else if (!available) {
            text.append("{unavailable}");
        }
    }
}
