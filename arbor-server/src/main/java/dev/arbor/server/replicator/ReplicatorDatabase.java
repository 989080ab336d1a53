package dev.arbor.server.replicator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.ChangeRow;
import dev.arbor.api.ChangesOptions;
import dev.arbor.api.Database;
import dev.arbor.api.Storage;
import dev.arbor.api.Subscription;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import dev.arbor.replication.ReplicationEvent;
import dev.arbor.replication.ReplicationResult;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The {@code _replicator} database: each document with {@code source} and {@code target} is a
 * replication the server runs, as in CouchDB. The job's state is written back onto the document:
 * {@code _replication_state} ({@code triggered} when started, {@code running} once it made progress,
 * {@code completed} when a one-shot ended, {@code crashing} when it failed and will be retried,
 * {@code error} when the document cannot be run as it is), {@code _replication_state_time},
 * {@code _replication_id}, and {@code _replication_stats} or {@code _replication_state_reason}.
 *
 * <p>Jobs survive restarts: the database is read from the start when the server starts, and every
 * document not {@code completed} or in {@code error} is started again (each resumes from its
 * checkpoint). Deleting a document cancels its job; editing its replication fields restarts it. Only
 * edits to the replication fields count: the state this class writes back changes nothing else, and is
 * recognised and skipped when it comes round in the changes feed.
 *
 * <p>One thread reads the changes and owns the documents' jobs; the replications' threads only hand it
 * their outcome. Where CouchDB writes {@code failed} (terminal) Arbor writes {@code error}, and CouchDB's
 * {@code triggered}/{@code running} are both written, so a client polling the document sees the job start.
 */
final class ReplicatorDatabase implements AutoCloseable {
    static final String NAME = "_replicator";
    private static final System.Logger LOG = System.getLogger(ReplicatorDatabase.class.getName());
    private static final Duration FIRST_RETRY = Duration.ofSeconds(5);
    private static final Duration MAX_RETRY = Duration.ofMinutes(10);

    /** One document's job, as {@code _scheduler/docs} shows it. Written on the worker thread only. */
    static final class DocJob {
        final String docId;
        final String specKey;
        final ReplicationSpec spec;
        volatile String state;
        volatile String reason;
        volatile ReplicationTask task;
        volatile String replicationId;
        volatile int errorCount;
        volatile Instant startTime = Instant.now();
        volatile Instant lastUpdated = Instant.now();
        volatile ObjectNode finalInfo;
        volatile boolean progressWritten;

        DocJob(String docId, String specKey, ReplicationSpec spec, String state) {
            this.docId = docId;
            this.specKey = specKey;
            this.spec = spec;
            this.state = state;
        }
    }

    private final Storage storage;
    private final RunningReplications running;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "arbor-replicator-docs");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, DocJob> docs = new ConcurrentHashMap<>();
    private final AtomicBoolean catchUpQueued = new AtomicBoolean();
    private Database db;
    private Subscription subscription;
    private long seenSeq;
    private volatile boolean closed;

    ReplicatorDatabase(Storage storage, RunningReplications running) {
        this.storage = storage;
        this.running = running;
    }

    /** On server start: takes up the documents of an existing {@code _replicator} database. */
    void start() {
        if (storage.exists(NAME)) {
            worker.execute(this::attach);
        }
    }

    void databaseCreated(String name) {
        if (NAME.equals(name)) {
            worker.execute(this::attach);
        }
    }

    void databaseDeleted(String name) {
        if (NAME.equals(name)) {
            worker.execute(this::detach);
        }
    }

    Collection<DocJob> jobs() {
        return List.copyOf(new TreeMap<>(docs).values());
    }

    DocJob job(String docId) {
        return docs.get(docId);
    }

    private void attach() {
        if (closed || db != null) {
            return;
        }
        try {
            db = storage.database(NAME);
        } catch (ArborException.NotFound deletedMeanwhile) {
            return;
        }
        seenSeq = 0;
        subscription = db.onCommit(event -> queueCatchUp());
        catchUp();
    }

    private void detach() {
        if (subscription != null) {
            subscription.close();
            subscription = null;
        }
        db = null;
        for (DocJob job : docs.values()) {
            cancel(job);
        }
        docs.clear();
    }

    /** Commits can come fast; one catch-up queued at a time reads all of them. */
    private void queueCatchUp() {
        if (!closed && catchUpQueued.compareAndSet(false, true)) {
            worker.execute(() -> {
                catchUpQueued.set(false);
                catchUp();
            });
        }
    }

    private void catchUp() {
        if (db == null || closed) {
            return;
        }
        try {
            var summary = db.changes(ChangesOptions.DEFAULT.since(seenSeq).includeDocs(true), this::handle);
            seenSeq = Math.max(seenSeq, summary.lastSeq().toLocal());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not read the changes of " + NAME, e);
        }
    }

    private void handle(ChangeRow row) {
        seenSeq = Math.max(seenSeq, row.seq().toLocal());
        String docId = row.id();
        if (docId.startsWith("_design/")) {
            return;
        }
        DocJob existing = docs.get(docId);
        if (row.deleted() || row.doc() == null) {
            if (existing != null) {
                docs.remove(docId);
                cancel(existing);
            }
            return;
        }
        ObjectNode doc = row.doc();
        String specKey = specKey(doc);
        if (existing != null && existing.specKey.equals(specKey)) {
            return;
        }
        if (existing != null) {
            docs.remove(docId);
            cancel(existing);
        }
        String written = doc.path("_replication_state").asText("");
        ReplicationSpec spec;
        try {
            spec = ReplicationSpec.parse(doc);
        } catch (ArborException.BadRequest invalid) {
            DocJob job = new DocJob(docId, specKey, null, "error");
            job.reason = invalid.reason();
            docs.put(docId, job);
            if (!written.equals("error")) {
                writeState(job, out -> out.put("_replication_state_reason", invalid.reason()));
            }
            return;
        }
        if (existing == null && (written.equals("completed") || written.equals("error"))) {
            // Finished before this server (re)started: CouchDB does not run a finished document again either.
            DocJob job = new DocJob(docId, specKey, spec, written);
            job.replicationId = doc.path("_replication_id").asText(null);
            job.reason = doc.path("_replication_state_reason").asText(null);
            if (doc.path("_replication_stats").isObject()) {
                job.finalInfo = (ObjectNode) doc.get("_replication_stats");
            }
            docs.put(docId, job);
            return;
        }
        DocJob job = new DocJob(docId, specKey, spec, "initializing");
        docs.put(docId, job);
        launch(job);
    }

    /** The document's replication fields: everything but its revision and the state written back. */
    private static String specKey(ObjectNode doc) {
        TreeMap<String, com.fasterxml.jackson.databind.JsonNode> fields = new TreeMap<>();
        doc.properties().forEach(e -> {
            String name = e.getKey();
            if (!name.equals("_rev") && !name.startsWith("_replication_") && !name.equals("_revisions") && !name.equals("_conflicts")) {
                fields.put(name, e.getValue());
            }
        });
        return Json.text(Json.MAPPER.valueToTree(fields));
    }

    private void launch(DocJob job) {
        if (closed || docs.get(job.docId) != job) {
            return;
        }
        job.startTime = Instant.now();
        job.progressWritten = false;
        try {
            ReplicationTask task = running.startOrJoin(job.spec, job.docId, event -> onJobEvent(job, event));
            job.task = task;
            job.replicationId = task.key();
            job.state = "running";
            job.lastUpdated = Instant.now();
            writeState(job, "triggered", out -> { });
            // Through the task's future, not its events: a job joining one that already ran gets no events of its own.
            task.ended().thenAccept(result -> {
                if (!closed) {
                    worker.execute(() -> ended(job, result));
                }
            });
        } catch (RuntimeException e) {
            failed(job, e);
        }
    }

    /** On a replication thread: hand over to the worker. */
    private void onJobEvent(DocJob job, ReplicationEvent event) {
        if (closed) {
            return;
        }
        switch (event) {
            case ReplicationEvent.Change change when !job.progressWritten -> worker.execute(() -> progressed(job));
            case ReplicationEvent.Paused paused when !job.progressWritten -> worker.execute(() -> progressed(job));
            default -> { }
        }
    }

    private void progressed(DocJob job) {
        if (docs.get(job.docId) != job || job.progressWritten || !"running".equals(job.state)) {
            return;
        }
        job.progressWritten = true;
        writeState(job, "running", out -> { });
    }

    private void ended(DocJob job, ReplicationResult result) {
        if (closed || docs.get(job.docId) != job) {
            return;
        }
        ReplicationTask task = job.task;
        job.lastUpdated = Instant.now();
        switch (result.status()) {
            case COMPLETE -> {
                job.state = "completed";
                job.finalInfo = task == null ? null : TaskJson.info(task);
                writeState(job, out -> out.set("_replication_stats", stats(result)));
            }
            // Cancelled by a change to the document or by the shutdown: nothing to write; a restart resumes it.
            case CANCELLED -> { }
            case FAILED -> failed(job, task == null || task.failure() == null
                    ? new ArborException.Internal(String.join("; ", result.errors()), null) : task.failure());
        }
    }

    /** A document that cannot run as written is in {@code error} for good; anything else is retried with backoff. */
    private void failed(DocJob job, RuntimeException e) {
        job.errorCount++;
        job.reason = e instanceof ArborException ae ? ae.error() + ": " + ae.reason() : e.getMessage();
        job.lastUpdated = Instant.now();
        if (e instanceof ArborException.BadRequest) {
            job.state = "error";
            writeState(job, out -> out.put("_replication_state_reason", job.reason));
            return;
        }
        job.state = "crashing";
        writeState(job, out -> out.put("_replication_state_reason", job.reason));
        long delay = Math.min(MAX_RETRY.toMillis(), FIRST_RETRY.toMillis() << Math.min(20, job.errorCount - 1));
        worker.schedule(() -> launch(job), delay, TimeUnit.MILLISECONDS);
    }

    private static ObjectNode stats(ReplicationResult result) {
        ObjectNode stats = Json.object();
        stats.put("start_time", TaskJson.timestamp(result.startTime()));
        stats.put("end_time", TaskJson.timestamp(result.endTime()));
        stats.put("revisions_checked", result.missingChecked());
        stats.put("missing_revisions_found", result.missingFound());
        stats.put("docs_read", result.docsRead());
        stats.put("docs_written", result.docsWritten());
        stats.put("doc_write_failures", result.docWriteFailures());
        stats.set("checkpointed_source_seq", result.lastSeq().toJson());
        TaskJson.writeDocWriteErrors(stats, result.docWriteErrors());
        return stats;
    }

    private void writeState(DocJob job, java.util.function.Consumer<ObjectNode> extra) {
        writeState(job, job.state, extra);
    }

    /** Sets the state fields on the current revision of the document; an edit in between is simply read again. */
    private void writeState(DocJob job, String state, java.util.function.Consumer<ObjectNode> extra) {
        if (db == null) {
            return;
        }
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                ObjectNode doc = db.get(job.docId);
                if (!specKey(doc).equals(job.specKey)) {
                    return;
                }
                doc.put("_replication_state", state);
                doc.put("_replication_state_time", TaskJson.timestamp(Instant.now()));
                if (job.replicationId != null) {
                    doc.put("_replication_id", job.replicationId);
                }
                doc.remove("_replication_state_reason");
                doc.remove("_replication_stats");
                extra.accept(doc);
                db.put(doc);
                return;
            } catch (ArborException.Conflict editedMeanwhile) {
                // read it again
            } catch (ArborException.NotFound deleted) {
                return;
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "could not write the state of " + NAME + "/" + job.docId, e);
                return;
            }
        }
    }

    private static void cancel(DocJob job) {
        ReplicationTask task = job.task;
        if (task != null) {
            task.cancel();
        }
    }

    /** Stops reading the database; the jobs themselves are stopped by {@link RunningReplications#close()}. */
    @Override
    public void close() {
        closed = true;
        worker.shutdownNow();
        try {
            worker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (subscription != null) {
            subscription.close();
        }
    }
}
