package dev.arbor.server.changes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.core.json.Json;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The bytes of each feed type, as CouchDB 3.x's chttpd_db:changes_callback writes them. One instance
 * per response: the normal format remembers whether a row separator is due.
 */
sealed interface FeedFormat {

    static FeedFormat of(FeedType feed) {
        return switch (feed) {
            case NORMAL, LONGPOLL -> new Results();
            case CONTINUOUS -> new Continuous();
            case EVENTSOURCE -> new EventSource();
        };
    }

    /** Before the first row. */
    void begin(OutputStream out) throws IOException;

    /** One change; {@code seq} is the row's own {@code seq} member (a number, or null under seq_interval). */
    void row(OutputStream out, ObjectNode row, JsonNode seq) throws IOException;

    /** Keeps the connection alive (and finds out whether the client is still there). */
    void heartbeat(OutputStream out) throws IOException;

    /** After the last row: where the feed got to and how many changes are left after it. */
    void end(OutputStream out, long lastSeq, long pending) throws IOException;

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
    }

    /** normal and longpoll: {@code {"results":[\n row,\r\n row \n],\n"last_seq":N,"pending":N}\n}. */
    final class Results implements FeedFormat {
        private boolean rowWritten;

        @Override
        public void begin(OutputStream out) throws IOException {
            write(out, "{\"results\":[\n");
        }

        @Override
        public void row(OutputStream out, ObjectNode row, JsonNode seq) throws IOException {
            if (rowWritten) {
                write(out, ",\r\n");
            }
            out.write(Json.bytes(row));
            rowWritten = true;
        }

        /** A newline between array elements: whitespace to a JSON parser. */
        @Override
        public void heartbeat(OutputStream out) throws IOException {
            write(out, "\n");
        }

        @Override
        public void end(OutputStream out, long lastSeq, long pending) throws IOException {
            write(out, "\n],\n\"last_seq\":" + lastSeq + ",\"pending\":" + pending + "}\n");
        }
    }

    /** continuous: one row per line, blank lines as heartbeats, a last line with last_seq and pending. */
    final class Continuous implements FeedFormat {
        @Override
        public void begin(OutputStream out) {
        }

        @Override
        public void row(OutputStream out, ObjectNode row, JsonNode seq) throws IOException {
            out.write(Json.bytes(row));
            write(out, "\n");
        }

        @Override
        public void heartbeat(OutputStream out) throws IOException {
            write(out, "\n");
        }

        @Override
        public void end(OutputStream out, long lastSeq, long pending) throws IOException {
            write(out, "{\"last_seq\":" + lastSeq + ",\"pending\":" + pending + "}\n");
        }
    }

    /** eventsource: a {@code data:}/{@code id:} event per row, a {@code heartbeat} event to keep alive, no trailer. */
    final class EventSource implements FeedFormat {
        @Override
        public void begin(OutputStream out) {
        }

        @Override
        public void row(OutputStream out, ObjectNode row, JsonNode seq) throws IOException {
            write(out, "data: ");
            out.write(Json.bytes(row));
            write(out, "\nid: ");
            out.write(Json.bytes(seq));
            write(out, "\n\n");
        }

        @Override
        public void heartbeat(OutputStream out) throws IOException {
            write(out, "event: heartbeat\ndata: \n\n");
        }

        /** CouchDB ends an event stream without a summary event; the client has each row's id. */
        @Override
        public void end(OutputStream out, long lastSeq, long pending) {
        }
    }
}
