package dev.arbor.server.replicator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.Seq;
import dev.arbor.core.error.ArborException;
import dev.arbor.replication.ReplicationOptions;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What to replicate, read from a {@code POST /_replicate} body or a {@code _replicator} document with
 * CouchDB's field names: {@code source}, {@code target}, {@code continuous}, {@code create_target},
 * {@code doc_ids}, {@code filter}, {@code query_params}, {@code selector}, {@code since_seq},
 * {@code checkpoint_interval} (ms), {@code worker_processes}, {@code worker_batch_size} (also
 * PouchDB's {@code batch_size}), {@code use_checkpoints}.
 *
 * <p>The replication id is made from the opened peers ({@link dev.arbor.replication.ReplicationId#of}): each
 * end's {@code Database.name()} (a local name, or the URL without credentials) and, for a design-doc filter,
 * the filter's code read from the source, as CouchDB does.
 */
public record ReplicationSpec(PeerSpec source, PeerSpec target, ReplicationOptions options) {

    public static ReplicationSpec parse(ObjectNode body) {
        PeerSpec source = PeerSpec.parse(body.get("source"), "source");
        PeerSpec target = PeerSpec.parse(body.get("target"), "target");
        ReplicationOptions options = ReplicationOptions.DEFAULT
                .continuous(bool(body, "continuous"))
                .createTarget(bool(body, "create_target"));
        JsonNode docIds = body.get("doc_ids");
        if (docIds != null && !docIds.isNull()) {
            if (!docIds.isArray()) {
                throw new ArborException.BadRequest("bad_request", "`doc_ids` must be an array");
            }
            List<String> ids = new ArrayList<>();
            for (JsonNode id : docIds) {
                if (!id.isTextual()) {
                    throw new ArborException.BadRequest("bad_request", "`doc_ids` must hold strings");
                }
                ids.add(id.textValue());
            }
            options = options.docIds(ids);
        }
        JsonNode filter = body.get("filter");
        if (filter != null && !filter.isNull()) {
            options = options.filter(filter.asText());
        }
        JsonNode queryParams = body.get("query_params");
        if (queryParams != null && queryParams.isObject()) {
            Map<String, String> params = new LinkedHashMap<>();
            queryParams.properties().forEach(e -> params.put(e.getKey(), e.getValue().isTextual() ? e.getValue().textValue() : e.getValue().toString()));
            options = options.queryParams(params);
        }
        JsonNode selector = body.get("selector");
        if (selector != null && !selector.isNull()) {
            if (!selector.isObject()) {
                throw new ArborException.BadRequest("bad_request", "`selector` must be a JSON object");
            }
            options = options.selector((ObjectNode) selector);
        }
        JsonNode since = body.get("since_seq");
        if (since != null && !since.isNull()) {
            options = options.sinceSeq(seq(since));
        }
        Long interval = positive(body, "checkpoint_interval");
        if (interval != null) {
            options = options.checkpointInterval(Duration.ofMillis(interval));
        }
        Long workers = positive(body, "worker_processes");
        if (workers != null) {
            options = options.workerProcesses(Math.toIntExact(workers));
        }
        Long batch = positive(body, body.has("worker_batch_size") ? "worker_batch_size" : "batch_size");
        if (batch != null) {
            options = options.batchSize(Math.toIntExact(batch));
        }
        if (body.has("use_checkpoints")) {
            options = options.useCheckpoints(bool(body, "use_checkpoints"));
        }
        return new ReplicationSpec(source, target, options);
    }

    private static boolean bool(ObjectNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return false;
        }
        if (!node.isBoolean()) {
            throw new ArborException.BadRequest("bad_request", "`" + field + "` must be a boolean");
        }
        return node.booleanValue();
    }

    private static Long positive(ObjectNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        long value = node.isIntegralNumber() ? node.longValue()
                : node.isTextual() && node.textValue().matches("\\d{1,9}") ? Long.parseLong(node.textValue()) : -1;
        if (value < 1 || value > Integer.MAX_VALUE) {
            throw new ArborException.BadRequest("bad_request", "`" + field + "` must be a positive integer");
        }
        return value;
    }

    /** A number (Arbor, PouchDB) or an opaque string (CouchDB), handed to the source as it is. */
    private static Seq seq(JsonNode node) {
        try {
            return Seq.fromJson(node);
        } catch (ArborException.BadRequest e) {
            throw new ArborException.BadRequest("bad_request", "`since_seq` is not a sequence: " + node);
        }
    }
}
