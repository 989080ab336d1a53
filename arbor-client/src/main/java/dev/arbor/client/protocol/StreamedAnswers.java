package dev.arbor.client.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.AllDocsRow;
import dev.arbor.api.AllDocsSink;
import dev.arbor.api.AttachmentStream;
import dev.arbor.api.ChangeRow;
import dev.arbor.api.ChangesSummary;
import dev.arbor.api.Seq;
import dev.arbor.api.find.FindResult;
import dev.arbor.api.find.FindSink;
import dev.arbor.api.view.ViewRow;
import dev.arbor.api.view.ViewSink;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import dev.arbor.protocol.Op;
import dev.arbor.protocol.Streaming;
import dev.arbor.protocol.Values;
import dev.arbor.wire.find.FindJson;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The answers that come in chunks, read on the caller's thread into the API's sinks as they arrive: each chunk taken
 * grants the server one more, so a slow sink slows the server instead of filling memory.
 */
final class StreamedAnswers {
    private StreamedAnswers() {}

    /**
     * Reads every rows chunk of {@code op}'s answer; returns the closing response. A connection lost before the first
     * chunk sends the read again on the next one; lost after it, the read fails saying the answer is incomplete.
     */
    static JsonNode rows(ReconnectingConnection connection, Op op, ObjectNode args, Consumer<JsonNode> begin, Consumer<JsonNode> row) {
        return connection.stream(op, args, inflow -> {
            try (inflow) {
                for (JsonNode chunk = inflow.next(false); chunk != null; chunk = inflow.next(false)) {
                    Streaming.readRowsChunk(chunk, begin, row);
                }
                return inflow.result();
            }
        });
    }

    static Seq seq(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() ? null : Seq.fromJson(node);
    }

    static void allDocs(ReconnectingConnection connection, Op op, ObjectNode args, AllDocsSink sink) {
        rows(connection, op, args,
                h -> sink.begin(h.path("totalRows").asLong(), h.path("offset").asLong(), seq(h.get("updateSeq"))),
                row -> sink.row(Values.record(row, AllDocsRow.class)));
    }

    static void view(ReconnectingConnection connection, ObjectNode args, ViewSink sink) {
        rows(connection, Op.VIEW_QUERY, args,
                h -> sink.begin(h.path("totalRows").asLong(), h.path("offset").asLong(), seq(h.get("updateSeq"))),
                row -> sink.row(new ViewRow(row.hasNonNull("id") ? row.get("id").asText() : null, row.get("key"),
                        row.get("value"), row.get("doc"))));
    }

    static ChangesSummary changes(ReconnectingConnection connection, ObjectNode args, Consumer<ChangeRow> rows) {
        JsonNode summary = rows(connection, Op.CHANGES_READ, args, h -> { }, row -> rows.accept(Values.record(row, ChangeRow.class)));
        return Values.record(summary, ChangesSummary.class);
    }

    /** Mango's documents arrive as their JSON bytes, handed on unparsed. */
    static void find(ReconnectingConnection connection, ObjectNode args, FindSink sink) {
        connection.stream(Op.MANGO_FIND, args, inflow -> {
            try (inflow) {
                for (JsonNode chunk = inflow.next(false); chunk != null; chunk = inflow.next(false)) {
                    for (JsonNode doc : chunk.path("rows")) {
                        try {
                            sink.doc(doc.binaryValue());
                        } catch (IOException e) {
                            throw new ArborException.Internal("the server sent a Mango row that is not bytes", e);
                        }
                    }
                }
                FindResult end = FindJson.result(inflow.result());
                sink.end(end.bookmark(), end.warnings(), end.executionStats());
                return null;
            }
        });
    }

    static FindResult find(ReconnectingConnection connection, ObjectNode args) {
        List<ObjectNode> docs = new ArrayList<>();
        FindResult[] end = new FindResult[1];
        find(connection, args, new FindSink() {
            @Override
            public void doc(byte[] json) {
                docs.add((ObjectNode) Json.parse(json));
            }

            @Override
            public void end(String bookmark, List<String> warnings, dev.arbor.api.find.ExecutionStats executionStats) {
                end[0] = new FindResult(docs, bookmark, warnings, executionStats);
            }
        });
        return end[0];
    }

    /**
     * The attachment's metadata (its first chunk) now, its bytes as the stream is read: one chunk held at a time, and
     * the server a window ahead at most. Closing the stream before its end cancels the rest.
     */
    static AttachmentStream attachment(ReconnectingConnection connection, ObjectNode args) {
        return connection.stream(Op.ATTACHMENT_GET, args, inflow -> {
            JsonNode first;
            try {
                first = inflow.next(false);
            } catch (RuntimeException e) {
                inflow.close();
                throw e;
            }
            if (first == null || !first.has("meta")) {
                inflow.close();
                throw new ArborException.Internal("the server sent an attachment without its metadata", null);
            }
            JsonNode meta = first.get("meta");
            return new AttachmentStream(Values.text(meta, "name"), Values.text(meta, "contentType"), meta.path("length").asLong(),
                    Values.text(meta, "digest"), meta.path("revpos").asLong(), new ChunkStream(inflow), meta.path("dataMd5").asBoolean(true));
        });
    }

    /** An attachment's bytes as chunks arrive; read by one thread. */
    private static final class ChunkStream extends InputStream {
        private final ProtocolConnection.Inflow inflow;
        private byte[] current = new byte[0];
        private int position;
        private boolean ended;

        ChunkStream(ProtocolConnection.Inflow inflow) {
            this.inflow = inflow;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] into, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            while (!ended && position == current.length) {
                JsonNode chunk;
                try {
                    chunk = inflow.next(false);
                } catch (ArborException e) {
                    throw new IOException(e.reason(), e);
                }
                if (chunk == null) {
                    ended = true;
                } else {
                    current = chunk.path("bytes").binaryValue();
                    position = 0;
                }
            }
            if (ended) {
                return -1;
            }
            int n = Math.min(length, current.length - position);
            System.arraycopy(current, position, into, offset, n);
            position += n;
            return n;
        }

        @Override
        public void close() {
            inflow.close();
        }
    }
}
