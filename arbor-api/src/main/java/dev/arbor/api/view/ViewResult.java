package dev.arbor.api.view;

import dev.arbor.api.Seq;

import java.util.ArrayList;
import java.util.List;

/**
 * A whole view answer, for callers who want it in memory. {@code totalRows} and {@code offset} are -1 for a
 * reduce answer, {@code updateSeq} null unless asked for.
 */
public record ViewResult(long totalRows, long offset, Seq updateSeq, List<ViewRow> rows) {
    public ViewResult {
        rows = List.copyOf(rows);
    }

    /** Collects a streamed answer. */
    public static final class Collector implements ViewSink {
        private long totalRows = -1, offset = -1;
        private Seq updateSeq;
        private final List<ViewRow> rows = new ArrayList<>();

        @Override
        public void begin(long totalRows, long offset, Seq updateSeq) {
            this.totalRows = totalRows;
            this.offset = offset;
            this.updateSeq = updateSeq;
        }

        @Override
        public void row(ViewRow row) {
            rows.add(row);
        }

        public ViewResult result() {
            return new ViewResult(totalRows, offset, updateSeq, rows);
        }
    }
}
