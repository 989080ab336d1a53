package dev.arbor.wire;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.arbor.api.ChangeRow;
import dev.arbor.api.ChangesSummary;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Consumer;

/**
 * Writes a normal {@code _changes} answer as its rows arrive:
 * {@code {"results":[...],"last_seq":..,"pending":..}}. The tail comes last, as in CouchDB, which is
 * what lets the rows stream before {@code last_seq} is known.
 */
public final class ChangesJsonWriter implements Consumer<ChangeRow> {
    private final JsonGenerator out;

    public ChangesJsonWriter(JsonGenerator out) {
        this.out = out;
        try {
            out.writeStartObject();
            out.writeArrayFieldStart("results");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void accept(ChangeRow row) {
        try {
            out.writeTree(CouchJson.changeRow(row));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void finish(ChangesSummary summary) {
        try {
            out.writeEndArray();
            out.writeFieldName("last_seq");
            summary.lastSeq().write(out);
            out.writeNumberField("pending", summary.pending());
            out.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
