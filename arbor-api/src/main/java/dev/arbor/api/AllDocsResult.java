package dev.arbor.api;

import java.util.ArrayList;
import java.util.List;

/** A whole {@code _all_docs} result, for callers who want it in memory. {@code updateSeq} is null unless asked for. */
public record AllDocsResult(long totalRows, long offset, List<AllDocsRow> rows, Seq updateSeq) {

    /** Collects a streamed result. */
    public static final class Collector implements AllDocsSink {
        private long totalRows, offset;
        private Seq updateSeq;
        private final List<AllDocsRow> rows = new ArrayList<>();

        @Override public void begin(long totalRows, long offset, Seq updateSeq) {
            this.totalRows = totalRows;
            this.offset = offset;
            this.updateSeq = updateSeq;
        }

        @Override public void row(AllDocsRow row) { rows.add(row); }

        public AllDocsResult result() { return new AllDocsResult(totalRows, offset, List.copyOf(rows), updateSeq); }
    }
}
