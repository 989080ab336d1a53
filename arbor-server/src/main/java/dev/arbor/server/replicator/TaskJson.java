package dev.arbor.server.replicator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.Seq;
import dev.arbor.core.json.Json;
import dev.arbor.replication.DocWriteError;
import dev.arbor.replication.ReplicationStats;

import java.time.Instant;
import java.util.List;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** CouchDB 3's JSON shapes of a running replication: an {@code _active_tasks} entry, a {@code _scheduler/jobs} entry, their {@code info}. */
final class TaskJson {
    /** CouchDB names a node; a single Arbor server has one, under CouchDB's single-node default name. */
    static final String NODE = "nonode@nohost";
    static final String REPLICATOR_DB = "_replicator";
    private static final DateTimeFormatter ISO_SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private TaskJson() {}

    static String timestamp(Instant instant) {
        return ISO_SECONDS.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    static ObjectNode activeTask(ReplicationTask task) {
        ReplicationStats stats = task.stats();
        Seq sourceSeq = sourceSeq(task);
        ObjectNode out = Json.object();
        out.put("node", NODE);
        out.put("pid", pid(task));
        out.put("process_status", task.isWaiting() ? "waiting" : "running");
        out.put("type", "replication");
        out.put("replication_id", task.key());
        if (task.docId() == null) {
            out.putNull("database");
            out.putNull("doc_id");
        } else {
            out.put("database", REPLICATOR_DB);
            out.put("doc_id", task.docId());
        }
        out.put("source", task.spec().source().display());
        out.put("target", task.spec().target().display());
        out.put("continuous", task.spec().options().continuous());
        out.putNull("user");
        out.put("checkpoint_interval", task.spec().options().checkpointInterval().toMillis());
        writeCounters(out, stats, task, sourceSeq);
        out.put("started_on", task.startTime().getEpochSecond());
        out.put("updated_on", task.updatedOn().getEpochSecond());
        return out;
    }

    static ObjectNode schedulerJob(ReplicationTask task) {
        ObjectNode out = Json.object();
        out.put("database", task.docId() == null ? null : REPLICATOR_DB);
        out.put("id", task.key());
        out.put("pid", pid(task));
        out.put("source", task.spec().source().display());
        out.put("target", task.spec().target().display());
        out.putNull("user");
        out.put("doc_id", task.docId());
        out.set("info", info(task));
        ArrayNode history = out.putArray("history");
        // Newest first, as CouchDB lists them.
        var entries = task.history();
        for (int i = entries.size() - 1; i >= 0; i--) {
            var entry = entries.get(i);
            ObjectNode item = history.addObject().put("timestamp", timestamp(entry.timestamp())).put("type", entry.type());
            if (entry.reason() != null) {
                item.put("reason", entry.reason());
            }
        }
        out.put("node", NODE);
        out.put("start_time", timestamp(task.startTime()));
        return out;
    }

    static ObjectNode info(ReplicationTask task) {
        ObjectNode info = Json.object();
        writeCounters(info, task.stats(), task, sourceSeq(task));
        return info;
    }

    private static void writeCounters(ObjectNode out, ReplicationStats stats, ReplicationTask task, Seq sourceSeq) {
        out.put("revisions_checked", stats.missingChecked());
        out.put("missing_revisions_found", stats.missingFound());
        out.put("docs_read", stats.docsRead());
        out.put("docs_written", stats.docsWritten());
        out.put("doc_write_failures", stats.docWriteFailures());
        out.put("changes_read", stats.changesRead());
        if (sourceSeq == null) {
            out.putNull("changes_pending");
            out.putNull("source_seq");
        } else {
            out.put("changes_pending", Math.max(0, sourceSeq.number() - stats.lastSeq().number()));
            out.set("source_seq", sourceSeq.toJson());
        }
        out.set("checkpointed_source_seq", task.checkpointedSeq().toJson());
        out.set("through_seq", stats.lastSeq().toJson());
        writeDocWriteErrors(out, task.docWriteErrors());
    }

    /**
     * Arbor's addition to CouchDB's counters: which revisions {@code doc_write_failures} counts, and why (CouchDB
     * only logs them). Present only when there are some, so a clean job's shape is CouchDB's.
     */
    static void writeDocWriteErrors(ObjectNode out, List<DocWriteError> errors) {
        if (errors.isEmpty()) {
            return;
        }
        ArrayNode list = out.putArray("doc_write_errors");
        for (DocWriteError error : errors) {
            list.addObject().put("id", error.id()).put("rev", error.rev()).put("error", error.error()).put("reason", error.reason());
        }
    }

    /**
     * The source's update sequence now, asked when the task is shown: a running count would cost every
     * batch a request to a remote source. Null when the source cannot say (it ended or is unreachable).
     */
    private static Seq sourceSeq(ReplicationTask task) {
        if (task.ended().isDone()) {
            return null;
        }
        try {
            return task.peers().source().info().updateSeq();
        } catch (RuntimeException unreachable) {
            return null;
        }
    }

    /** CouchDB shows an Erlang pid; Arbor shows a stable token of the same form for the job. */
    private static String pid(ReplicationTask task) {
        return "<0." + Integer.toUnsignedString(task.key().hashCode() & 0xffff) + ".0>";
    }
}
