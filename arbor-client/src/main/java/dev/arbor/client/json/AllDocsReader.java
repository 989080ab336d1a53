package dev.arbor.client.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.arbor.api.AllDocsRow;
import dev.arbor.api.AllDocsSink;
import dev.arbor.api.Seq;
import dev.arbor.core.json.Json;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an {@code _all_docs} (or {@code _local_docs}) answer as it arrives, one row at a time, into an
 * {@link AllDocsSink}: {@code {"total_rows":..,"offset":..,"update_seq"?:..,"rows":[...]}}.
 *
 * <p>CouchDB and Arbor send the header before the rows, so nothing is held. A server that sends it
 * after the rows (pouchdb-server serialises a finished object, {@code update_seq} last) makes the reader
 * keep the rows until the header is complete, as the sink must be told the header first.
 */
public final class AllDocsReader {
    public void read(InputStream body, boolean updateSeqAsked, AllDocsSink sink) throws IOException {
        try (JsonParser parser = Json.MAPPER.createParser(body)) {
            expect(parser, JsonToken.START_OBJECT);
            Long totalRows = null;
            long offset = 0;
            Seq updateSeq = null;
            boolean begun = false;
            List<AllDocsRow> early = new ArrayList<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                switch (field) {
                    case "total_rows" -> totalRows = parser.getValueAsLong();
                    // CouchDB sends "offset":null for keys lookups.
                    case "offset" -> offset = parser.getValueAsLong(0);
                    case "update_seq" -> {
                        JsonNode seq = tree(parser);
                        if (updateSeqAsked) updateSeq = Seq.fromJson(seq);
                    }
                    case "rows" -> {
                        expectCurrent(parser, JsonToken.START_ARRAY);
                        boolean headerComplete = totalRows != null && (!updateSeqAsked || updateSeq != null);
                        if (headerComplete) {
                            sink.begin(totalRows, offset, updateSeq);
                            begun = true;
                        }
                        while (parser.nextToken() == JsonToken.START_OBJECT) {
                            AllDocsRow row = Replies.allDocsRow(tree(parser));
                            if (begun) sink.row(row);
                            else early.add(row);
                        }
                    }
                    default -> parser.skipChildren();
                }
            }
            if (!begun) {
                sink.begin(totalRows == null ? 0 : totalRows, offset, updateSeq);
                early.forEach(sink::row);
            }
        }
    }

    static void expect(JsonParser parser, JsonToken token) throws IOException {
        parser.nextToken();
        expectCurrent(parser, token);
    }

    static void expectCurrent(JsonParser parser, JsonToken token) throws IOException {
        if (parser.currentToken() != token) {
            throw new IOException("unexpected JSON from the server: " + parser.currentToken() + " where " + token
                    + " belongs, at " + parser.currentLocation());
        }
    }

    /**
     * Reads the value the parser is on as a tree. The shared mapper refuses anything after a value,
     * which inside a stream is the rest of the answer; this reader reads one value and stops.
     */
    static JsonNode tree(JsonParser parser) throws IOException {
        return ONE_VALUE.readTree(parser);
    }

    private static final ObjectReader ONE_VALUE = Json.MAPPER.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
}
