package dev.arbor.wire;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.arbor.api.AllDocsRow;
import dev.arbor.api.ChangeRow;
import dev.arbor.api.ChangesSummary;
import dev.arbor.api.Seq;
import dev.arbor.core.json.Json;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringWriter;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The streamed _all_docs and _changes answers are the same JSON CouchDB sends. */
class StreamingWritersTest {

    @Test
    void allDocsIsHeaderThenRows() throws IOException {
        var text = new StringWriter();
        try (JsonGenerator generator = Json.MAPPER.createGenerator(text)) {
            var writer = new AllDocsJsonWriter(generator, false);
            writer.begin(2, 0, null);
            writer.row(new AllDocsRow("a", "a", "1-x", false, null, null));
            writer.row(new AllDocsRow("b", "b", "1-y", false, null, null));
            writer.finish();
        }
        assertEquals(Json.parse("""
                {"total_rows":2,"offset":0,"rows":[
                  {"id":"a","key":"a","value":{"rev":"1-x"}},
                  {"id":"b","key":"b","value":{"rev":"1-y"}}]}"""), Json.parse(text.toString()));
    }

    @Test
    void allDocsCarriesUpdateSeqOnlyWhenItWasAskedFor() throws IOException {
        var text = new StringWriter();
        try (JsonGenerator generator = Json.MAPPER.createGenerator(text)) {
            var writer = new AllDocsJsonWriter(generator, false);
            writer.begin(0, 0, Seq.of(12));
            writer.finish();
        }
        assertEquals(Json.parse("{\"total_rows\":0,\"offset\":0,\"update_seq\":12,\"rows\":[]}"), Json.parse(text.toString()));
    }

    @Test
    void finishingAnAllDocsAnswerThatNeverBeganIsAnError() throws IOException {
        try (JsonGenerator generator = Json.MAPPER.createGenerator(new StringWriter())) {
            var writer = new AllDocsJsonWriter(generator, false);
            assertThrows(IllegalStateException.class, writer::finish);
        }
    }

    @Test
    void changesAreResultsThenLastSeqAndPending() throws IOException {
        var text = new StringWriter();
        try (JsonGenerator generator = Json.MAPPER.createGenerator(text)) {
            var writer = new ChangesJsonWriter(generator);
            writer.accept(new ChangeRow(4, "a", List.of("1-x"), false, null));
            writer.finish(new ChangesSummary(4, 3));
        }
        assertEquals(Json.parse("""
                {"results":[{"seq":4,"id":"a","changes":[{"rev":"1-x"}]}],"last_seq":4,"pending":3}"""),
                Json.parse(text.toString()));
    }
}
