package dev.arbor.wire;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.api.Seq;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The object CouchDB wraps streamed rows in, written as the rows arrive so a large answer is never held in memory:
 * {@code {"total_rows":..,"offset":..,["update_seq":..,]"rows":[...]}}. Shared by {@code _all_docs} and views.
 */
public final class RowsEnvelope {
    private final JsonGenerator out;
    private final String answer;
    private boolean begun;

    /** @param answer what is being written, for the error when it ends without a header ("the view query") */
    public RowsEnvelope(JsonGenerator out, String answer) {
        this.out = out;
        this.answer = answer;
    }

    /** @param totalRows negative for an answer without total and offset (a reduce); updateSeq null when not asked */
    public void begin(long totalRows, long offset, Seq updateSeq) {
        try {
            out.writeStartObject();
            if (totalRows >= 0) {
                out.writeNumberField("total_rows", totalRows);
                out.writeNumberField("offset", offset);
            }
            if (updateSeq != null) {
                out.writeFieldName("update_seq");
                updateSeq.write(out);
            }
            out.writeArrayFieldStart("rows");
            begun = true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void row(JsonNode row) {
        try {
            out.writeTree(row);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Closes the rows array and the object; call once the read has returned. */
    public void finish() {
        if (!begun) {
            throw new IllegalStateException(answer + " ended without its header");
        }
        try {
            out.writeEndArray();
            out.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
