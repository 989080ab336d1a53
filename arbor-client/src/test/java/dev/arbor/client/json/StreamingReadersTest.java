package dev.arbor.client.json;

import dev.arbor.api.AllDocsRow;
import dev.arbor.api.AllDocsSink;
import dev.arbor.api.ChangeRow;
import dev.arbor.api.ChangesSummary;
import dev.arbor.api.Seq;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StreamingReadersTest {

    /** Records what a sink is told, in order. */
    private static final class Recorder implements AllDocsSink {
        final List<String> calls = new ArrayList<>();
        final List<AllDocsRow> rows = new ArrayList<>();

        @Override public void begin(long totalRows, long offset, Seq updateSeq) {
            calls.add("begin " + totalRows + " " + offset + " " + updateSeq);
        }

        @Override public void row(AllDocsRow row) {
            calls.add("row " + row.key());
            rows.add(row);
        }
    }

    private static InputStream text(String json) {
        return new ByteArrayInputStream(json.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
    }

    /** The text, then a failure: what a connection dropped in the middle of an answer looks like. */
    private static InputStream brokenAfter(String json) {
        InputStream failing = new InputStream() {
            @Override public int read() throws IOException { throw new IOException("connection reset"); }
        };
        return new SequenceInputStream(text(json), failing);
    }

    @Test
    void allDocsRowsReachTheSinkBeforeTheAnswerIsComplete() {
        Recorder sink = new Recorder();
        String head = "{'total_rows':3,'offset':0,'rows':[{'id':'a','key':'a','value':{'rev':'1-x'}},";
        assertThrows(IOException.class, () -> new AllDocsReader().read(brokenAfter(head), false, sink));
        assertEquals(List.of("begin 3 0 null", "row a"), sink.calls, "rows are handed on as they arrive, not at the end");
    }

    @Test
    void allDocsReadsRowsDeletedRowsAndUnknownKeys() throws IOException {
        Recorder sink = new Recorder();
        new AllDocsReader().read(text("{'total_rows':5,'offset':null,'update_seq':'9-opaque','rows':["
                + "{'id':'a','key':'a','value':{'rev':'1-x'},'doc':{'_id':'a','_rev':'1-x','n':1}},"
                + "{'key':'zz','error':'not_found'},"
                + "{'id':'c','key':'c','value':{'rev':'2-y','deleted':true},'doc':null}]}"), true, sink);
        assertEquals("begin 5 0 9-opaque", sink.calls.getFirst(), "the server's update_seq as it sent it");
        assertEquals(1, sink.rows.get(0).doc().get("n").asInt());
        assertEquals(AllDocsRow.notFound("zz"), sink.rows.get(1));
        AllDocsRow deleted = sink.rows.get(2);
        assertTrue(deleted.deleted());
        assertEquals("2-y", deleted.rev());
        assertNull(deleted.doc());
    }

    @Test
    void aHeaderSentAfterTheRowsStillReachesTheSinkFirst() throws IOException {
        // pouchdb-server serialises a finished object, update_seq last.
        Recorder sink = new Recorder();
        new AllDocsReader().read(text("{'total_rows':1,'offset':0,'rows':[{'id':'a','key':'a','value':{'rev':'1-x'}}],"
                + "'update_seq':4}"), true, sink);
        assertEquals(List.of("begin 1 0 4", "row a"), sink.calls);
    }

    @Test
    void changesRowsAreHandedOnAsTheyArriveAndTheTailMakesTheSummary() throws IOException {
        List<ChangeRow> rows = new ArrayList<>();
        ChangesSummary summary = new ChangesReader().read(text("{'results':["
                + "{'seq':'1-g1','id':'a','changes':[{'rev':'1-x'}]},"
                + "{'seq':'2-g2','id':'b','changes':[{'rev':'2-y'},{'rev':'2-z'}],'deleted':true,'doc':{'_id':'b'}}],"
                + "'last_seq':'2-g2','pending':5}"), rows::add);
        assertEquals(List.of(new Seq.Token("1-g1"), new Seq.Token("2-g2")), rows.stream().map(ChangeRow::seq).toList(),
                "a server's sequences are kept as it sent them");
        assertEquals(List.of("2-y", "2-z"), rows.get(1).changes());
        assertTrue(rows.get(1).deleted());
        assertEquals("b", rows.get(1).doc().get("_id").asText());
        assertEquals(new ChangesSummary(new Seq.Token("2-g2"), 5), summary);

        List<ChangeRow> early = new ArrayList<>();
        assertThrows(IOException.class, () -> new ChangesReader().read(
                brokenAfter("{'results':[{'seq':3,'id':'c','changes':[{'rev':'1-c'}]},"), early::add));
        assertEquals(1, early.size(), "the first row arrived before the connection broke");
    }

    @Test
    void aChangesAnswerWithoutPendingHasNonePending() throws IOException {
        ChangesSummary summary = new ChangesReader().read(text("{'results':[],'last_seq':0}"), row -> { });
        assertEquals(new ChangesSummary(0, 0), summary);
    }
}
