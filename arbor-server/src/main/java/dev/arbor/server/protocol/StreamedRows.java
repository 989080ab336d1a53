package dev.arbor.server.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.AllDocsRow;
import dev.arbor.api.AllDocsSink;
import dev.arbor.api.Seq;
import dev.arbor.api.view.ViewRow;
import dev.arbor.api.view.ViewSink;
import dev.arbor.protocol.Streaming;
import dev.arbor.protocol.Values;
import dev.arbor.wire.view.ViewJson;

/**
 * An answer's rows sent as chunks of at most {@link Streaming#CHUNK_BYTES} while the database reads them, each waiting
 * for the client's credit, so neither end holds more than a window of them. One per request, on its thread; the sinks
 * it gives are the API's, so the database streams into it as it does into an HTTP response.
 */
final class StreamedRows {
    private final Streaming.RowBatcher batcher;

    StreamedRows(RequestStreams streams) {
        Outbound out = streams.out();
        this.batcher = new Streaming.RowBatcher(out::send);
    }

    static ObjectNode header(long totalRows, long offset, Seq updateSeq) {
        ObjectNode header = Values.object().put("totalRows", totalRows).put("offset", offset);
        header.set("updateSeq", updateSeq == null ? NullNode.instance : updateSeq.toJson());
        return header;
    }

    void begin(JsonNode header) {
        batcher.begin(header);
    }

    void row(JsonNode row) {
        batcher.row(row);
    }

    /** A row already encoded (a document's JSON bytes): sent as it is. */
    void rawRow(byte[] bytes) {
        batcher.rawRow(bytes);
    }

    /** Sends the last chunk; the request's response then closes the stream. */
    void finish() {
        batcher.flush();
    }

    AllDocsSink allDocsSink() {
        return new AllDocsSink() {
            @Override
            public void begin(long totalRows, long offset, Seq updateSeq) {
                StreamedRows.this.begin(header(totalRows, offset, updateSeq));
            }

            @Override
            public void row(AllDocsRow row) {
                StreamedRows.this.row(Values.tree(row));
            }
        };
    }

    ViewSink viewSink() {
        return new ViewSink() {
            @Override
            public void begin(long totalRows, long offset, Seq updateSeq) {
                StreamedRows.this.begin(header(totalRows, offset, updateSeq));
            }

            @Override
            public void row(ViewRow row) {
                StreamedRows.this.row(ViewJson.row(row));
            }
        };
    }
}
