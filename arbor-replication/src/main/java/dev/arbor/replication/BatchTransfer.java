package dev.arbor.replication;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.BulkGetRequest;
import dev.arbor.api.BulkGetResult;
import dev.arbor.api.ChangeRow;
import dev.arbor.api.Database;
import dev.arbor.api.DocResult;
import dev.arbor.api.GetOptions;
import dev.arbor.api.OpenRev;
import dev.arbor.api.RevsDiff;
import dev.arbor.core.error.ArborException;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * One batch of the protocol's steps 4 to 6: ask the target which of the changed revisions it lacks
 * ({@code revs_diff}), fetch those from the source with their ancestry and only the attachments the
 * target does not have ({@code bulk_get} with {@code revs}, {@code attachments}, {@code atts_since} =
 * the possible ancestors, {@code latest}; {@code open_revs} reads where the source has no {@code bulk_get}),
 * then write them as they are ({@code new_edits=false}).
 *
 * <p>Documents whose new attachment data is large go one by one through
 * {@link Database#putWithAttachments} with the data as streams ("follows"), as CouchDB's replicator
 * sends them as multipart PUTs: a remote target then gets raw bytes instead of base64 inside one huge
 * bulk request. The rest go in one {@code bulk_docs} call: one commit for the batch.
 */
final class BatchTransfer {
    /** Above this much (decoded) inline attachment data a document is written on its own with streams. */
    static final long LARGE_ATTACHMENTS_BYTES = 1 << 20;
    /** Smaller slices of a batch are not worth a worker of their own. */
    private static final int MIN_FETCH_SLICE = 50;
    private static final System.Logger LOG = System.getLogger(BatchTransfer.class.getName());
    private static final GetOptions FETCH = GetOptions.DEFAULT.revs(true).attachments(true).latest(true);

    private final Database source;
    private final Database target;
    private final int workers;
    private final ExecutorService fetchers;
    /**
     * Whether the source has {@code _bulk_get}: null until its first answer, which a single request asks
     * (not one per worker); then remembered, so a source without it is asked only once and later batches go
     * straight to {@code open_revs} (PouchDB remembers the same per database URL). Only the replication's
     * thread reads and writes it.
     */
    private Boolean bulkGetSupported;

    /** What one batch did, added to the replication's counters. */
    record Outcome(long missingChecked, long missingFound, long docsRead, long docsWritten, List<DocWriteError> refused) {
        long docWriteFailures() {
            return refused.size();
        }
    }

    BatchTransfer(Database source, Database target, int workers, ExecutorService fetchers) {
        this.source = source;
        this.target = target;
        this.workers = workers;
        this.fetchers = fetchers;
    }

    /** The revisions of a batch the target lacks, fetched from the source, ready to write. */
    record Fetched(long missingChecked, long missingFound, List<ObjectNode> docs) {}

    /** Steps 4 and 5: {@code revs_diff} on the target, {@code bulk_get} of what it lacks from the source. */
    Fetched fetch(List<ChangeRow> rows) {
        Map<String, List<String>> changed = new LinkedHashMap<>();
        long checked = 0;
        for (ChangeRow row : rows) {
            changed.computeIfAbsent(row.id(), id -> new ArrayList<>()).addAll(row.changes());
            checked += row.changes().size();
        }
        if (changed.isEmpty()) {
            return new Fetched(0, 0, List.of());
        }
        Map<String, RevsDiff> missing = target.revsDiff(changed);
        List<BulkGetRequest> requests = new ArrayList<>();
        missing.forEach((id, diff) -> {
            for (String rev : diff.missing()) {
                requests.add(new BulkGetRequest(id, rev, diff.possibleAncestors()));
            }
        });
        return new Fetched(checked, requests.size(), requests.isEmpty() ? List.of() : fetchRevisions(requests));
    }

    /** Step 6: writes what {@link #fetch} found, as it is ({@code new_edits=false}). */
    Outcome write(Fetched fetched) {
        if (fetched.docs().isEmpty()) {
            return new Outcome(fetched.missingChecked(), fetched.missingFound(), 0, 0, List.of());
        }
        List<DocWriteError> refused = write(fetched.docs());
        int read = fetched.docs().size();
        return new Outcome(fetched.missingChecked(), fetched.missingFound(), read, read - refused.size(), refused);
    }

    /**
     * Fetches with {@code bulk_get}, or, from a source that has none (CouchDB before 2.3), with one
     * {@code open_revs} read per document. Revisions gone from the source are skipped, as CouchDB does.
     */
    private List<ObjectNode> fetchRevisions(List<BulkGetRequest> requests) {
        if (bulkGetSupported == null) {
            List<ObjectNode> docs;
            try {
                docs = collect(List.of(source.bulkGet(requests, FETCH)));
            } catch (ArborException.BadRequest e) {
                if (!"not_supported".equals(e.error())) {
                    throw e;
                }
                LOG.log(System.Logger.Level.INFO, "{0} has no _bulk_get ({1}); fetching with open_revs", source.name(), e.reason());
                bulkGetSupported = false;
                return fetchWithOpenRevs(requests);
            }
            bulkGetSupported = true;
            return docs;
        }
        return bulkGetSupported ? fetchWithBulkGet(requests) : fetchWithOpenRevs(requests);
    }

    /**
     * CouchDB's fallback and PouchDB's bulkGet shim: {@code GET /db/id?open_revs=[...]&latest=true&revs=true
     * &attachments=true&atts_since=[...]} for each document, up to {@code workers} at once (CouchDB's
     * worker processes each fetch one document at a time). The answer is multipart/mixed where the server
     * offers it, attachments as raw bytes.
     */
    private List<ObjectNode> fetchWithOpenRevs(List<BulkGetRequest> requests) {
        Map<String, List<String>> revsById = new LinkedHashMap<>();
        Map<String, Set<String>> ancestorsById = new LinkedHashMap<>();
        for (BulkGetRequest request : requests) {
            revsById.computeIfAbsent(request.id(), id -> new ArrayList<>()).add(request.rev());
            ancestorsById.computeIfAbsent(request.id(), id -> new LinkedHashSet<>()).addAll(request.attsSince());
        }
        List<Future<List<OpenRev>>> reads = new ArrayList<>(revsById.size());
        revsById.forEach((id, revs) -> {
            GetOptions options = FETCH.attsSince(List.copyOf(ancestorsById.get(id)));
            reads.add(fetchers.submit(() -> source.getOpenRevs(id, revs, options)));
        });
        List<ObjectNode> docs = new ArrayList<>(requests.size());
        for (Future<List<OpenRev>> read : reads) {
            for (OpenRev rev : await(read)) {
                if (rev instanceof OpenRev.Found found) {
                    docs.add(found.doc());
                }
            }
        }
        return docs;
    }

    /** Fetches in up to {@code workers} concurrent {@code bulk_get} requests. */
    private List<ObjectNode> fetchWithBulkGet(List<BulkGetRequest> requests) {
        int slices = (int) Math.max(1, Math.min(workers, requests.size() / MIN_FETCH_SLICE));
        List<List<BulkGetResult>> answers = new ArrayList<>();
        if (slices == 1) {
            answers.add(source.bulkGet(requests, FETCH));
        } else {
            int size = (requests.size() + slices - 1) / slices;
            List<Future<List<BulkGetResult>>> futures = new ArrayList<>();
            for (int from = 0; from < requests.size(); from += size) {
                List<BulkGetRequest> slice = requests.subList(from, Math.min(requests.size(), from + size));
                futures.add(fetchers.submit(() -> source.bulkGet(slice, FETCH)));
            }
            for (Future<List<BulkGetResult>> future : futures) {
                answers.add(await(future));
            }
        }
        return collect(answers);
    }

    /** The revisions found, in answer order; revisions gone from the source are skipped, as CouchDB does. */
    private static List<ObjectNode> collect(List<List<BulkGetResult>> answers) {
        List<ObjectNode> docs = new ArrayList<>();
        for (List<BulkGetResult> answer : answers) {
            for (BulkGetResult result : answer) {
                for (BulkGetResult.Entry entry : result.docs()) {
                    if (entry instanceof BulkGetResult.Ok ok) {
                        docs.add(ok.doc());
                    }
                }
            }
        }
        return docs;
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ArborException.Internal("interrupted while fetching revisions", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new ArborException.Internal("fetching revisions failed", e.getCause());
        }
    }

    /** Writes the revisions; returns those the target refused, each logged. */
    private List<DocWriteError> write(List<ObjectNode> docs) {
        List<ObjectNode> bulk = new ArrayList<>(docs.size());
        List<DocWriteError> refused = new ArrayList<>();
        for (ObjectNode doc : docs) {
            if (inlineAttachmentBytes(doc) > LARGE_ATTACHMENTS_BYTES) {
                writeStreaming(doc, refused);
            } else {
                bulk.add(doc);
            }
        }
        if (!bulk.isEmpty()) {
            List<DocResult> results = target.bulkDocs(bulk, false);
            for (int i = 0; i < results.size(); i++) {
                if (results.get(i) instanceof DocResult.Error error) {
                    // Answers come in request order; a target that leaves out the rev of an error is told by its place.
                    String rev = error.rev() != null ? error.rev() : i < bulk.size() ? bulk.get(i).path("_rev").asText(null) : null;
                    refuse(refused, new DocWriteError(error.id(), rev, error.error(), error.reason()));
                }
            }
        }
        return refused;
    }

    /** CouchDB's replicator logs each refused revision in these words; an operator greps for them. */
    private void refuse(List<DocWriteError> refused, DocWriteError error) {
        LOG.log(System.Logger.Level.WARNING, "Replicator: couldn''t write document `{0}`, revision `{1}`, to target database `{2}`."
                + " Error: `{3}`, reason: `{4}`.", error.id(), error.rev(), target.name(), error.error(), error.reason());
        refused.add(error);
    }

    private void writeStreaming(ObjectNode doc, List<DocWriteError> refused) {
        Map<String, InputStream> following = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> atts = doc.get("_attachments").fields();
        while (atts.hasNext()) {
            Map.Entry<String, JsonNode> att = atts.next();
            if (att.getValue() instanceof ObjectNode stub && stub.has("data") && digestIsOfData(stub)) {
                byte[] data = Base64.getDecoder().decode(stub.remove("data").asText());
                stub.put("follows", true);
                stub.put("length", data.length);
                following.put(att.getKey(), new ByteArrayInputStream(data));
            }
        }
        try {
            target.putWithAttachments(doc, false, following);
        } catch (ArborException e) {
            if (Retry.isTransient(e)) {
                throw e;
            }
            refuse(refused, new DocWriteError(doc.path("_id").asText(), doc.path("_rev").asText(null), e.error(), e.reason()));
        }
    }

    /**
     * Whether the digest declared is the MD5 of the data. CouchDB's digest of a compressible attachment is of the gzip
     * stream it stores, and CouchDB refuses streamed ({@code follows}) data whose declared digest is not its MD5; such
     * an attachment stays inline, which CouchDB takes with its digest as declared.
     */
    private static boolean digestIsOfData(ObjectNode stub) {
        String digest = stub.path("digest").asText(null);
        if (digest == null) {
            return true;
        }
        try {
            byte[] data = Base64.getDecoder().decode(stub.path("data").asText());
            return digest.equals("md5-" + Base64.getEncoder().encodeToString(java.security.MessageDigest.getInstance("MD5").digest(data)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has MD5", e);
        }
    }

    private static long inlineAttachmentBytes(ObjectNode doc) {
        JsonNode atts = doc.get("_attachments");
        if (atts == null) {
            return 0;
        }
        long total = 0;
        for (JsonNode att : atts) {
            JsonNode data = att.get("data");
            if (data != null) {
                total += data.asText().length() / 4L * 3;
            }
        }
        return total;
    }
}
