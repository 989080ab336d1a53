package dev.arbor.api.live;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The deltas from one ordered list of rows to another. A row is known by its document id and view key, and by its
 * occurrence among rows with both equal (a document may emit one key twice); its version tells whether it changed.
 * Removals come first, from the end (so earlier indexes still hold), then each position of the new list is filled in
 * order: kept, changed in place, moved from further on, or added. Applied in order, they turn {@code from} into
 * {@code to} exactly; the work is linear in the lists but for moved rows, which a single write makes few.
 */
final class RowDiff {
    private RowDiff() {}

    static List<Delta> between(List<LiveRow> from, List<LiveRow> to) {
        List<String> toKeys = identities(to);
        Set<String> wanted = new HashSet<>(toKeys);
        List<String> workKeys = identities(from);
        List<LiveRow> work = new ArrayList<>(from);
        List<Delta> deltas = new ArrayList<>();
        for (int i = work.size() - 1; i >= 0; i--) {
            if (!wanted.contains(workKeys.get(i))) {
                deltas.add(new Delta.Removed(i, work.get(i).id()));
                work.remove(i);
                workKeys.remove(i);
            }
        }
        for (int i = 0; i < to.size(); i++) {
            LiveRow target = to.get(i);
            String key = toKeys.get(i);
            if (i < work.size() && workKeys.get(i).equals(key)) {
                if (!work.get(i).version().equals(target.version())) {
                    deltas.add(new Delta.Changed(i, i, target));
                    work.set(i, target);
                }
                continue;
            }
            int j = workKeys.subList(i, workKeys.size()).indexOf(key);
            if (j >= 0) {
                j += i;
                deltas.add(new Delta.Changed(j, i, target));
                work.remove(j);
                workKeys.remove(j);
            } else {
                deltas.add(new Delta.Added(i, target));
            }
            work.add(i, target);
            workKeys.add(i, key);
        }
        return deltas;
    }

    private static List<String> identities(List<LiveRow> rows) {
        Map<String, Integer> seen = new HashMap<>();
        List<String> keys = new ArrayList<>(rows.size());
        for (LiveRow row : rows) {
            String base = row.id() + '\u0000' + (row.key() == null ? "" : row.key().toString());
            int occurrence = seen.merge(base, 1, Integer::sum);
            keys.add(base + '\u0000' + occurrence);
        }
        return keys;
    }
}
