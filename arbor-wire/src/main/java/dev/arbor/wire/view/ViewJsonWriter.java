package dev.arbor.wire.view;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.arbor.api.Seq;
import dev.arbor.api.view.ViewRow;
import dev.arbor.api.view.ViewSink;
import dev.arbor.wire.RowsEnvelope;

/**
 * Writes a view answer as its rows arrive, so a large view is never held in memory:
 * {@code {"total_rows":..,"offset":..,["update_seq":..,]"rows":[...]}} (a reduce answer has no total or offset).
 */
public final class ViewJsonWriter implements ViewSink {
    private final RowsEnvelope envelope;

    public ViewJsonWriter(JsonGenerator out) {
        this.envelope = new RowsEnvelope(out, "the view query");
    }

    @Override
    public void begin(long totalRows, long offset, Seq updateSeq) {
        envelope.begin(totalRows, offset, updateSeq);
    }

    @Override
    public void row(ViewRow row) {
        envelope.row(ViewJson.row(row));
    }

    /** Closes the rows array and the object; call once the query has returned. */
    public void finish() {
        envelope.finish();
    }
}
