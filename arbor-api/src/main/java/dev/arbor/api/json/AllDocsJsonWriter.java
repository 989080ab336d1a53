package dev.arbor.api.json;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.arbor.api.AllDocsRow;
import dev.arbor.api.AllDocsSink;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writes an {@code _all_docs} answer as its rows arrive, so a large database is never held in
 * memory: {@code {"total_rows":..,"offset":..,["update_seq":..,]"rows":[...]}}.
 */
public final class AllDocsJsonWriter implements AllDocsSink {
    private final JsonGenerator out;
    private final boolean includeDocs;
    private boolean begun;

    public AllDocsJsonWriter(JsonGenerator out, boolean includeDocs) {
        this.out = out;
        this.includeDocs = includeDocs;
    }

    @Override
    public void begin(long totalRows, long offset, long updateSeq) {
        try {
            out.writeStartObject();
            out.writeNumberField("total_rows", totalRows);
            out.writeNumberField("offset", offset);
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
    public void row(AllDocsRow row) {
        try {
            out.writeTree(CouchJson.allDocsRow(row, includeDocs));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Closes the rows array and the object; call once the read has returned. */
    public void finish() {
        if (!begun) {
            throw new IllegalStateException("the _all_docs read ended without its header");
        }
        try {
            out.writeEndArray();
            out.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
