package dev.arbor.replication;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.Database;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads and writes the replication log {@code _local/<replication id>} on both sides, as CouchDB's
 * scheduler job does ({@code compare_replication_logs}, {@code do_checkpoint}).
 *
 * <p>The document carries CouchDB's fields ({@code session_id}, {@code source_last_seq},
 * {@code replication_id_version}, {@code history} entries with {@code recorded_seq} and the stats) and
 * PouchDB's ({@code last_seq} in each history entry, {@code replicator}), so either replicator
 * recognises a checkpoint Arbor wrote. The target is written first: a source checkpoint then always has
 * its target counterpart, so the common session found on start is really on both sides.
 */
final class Checkpointer {
    /** CouchDB keeps 50 history entries. */
    static final int MAX_HISTORY = 50;
    private static final int REPLICATION_ID_VERSION = 4;
    private static final DateTimeFormatter RFC_1123 = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private final Database source;
    private final Database target;
    private final String docId;
    private final String sessionId;
    private final Instant startTime;
    private List<JsonNode> baseHistory = List.of();
    private long startSeq;
    private long recordedSeq = -1;

    Checkpointer(Database source, Database target, ReplicationId id, String sessionId, Instant startTime) {
        this.source = source;
        this.target = target;
        this.docId = id.checkpointDocId();
        this.sessionId = sessionId;
        this.startTime = startTime;
    }

    /** The sequence to resume after: the last one both sides recorded in a common session, else 0. */
    long findStartSeq() {
        ObjectNode sourceLog = read(source);
        ObjectNode targetLog = read(target);
        startSeq = commonSeq(sourceLog, targetLog);
        if (sourceLog != null && sourceLog.path("history").isArray()) {
            List<JsonNode> history = new ArrayList<>();
            sourceLog.get("history").forEach(history::add);
            baseHistory = history;
        }
        recordedSeq = startSeq;
        return startSeq;
    }

    /** Starts from a given sequence ({@code since_seq}) but keeps writing checkpoints. */
    void startAt(long seq) {
        ObjectNode sourceLog = read(source);
        if (sourceLog != null && sourceLog.path("history").isArray()) {
            List<JsonNode> history = new ArrayList<>();
            sourceLog.get("history").forEach(history::add);
            baseHistory = history;
        }
        startSeq = seq;
        recordedSeq = seq;
    }

    /** CouchDB's {@code compare_replication_logs}: same session, else the newest source session the target also knows. */
    static long commonSeq(ObjectNode sourceLog, ObjectNode targetLog) {
        if (sourceLog == null || targetLog == null) {
            return 0;
        }
        String sourceSession = sourceLog.path("session_id").asText(null);
        if (sourceSession != null && sourceSession.equals(targetLog.path("session_id").asText(null))) {
            return seq(sourceLog.get("source_last_seq"));
        }
        Set<String> targetSessions = new HashSet<>();
        targetLog.path("history").forEach(entry -> targetSessions.add(entry.path("session_id").asText()));
        for (JsonNode entry : sourceLog.path("history")) {
            if (targetSessions.contains(entry.path("session_id").asText())) {
                return seq(entry.has("recorded_seq") ? entry.get("recorded_seq") : entry.get("last_seq"));
            }
        }
        return 0;
    }

    /** Writes a checkpoint at {@code seq} on both sides unless that is what they already say. */
    void record(long seq, ReplicationStats stats) {
        if (seq == recordedSeq) {
            return;
        }
        ObjectNode log = Json.object();
        log.put("session_id", sessionId);
        log.put("source_last_seq", seq);
        log.put("replication_id_version", REPLICATION_ID_VERSION);
        log.put("replicator", "arbor");
        ArrayNode history = log.putArray("history");
        history.add(historyEntry(seq, stats));
        for (JsonNode old : baseHistory) {
            if (history.size() >= MAX_HISTORY) {
                break;
            }
            history.add(old);
        }
        write(target, log);
        write(source, log);
        recordedSeq = seq;
    }

    long recordedSeq() {
        return recordedSeq;
    }

    private ObjectNode historyEntry(long seq, ReplicationStats stats) {
        ObjectNode entry = Json.object();
        entry.put("session_id", sessionId);
        entry.put("start_time", RFC_1123.format(startTime));
        entry.put("end_time", RFC_1123.format(Instant.now()));
        entry.put("start_last_seq", startSeq);
        entry.put("end_last_seq", seq);
        entry.put("recorded_seq", seq);
        entry.put("last_seq", seq);
        entry.put("missing_checked", stats.missingChecked());
        entry.put("missing_found", stats.missingFound());
        entry.put("docs_read", stats.docsRead());
        entry.put("docs_written", stats.docsWritten());
        entry.put("doc_write_failures", stats.docWriteFailures());
        return entry;
    }

    private ObjectNode read(Database db) {
        try {
            return db.getLocal(docId);
        } catch (ArborException.NotFound e) {
            return null;
        }
    }

    /** Overwrites the log whatever its revision: this replication is the only writer of its own log. */
    private void write(Database db, ObjectNode log) {
        ObjectNode doc = log.deepCopy();
        doc.put("_id", docId);
        ObjectNode current = read(db);
        if (current != null && current.has("_rev")) {
            doc.put("_rev", current.get("_rev").asText());
        }
        db.putLocal(doc);
    }

    /** Arbor's sequences are numbers; CouchDB's are opaque strings that start with the number. */
    private static long seq(JsonNode node) {
        if (node == null || node.isNull()) {
            return 0;
        }
        if (node.isNumber()) {
            return node.asLong();
        }
        String text = node.asText();
        int dash = text.indexOf('-');
        try {
            return Long.parseLong(dash < 0 ? text : text.substring(0, dash));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
