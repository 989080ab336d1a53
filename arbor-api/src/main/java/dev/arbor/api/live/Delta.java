package dev.arbor.api.live;

import java.util.Objects;

/**
 * One step of turning a live result into the next. Indexes are positions in the result as it stands when the delta is
 * applied, after the deltas before it in the same update: a client that applies them in order keeps an ordered list
 * equal to the server's.
 */
public sealed interface Delta {

    /** A row entered the result at {@code index}. */
    record Added(int index, LiveRow row) implements Delta {
        public Added {
            Objects.requireNonNull(row, "row");
        }
    }

    /**
     * The row at {@code from} changed (its document got a new revision) and now stands at {@code index}: remove it at
     * {@code from}, insert {@code row} at {@code index}. Equal indexes replace it in place; a changed sort field moves it.
     */
    record Changed(int from, int index, LiveRow row) implements Delta {
        public Changed {
            Objects.requireNonNull(row, "row");
        }
    }

    /** The row at {@code index}, of document {@code id}, left the result. */
    record Removed(int index, String id) implements Delta {}
}
