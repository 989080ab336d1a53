package dev.arbor.api.view;

import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writes a view answer as its rows arrive, so a large view is never held in memory:
 * {@code {"total_rows":..,"offset":..,["update_seq":..,]"rows":[...]}} (a reduce answer has no total or offset).
 */
public final class ViewJsonWriter implements ViewSink {
    private final JsonGenerator out;
    private boolean begun;

    public ViewJsonWriter(JsonGenerator out) {
        this.out = out;
    }

    @Override
    public void begin(long totalRows, long offset, long updateSeq) {
        try {
            out.writeStartObject();
            if (totalRows >= 0) {
                out.writeNumberField("total_rows", totalRows);
                out.writeNumberField("offset", offset);
            }
            if (updateSeq >= 0) {
                out.writeNumberField("update_seq", updateSeq);
            }
            out.writeArrayFieldStart("rows");
            begun = true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void row(ViewRow row) {
        try {
            out.writeTree(ViewJson.row(row));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Closes the rows array and the object; call once the query has returned. */
    public void finish() {
        if (!begun) {
            throw new IllegalStateException("the view query ended without its header");
        }
        try {
            out.writeEndArray();
            out.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
