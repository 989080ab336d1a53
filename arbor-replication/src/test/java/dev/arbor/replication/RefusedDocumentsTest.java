package dev.arbor.replication;

import dev.arbor.Arbor;
import dev.arbor.api.Database;
import dev.arbor.api.Storage;
import dev.arbor.core.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A revision the target will not store is reported, counted, logged and told to the listener; the rest goes on. */
class RefusedDocumentsTest {
    private final Storage storage = Arbor.inMemoryStorage();
    private final Logger batchLog = Logger.getLogger(BatchTransfer.class.getName());
    private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override public void publish(LogRecord record) { logged.add(record); }
        @Override public void flush() { }
        @Override public void close() { }
    };

    @AfterEach
    void close() {
        batchLog.removeHandler(capture);
        storage.close();
    }

    @Test
    void aRevisionTheTargetRefusesIsAnErrorOfTheResultWithItsIdRevAndReason() {
        batchLog.addHandler(capture);
        Database source = storage.createDatabase("source");
        Database target = storage.createDatabase("target");
        target.put(Json.parseObject("""
                {"_id":"_design/v","validate_doc_update":"function(doc) { if (doc.n === 2) throw({forbidden: 'no twos'}); }"}"""));
        for (int n = 1; n <= 3; n++) {
            source.put(Json.parseObject("{\"_id\":\"d" + n + "\",\"n\":" + n + "}"));
        }
        String refusedRev = source.get("d2").get("_rev").asText();
        List<ReplicationEvent> events = new CopyOnWriteArrayList<>();

        ReplicationResult result = Replicator.start(source, target, ReplicationOptions.DEFAULT, events::add).await();

        assertEquals(ReplicationResult.Status.COMPLETE, result.status(), "one refused document does not fail the run");
        assertEquals(2, result.docsWritten());
        assertEquals(1, result.docWriteFailures());
        DocWriteError expected = new DocWriteError("d2", refusedRev, "forbidden", "no twos");
        assertEquals(List.of(expected), result.docWriteErrors());
        assertEquals(List.of(expected.toString()), result.errors());
        assertTrue(events.contains(new ReplicationEvent.Denied(expected)), events.toString());
        LogRecord warning = logged.stream().filter(r -> r.getLevel() == Level.WARNING).findFirst().orElseThrow();
        String message = java.text.MessageFormat.format(warning.getMessage(), warning.getParameters());
        assertTrue(message.contains("`d2`") && message.contains(refusedRev) && message.contains("no twos")
                && message.contains("forbidden"), message);
    }
}
