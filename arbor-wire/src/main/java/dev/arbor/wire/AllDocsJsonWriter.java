package dev.arbor.wire;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.arbor.api.AllDocsRow;
import dev.arbor.api.AllDocsSink;
import dev.arbor.api.Seq;

/**
 * Writes an {@code _all_docs} answer as its rows arrive, so a large database is never held in
 * memory: {@code {"total_rows":..,"offset":..,["update_seq":..,]"rows":[...]}}.
 */
public final class AllDocsJsonWriter implements AllDocsSink {
    private final RowsEnvelope envelope;
    private final boolean includeDocs;

    public AllDocsJsonWriter(JsonGenerator out, boolean includeDocs) {
        this.envelope = new RowsEnvelope(out, "the _all_docs read");
        this.includeDocs = includeDocs;
    }

    @Override
    public void begin(long totalRows, long offset, Seq updateSeq) {
        envelope.begin(totalRows, offset, updateSeq);
    }

    @Override
    public void row(AllDocsRow row) {
        envelope.row(CouchJson.allDocsRow(row, includeDocs));
    }

    /** Closes the rows array and the object; call once the read has returned. */
    public void finish() {
        envelope.finish();
    }
}
