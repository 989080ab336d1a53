package dev.arbor.client.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.arbor.api.ChangeRow;
import dev.arbor.api.ChangesSummary;
import dev.arbor.api.Seq;
import dev.arbor.core.json.Json;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.Consumer;

/**
 * Reads a normal or longpoll {@code _changes} answer as it arrives: each row of {@code results} goes to
 * the consumer as soon as it is parsed, then {@code last_seq} and {@code pending} (which CouchDB sends
 * after the rows) make the summary. A server that leaves out {@code pending} is taken to have none.
 */
public final class ChangesReader {
    public ChangesSummary read(InputStream body, Consumer<ChangeRow> rows) throws IOException {
        try (JsonParser parser = Json.MAPPER.createParser(body)) {
            AllDocsReader.expect(parser, JsonToken.START_OBJECT);
            Seq lastSeq = Seq.ZERO;
            long pending = 0;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                switch (field) {
                    case "results" -> {
                        AllDocsReader.expectCurrent(parser, JsonToken.START_ARRAY);
                        while (parser.nextToken() == JsonToken.START_OBJECT) {
                            rows.accept(Replies.changeRow(AllDocsReader.tree(parser)));
                        }
                    }
                    case "last_seq" -> lastSeq = Seq.fromJson(AllDocsReader.tree(parser));
                    case "pending" -> pending = parser.getValueAsLong(0);
                    default -> parser.skipChildren();
                }
            }
            return new ChangesSummary(lastSeq, pending);
        }
    }
}
