package dev.arbor.replication;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.Database;
import dev.arbor.api.Seq;
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
 * recognises a checkpoint Arbor wrote. Sequences are stored as the source gave them: a number for Arbor and
 * PouchDB, CouchDB's opaque string as that string, which is what a resumed run must send back as {@code since}. The target is written first: a source checkpoint then always has
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
    private Seq startSeq = Seq.ZERO;
    /** What both logs say now; null until read, so the first {@link #record} always writes. */
    private Seq recordedSeq;

    Checkpointer(Database source, Database target, ReplicationId id, String sessionId, Instant startTime) {
        this.source = source;
        this.target = target;
        this.docId = id.checkpointDocId();
        this.sessionId = sessionId;
        this.startTime = startTime;
    }

    /** The sequence to resume after: the last one both sides recorded in a common session, else 0. */
    Seq findStartSeq() {
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
    void startAt(Seq seq) {
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
    static Seq commonSeq(ObjectNode sourceLog, ObjectNode targetLog) {
        if (sourceLog == null || targetLog == null) {
            return Seq.ZERO;
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
        return Seq.ZERO;
    }

    /** Writes a checkpoint at {@code seq} on both sides unless that is what they already say. */
    void record(Seq seq, ReplicationStats stats) {
        if (seq.equals(recordedSeq)) {
            return;
        }
        ObjectNode log = Json.object();
        log.put("session_id", sessionId);
        log.set("source_last_seq", seq.toJson());
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

    Seq recordedSeq() {
        return recordedSeq;
    }

    private ObjectNode historyEntry(Seq seq, ReplicationStats stats) {
        ObjectNode entry = Json.object();
        entry.put("session_id", sessionId);
        entry.put("start_time", RFC_1123.format(startTime));
        entry.put("end_time", RFC_1123.format(Instant.now()));
        entry.set("start_last_seq", startSeq.toJson());
        entry.set("end_last_seq", seq.toJson());
        entry.set("recorded_seq", seq.toJson());
        entry.set("last_seq", seq.toJson());
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

    /** The sequence as the log holds it; a log that holds none (or something no sequence can be) starts over. */
    private static Seq seq(JsonNode node) {
        try {
            return Seq.fromJson(node);
        } catch (ArborException.BadRequest unreadable) {
            return Seq.ZERO;
        }
    }
}
