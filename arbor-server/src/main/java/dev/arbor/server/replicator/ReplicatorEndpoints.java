package dev.arbor.server.replicator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import dev.arbor.replication.ReplicationListener;
import dev.arbor.replication.ReplicationResult;
import dev.arbor.server.http.Access;
import dev.arbor.server.http.HttpError;
import dev.arbor.server.http.HttpExchange;
import dev.arbor.server.http.RequestPath;
import dev.arbor.server.http.Route;
import dev.arbor.server.http.Router;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code POST /_replicate}, {@code GET /_scheduler/jobs[/id]}, {@code GET /_scheduler/docs[/_replicator[/docid]]}
 * and {@code GET /_active_tasks}, in CouchDB 3's shapes.
 *
 * <p>All of them need a server admin. CouchDB lets any user {@code _replicate} (the job then runs
 * with that user's rights on local databases); Arbor's replications of local databases run with the
 * server's own rights, so only an admin may start one.
 */
final class ReplicatorEndpoints {
    private static final Duration CANCEL_WAIT = Duration.ofSeconds(10);

    private final RunningReplications running;
    private final ReplicatorDatabase replicatorDb;

    ReplicatorEndpoints(RunningReplications running, ReplicatorDatabase replicatorDb) {
        this.running = running;
        this.replicatorDb = replicatorDb;
    }

    void register(Router router) {
        router.server("_replicate", new Route().post(Access.SERVER_ADMIN, this::replicate));
        router.server("_scheduler", new Route().get(Access.SERVER_ADMIN, this::scheduler));
        router.server("_active_tasks", new Route().get(Access.SERVER_ADMIN, this::activeTasks));
    }

    private void replicate(HttpExchange exchange) {
        exchange.requireJsonContentType();
        ObjectNode body = exchange.readJsonObject();
        if (body.path("cancel").asBoolean(false)) {
            cancel(exchange, body);
            return;
        }
        ReplicationSpec spec = ReplicationSpec.parse(body);
        ReplicationTask task = running.startOrJoin(spec, null, ReplicationListener.NONE);
        if (spec.options().continuous()) {
            exchange.sendJson(202, Json.object().put("ok", true).put("_local_id", task.key()));
            return;
        }
        // The answer comes when the replication is done, however long that takes: no idle timeout.
        exchange.jettyRequest().addIdleTimeoutListener(timeout -> false);
        ReplicationResult result = task.ended().join();
        if (result.status() == ReplicationResult.Status.FAILED) {
            RuntimeException failure = task.failure();
            if (failure instanceof ArborException arbor && !(arbor instanceof ArborException.Internal)) {
                throw arbor;
            }
            throw new HttpError(500, "replication_failed", String.join("; ", result.errors()));
        }
        exchange.sendJson(200, oneShotAnswer(task, result));
    }

    /** CouchDB's answer to a one-shot replication: its session, the last source sequence, the replication log's history. */
    static ObjectNode oneShotAnswer(ReplicationTask task, ReplicationResult result) {
        ObjectNode out = Json.object().put("ok", true);
        if (result.changesRead() == 0) {
            out.put("no_changes", true);
        }
        if (result.status() == ReplicationResult.Status.CANCELLED) {
            out.put("cancelled", true);
        }
        out.put("session_id", result.sessionId());
        out.set("source_last_seq", result.lastSeq().toJson());
        out.put("replication_id_version", 4);
        out.put("_local_id", task.key());
        ObjectNode log = task.checkpointLog();
        if (log != null && log.path("history").isArray()) {
            out.set("history", log.get("history"));
        } else {
            ObjectNode entry = out.putArray("history").addObject();
            entry.put("session_id", result.sessionId());
            entry.put("start_time", TaskJson.timestamp(result.startTime()));
            entry.put("end_time", TaskJson.timestamp(result.endTime()));
            entry.set("start_last_seq", result.startSeq().toJson());
            entry.set("end_last_seq", result.lastSeq().toJson());
            entry.set("recorded_seq", result.lastSeq().toJson());
            entry.put("missing_checked", result.missingChecked());
            entry.put("missing_found", result.missingFound());
            entry.put("docs_read", result.docsRead());
            entry.put("docs_written", result.docsWritten());
            entry.put("doc_write_failures", result.docWriteFailures());
        }
        // Arbor's own counters of this run, beside CouchDB's fields (a resumed run's history[0] is this run too).
        out.put("docs_read", result.docsRead());
        out.put("docs_written", result.docsWritten());
        out.put("doc_write_failures", result.docWriteFailures());
        out.put("changes_read", result.changesRead());
        TaskJson.writeDocWriteErrors(out, result.docWriteErrors());
        return out;
    }

    /** {@code {"replication_id": id, "cancel": true}}, or the same body that started it with {@code "cancel": true}. */
    private void cancel(HttpExchange exchange, ObjectNode body) {
        JsonNode idNode = body.get("replication_id");
        String id = idNode != null && idNode.isTextual() ? idNode.textValue()
                : running.idOf(ReplicationSpec.parse(body)).toString();
        ReplicationTask task = running.find(id);
        if (task == null) {
            throw new ArborException.NotFound("Replication `" + id + "` not found");
        }
        if (task.docId() != null) {
            // CouchDB: a _replicator job is stopped by deleting its document.
            throw new HttpError(404, "not_found", "Replication `" + id + "` is run by _replicator/" + task.docId()
                    + "; delete that document to cancel it");
        }
        task.cancel();
        try {
            task.ended().get(CANCEL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception stillStopping) {
            // It stops after the batch being written; answering now is fine.
        }
        exchange.sendJson(200, Json.object().put("ok", true).put("_local_id", task.key()));
    }

    private void activeTasks(HttpExchange exchange) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        sorted(running.tasks()).forEach(task -> out.add(TaskJson.activeTask(task)));
        exchange.sendJson(200, out);
    }

    private void scheduler(HttpExchange exchange) {
        RequestPath path = exchange.path();
        String what = path.size() > 1 ? path.segment(1) : "";
        switch (what) {
            case "jobs" -> jobs(exchange, path.size() > 2 ? path.segment(2) : null);
            case "docs" -> {
                if (path.size() > 2 && !path.segment(2).equals(ReplicatorDatabase.NAME)) {
                    throw new ArborException.NotFound("Database does not exist.");
                }
                docs(exchange, path.size() > 3 ? path.joinFrom(3) : null);
            }
            default -> throw new ArborException.NotFound("missing");
        }
    }

    private void jobs(HttpExchange exchange, String id) {
        List<ReplicationTask> tasks = sorted(running.tasks());
        if (id != null) {
            ReplicationTask task = running.find(id);
            if (task == null) {
                throw new ArborException.NotFound("Job `" + id + "` not found");
            }
            exchange.sendJson(200, TaskJson.schedulerJob(task));
            return;
        }
        long skip = exchange.query().positiveInteger("skip", 0);
        long limit = exchange.query().positiveInteger("limit", Long.MAX_VALUE);
        ObjectNode out = Json.object().put("total_rows", tasks.size()).put("offset", skip);
        ArrayNode jobs = out.putArray("jobs");
        tasks.stream().skip(skip).limit(limit).forEach(task -> jobs.add(TaskJson.schedulerJob(task)));
        exchange.sendJson(200, out);
    }

    private void docs(HttpExchange exchange, String docId) {
        if (docId != null) {
            ReplicatorDatabase.DocJob job = replicatorDb.job(docId);
            if (job == null) {
                throw new ArborException.NotFound("Doc `" + docId + "` not found");
            }
            exchange.sendJson(200, docEntry(job));
            return;
        }
        var jobs = replicatorDb.jobs();
        long skip = exchange.query().positiveInteger("skip", 0);
        long limit = exchange.query().positiveInteger("limit", Long.MAX_VALUE);
        ObjectNode out = Json.object().put("total_rows", jobs.size()).put("offset", skip);
        ArrayNode docs = out.putArray("docs");
        jobs.stream().skip(skip).limit(limit).forEach(job -> docs.add(docEntry(job)));
        exchange.sendJson(200, out);
    }

    private static ObjectNode docEntry(ReplicatorDatabase.DocJob job) {
        ObjectNode out = Json.object();
        out.put("database", ReplicatorDatabase.NAME);
        out.put("doc_id", job.docId);
        out.put("id", job.replicationId);
        out.put("node", TaskJson.NODE);
        out.put("source", job.spec == null ? null : job.spec.source().display());
        out.put("target", job.spec == null ? null : job.spec.target().display());
        ReplicationTask task = job.task;
        String state = job.state;
        if ("running".equals(state) && task != null && !task.ended().isDone() && task.failure() == null
                && !task.history().isEmpty() && "crashed".equals(task.history().getLast().type())) {
            state = "crashing";
        }
        out.put("state", state);
        if (task != null && !task.ended().isDone()) {
            out.set("info", TaskJson.info(task));
        } else if (job.finalInfo != null) {
            out.set("info", job.finalInfo);
        } else if (job.reason != null) {
            out.putObject("info").put("error", job.reason);
        } else {
            out.putNull("info");
        }
        out.put("error_count", job.errorCount);
        out.put("last_updated", TaskJson.timestamp(job.lastUpdated));
        out.put("start_time", TaskJson.timestamp(job.startTime));
        out.putNull("source_proxy");
        out.putNull("target_proxy");
        return out;
    }

    private static List<ReplicationTask> sorted(java.util.Collection<ReplicationTask> tasks) {
        return tasks.stream().sorted(Comparator.comparing(ReplicationTask::startTime).thenComparing(ReplicationTask::key)).toList();
    }
}
