package dev.arbor.api.permission;

import java.util.List;
import java.util.Set;

/**
 * Which documents of one database a caller may see for one action: what every read path filters by, so that a
 * user given some documents sees a database that holds only those.
 */
public sealed interface DocumentAccess {
    boolean includes(String id);

    /** Every document. */
    record All() implements DocumentAccess {
        @Override
        public boolean includes(String id) {
            return true;
        }
    }

    /** No document. */
    record None() implements DocumentAccess {
        @Override
        public boolean includes(String id) {
            return false;
        }
    }

    /** The documents named by id, and those whose id starts with one of the prefixes. */
    record Some(Set<String> ids, List<String> prefixes) implements DocumentAccess {
        public Some {
            ids = Set.copyOf(ids);
            prefixes = List.copyOf(prefixes);
        }

        @Override
        public boolean includes(String id) {
            if (ids.contains(id)) {
                return true;
            }
            for (String prefix : prefixes) {
                if (id.startsWith(prefix)) {
                    return true;
                }
            }
            return false;
        }
    }
}
