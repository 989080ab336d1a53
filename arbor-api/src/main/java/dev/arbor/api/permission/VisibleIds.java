package dev.arbor.api.permission;

import dev.arbor.api.AllDocsOptions;
import dev.arbor.api.AllDocsRow;
import dev.arbor.api.AllDocsSink;
import dev.arbor.api.Documents;
import dev.arbor.api.Seq;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * The live documents one caller may read, in {@code _all_docs} order, found by reading only the ranges and ids the
 * caller is given (never the rest of the database), so what it costs grows with what the caller may see. Used by
 * {@link RestrictedDatabase} to answer {@code _all_docs}, {@code total_rows} and {@code doc_count} as a database
 * holding only those documents would.
 */
final class VisibleIds {
    /** {@code _all_docs} order: ids as UTF-8 bytes, which is code point order (not {@link String#compareTo}'s UTF-16). */
    static final Comparator<String> ID_ORDER = VisibleIds::compareCodePoints;

    /** Past every id that starts with a prefix: the prefix followed by the highest code point. */
    private static final String HIGHEST = new String(Character.toChars(Character.MAX_CODE_POINT)).repeat(4);

    private VisibleIds() {
    }

    /** The ids of live documents in {@code documents} (starting with {@code scope}, when not null) that {@code access} includes. */
    static List<String> of(Documents documents, DocumentAccess.Some access, String scope) {
        TreeSet<String> ids = new TreeSet<>(ID_ORDER);
        for (String prefix : access.prefixes()) {
            String from = prefix;
            if (scope != null) {
                if (!prefix.startsWith(scope) && !scope.startsWith(prefix)) {
                    continue;
                }
                from = prefix.length() >= scope.length() ? prefix : scope;
            }
            documents.allDocs(AllDocsOptions.DEFAULT.startkey(from).endkey(from + HIGHEST), new Collect(ids));
        }
        List<String> named = access.ids().stream()
                .filter(id -> scope == null || id.startsWith(scope))
                .filter(id -> !ids.contains(id))
                .toList();
        if (!named.isEmpty()) {
            documents.allDocs(AllDocsOptions.DEFAULT.keys(named), new Collect(ids));
        }
        return new ArrayList<>(ids);
    }

    /**
     * The part of {@code ids} (in ascending order) that an {@code _all_docs} range asks for, in the order it asks:
     * {@code startkey}/{@code endkey}/{@code inclusive_end}/{@code descending}, before skip and limit.
     */
    static List<String> inRange(List<String> ids, AllDocsOptions options) {
        List<String> ordered = new ArrayList<>(ids);
        if (options.descending()) {
            java.util.Collections.reverse(ordered);
        }
        Comparator<String> order = options.descending() ? ID_ORDER.reversed() : ID_ORDER;
        String start = options.key() != null ? options.key() : options.startkey();
        String end = options.key() != null ? options.key() : options.endkey();
        boolean inclusiveEnd = options.key() != null || options.inclusiveEnd();
        List<String> selected = new ArrayList<>();
        for (String id : ordered) {
            if (start != null && order.compare(id, start) < 0) {
                continue;
            }
            if (end != null) {
                int c = order.compare(id, end);
                if (c > 0 || c == 0 && !inclusiveEnd) {
                    break;
                }
            }
            selected.add(id);
        }
        return selected;
    }

    private static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    /** Collects the ids of live documents; a keys query's missing or deleted rows are not documents to show. */
    private record Collect(TreeSet<String> ids) implements AllDocsSink {
        @Override
        public void begin(long totalRows, long offset, Seq updateSeq) {
        }

        @Override
        public void row(AllDocsRow row) {
            if (row.error() == null && !row.deleted() && row.id() != null) {
                ids.add(row.id());
            }
        }
    }
}
