package dev.arbor.cli.replicate;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.arbor.Arbor;
import dev.arbor.api.Storage;
import dev.arbor.cli.ArborSubcommand;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import dev.arbor.replication.Replication;
import dev.arbor.replication.ReplicationResult;
import dev.arbor.replication.Replicator;
import dev.arbor.server.replicator.OpenPeers;
import dev.arbor.server.replicator.PeerSpec;
import dev.arbor.server.replicator.ReplicationSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code arbor replicate SOURCE TARGET}: CouchDB's replication between two databases, each a name in
 * {@code --data} or a URL ({@code http://user:pw@host:5984/db}). The result is JSON on stdout; while it
 * runs, a progress bar is drawn on stderr when a person watches it. With {@code --live} it keeps
 * replicating until Ctrl-C, then checkpoints and prints the result.
 *
 * <p>The replication id is the one the server gives the same pair, so a replication run here resumes
 * from a checkpoint written by the server's {@code _replicate} and the other way round.
 */
@Command(name = "replicate", description = "Replicate SOURCE to TARGET (each a database name in --data, or a URL). "
        + "Prints the result as JSON; draws progress on stderr when it is a terminal.")
public final class ReplicateCommand extends ArborSubcommand {
    @Parameters(index = "0", paramLabel = "SOURCE", description = "a database name in --data, or http(s)://[user:pw@]host:port/db")
    private String source;

    @Parameters(index = "1", paramLabel = "TARGET", description = "a database name in --data, or http(s)://[user:pw@]host:port/db")
    private String target;

    @Option(names = "--live", description = "keep replicating new changes until interrupted (Ctrl-C)")
    private boolean live;

    @Option(names = "--source-pin", paramLabel = "SHA256", description = "trust exactly the https SOURCE certificate "
            + "with this SHA-256 fingerprint (a self-signed Arbor server's, as 'arbor serve' prints it)")
    private String sourcePin;

    @Option(names = "--target-pin", paramLabel = "SHA256", description = "the same for an https TARGET")
    private String targetPin;

    @Option(names = "--create-target", description = "create TARGET when it does not exist")
    private boolean createTarget;

    @Option(names = "--doc-ids", split = ",", paramLabel = "ID[,ID...]", description = "replicate only these documents")
    private List<String> docIds;

    @Option(names = "--batch-size", paramLabel = "N", description = "changes per batch (default: 500)")
    private Integer batchSize;

    @Option(names = "--filter", paramLabel = "DDOC/NAME", description = "replicate only what the source's design-doc "
            + "filter function passes (or _view with --query-param view=DDOC/VIEW)")
    private String filter;

    @Option(names = "--query-param", paramLabel = "NAME=VALUE", description = "a query parameter for --filter "
            + "(req.query.NAME); repeatable")
    private Map<String, String> queryParams;

    @Override
    protected void run() {
        ObjectNode body = Json.object();
        body.set("source", peer(source, sourcePin));
        body.set("target", peer(target, targetPin));
        body.put("continuous", live);
        body.put("create_target", createTarget);
        if (docIds != null) {
            docIds.forEach(body.putArray("doc_ids")::add);
        }
        if (batchSize != null) {
            body.put("batch_size", batchSize);
        }
        if (filter != null) {
            body.put("filter", filter);
        }
        if (queryParams != null) {
            if (filter == null) {
                throw new ArborException.BadRequest("bad_request", "--query-param only goes with --filter");
            }
            queryParams.forEach(body.putObject("query_params")::put);
        }
        ReplicationSpec spec = ReplicationSpec.parse(body);
        boolean needsLocal = spec.source() instanceof PeerSpec.Local || spec.target() instanceof PeerSpec.Local;
        if (!needsLocal) {
            replicate(null, spec);
            return;
        }
        arbor().withStorage(storage -> {
            replicate(storage, spec);
            return null;
        });
    }

    private void replicate(Storage local, ReplicationSpec spec) {
        ReplicationResult result;
        try (OpenPeers peers = openPeers(local, spec)) {
            ProgressBar progress = arbor().stderrIsTerminal() ? new ProgressBar(arbor().stderr(), peers.source()) : null;
            Replication replication = Replicator.start(peers.source(), peers.target(), spec.options(),
                    progress == null ? event -> { } : progress);
            CountDownLatch printed = new CountDownLatch(1);
            Thread stopOnInterrupt = new Thread(() -> {
                replication.cancel();
                try {
                    // The JVM exits when the hooks end: let the result be printed first.
                    printed.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "arbor-replicate-interrupt");
            Runtime.getRuntime().addShutdownHook(stopOnInterrupt);
            try {
                result = replication.await();
                if (progress != null) {
                    progress.finish();
                }
                if (result.status() != ReplicationResult.Status.FAILED) {
                    arbor().output().print(resultJson(spec, result));
                }
            } finally {
                printed.countDown();
                try {
                    Runtime.getRuntime().removeShutdownHook(stopOnInterrupt);
                } catch (IllegalStateException shuttingDown) {
                    // Ctrl-C: the hook is running and waits for the count-down above.
                }
            }
        }
        if (result.status() == ReplicationResult.Status.FAILED) {
            throw new ArborException.Internal("replication failed: " + String.join("; ", result.errors()), null);
        }
    }

    /** A peer as a {@code _replicate} body names it: the location, with its certificate pin when one is given. */
    private static com.fasterxml.jackson.databind.JsonNode peer(String location, String pin) {
        if (pin == null) {
            return TextNode.valueOf(location);
        }
        com.fasterxml.jackson.databind.node.ObjectNode peer = dev.arbor.core.json.Json.object();
        peer.put("url", location);
        peer.put("pinned_certificate", pin);
        return peer;
    }

    private static OpenPeers openPeers(Storage local, ReplicationSpec spec) {
        try {
            return OpenPeers.open(local, spec);
        } catch (dev.arbor.server.http.HttpError notFound) {
            // db_not_found, as the server answers; the CLI reports not_found with the same reason.
            throw new ArborException.NotFound(notFound.getMessage());
        }
    }

    /** The fields of the server's {@code _replicate} answer that a run of its own has, with its counters. */
    static ObjectNode resultJson(ReplicationSpec spec, ReplicationResult result) {
        ObjectNode out = Json.object().put("ok", result.ok());
        if (result.status() == ReplicationResult.Status.CANCELLED) {
            out.put("cancelled", true);
        }
        if (result.changesRead() == 0) {
            out.put("no_changes", true);
        }
        out.put("session_id", result.sessionId());
        out.put("_local_id", result.replicationId());
        out.put("source", spec.source().display());
        out.put("target", spec.target().display());
        out.set("start_last_seq", result.startSeq().toJson());
        out.set("source_last_seq", result.lastSeq().toJson());
        out.put("changes_read", result.changesRead());
        out.put("missing_checked", result.missingChecked());
        out.put("missing_found", result.missingFound());
        out.put("docs_read", result.docsRead());
        out.put("docs_written", result.docsWritten());
        out.put("doc_write_failures", result.docWriteFailures());
        result.errors().forEach(out.putArray("errors")::add);
        out.put("start_time", result.startTime().toString());
        out.put("end_time", result.endTime().toString());
        return out;
    }
}
