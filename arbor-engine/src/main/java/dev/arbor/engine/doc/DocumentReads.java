package dev.arbor.engine.doc;

import dev.arbor.engine.store.DocSpaces;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.AllDocsOptions;
import dev.arbor.api.AllDocsRow;
import dev.arbor.api.AllDocsSink;
import dev.arbor.api.BulkGetRequest;
import dev.arbor.api.BulkGetResult;
import dev.arbor.api.DocumentJson;
import dev.arbor.api.GetOptions;
import dev.arbor.api.OpenRev;
import dev.arbor.api.PartitionInfo;
import dev.arbor.api.RevsDiff;
import dev.arbor.api.Seq;
import dev.arbor.core.doc.DocumentParser;
import dev.arbor.core.doc.Partitions;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import dev.arbor.core.rev.Leaf;
import dev.arbor.core.rev.Rev;
import dev.arbor.engine.kv.KvCursor;
import dev.arbor.engine.kv.KvReader;
import dev.arbor.engine.kv.KvSnapshot;
import dev.arbor.engine.kv.KvStore;
import dev.arbor.engine.kv.Space;
import dev.arbor.engine.local.LocalDocs;
import dev.arbor.engine.store.DbState;
import dev.arbor.engine.store.DocJson;
import dev.arbor.engine.store.DocRecord;
import dev.arbor.engine.store.IdRange;
import dev.arbor.engine.store.DatabaseKeys;
import dev.arbor.engine.store.LiveCounts;
import dev.arbor.engine.store.RevRecord;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The document reads of an engine database: {@code GET /db/id} and its {@code open_revs}, {@code _all_docs} (of the
 * whole database or of one partition), {@code _revs_diff} and {@code _bulk_get}, and the stored revisions the writes'
 * validation reads.
 *
 * <p>Threads: every read runs on the caller's thread against a store snapshot (or a single get, which is its own
 * snapshot) and takes no lock. Holds no mutable state.
 */
public final class DocumentReads {
    private final String dbName;
    private final KvStore store;
    private final boolean partitioned;

    public DocumentReads(String dbName, KvStore store, boolean partitioned) {
        this.dbName = dbName;
        this.store = store;
        this.partitioned = partitioned;
    }

    /** In a partitioned database every id but {@code _design/} and {@code _local/} ones names its partition. */
    public String checkId(String id) {
        return partitioned && id != null ? Partitions.validateDocId(id) : id;
    }

    /** The stored record of {@code id}, or null when there is none. */
    public static DocRecord docRecord(KvReader reader, String id) {
        byte[] bytes = reader.get(DocSpaces.DOCS, DatabaseKeys.docId(id));
        return bytes == null ? null : DocRecord.decode(bytes);
    }

    /** The record of revision {@code rev} of {@code doc} (its winner's from the doc record), or null when its body is gone. */
    public static RevRecord revRecord(KvReader reader, String id, DocRecord doc, Rev rev) {
        if (doc.winner().rev().equals(rev)) {
            return doc.winnerRecord();
        }
        byte[] bytes = reader.get(DocSpaces.REVS, DatabaseKeys.rev(id, rev));
        return bytes == null ? null : RevRecord.decode(bytes);
    }

    /** {@code GET /db/id} (a {@code _local/} id reads the local document). */
    public ObjectNode get(String id, GetOptions options) {
        checkId(id);
        if (id.startsWith(DocumentParser.LOCAL_PREFIX)) {
            return LocalDocs.get(store, id);
        }
        if (options.rev() == null && !options.attachments() && options.attsSince().isEmpty()) {
            // The winner's body sits in the doc record: one get is already a consistent read.
            return get(store, id, options);
        }
        try (KvSnapshot snapshot = store.snapshot()) {
            return get(snapshot, id, options);
        }
    }

    /** The winner's stored body spliced between its specials when the options ask for nothing it lacks; else the tree's bytes. */
    public DocumentJson getJson(String id, GetOptions options) {
        checkId(id);
        if (id.startsWith(DocumentParser.LOCAL_PREFIX) || options.rev() != null) {
            return treeJson(id, options);
        }
        DocRecord doc = docRecord(store, id);
        if (doc == null) {
            throw new ArborException.NotFound("missing");
        }
        Leaf winner = doc.winner();
        if (winner.status().deleted()) {
            throw new ArborException.NotFound("deleted");
        }
        byte[] json = DocJson.splicedDocument(id, winner.rev(), doc.winnerRecord(), doc.tree(), options);
        if (json == null) {
            return treeJson(id, options);
        }
        return new DocumentJson(winner.rev().toString(), json);
    }

    /** The document as {@link #get} builds it, written out. */
    private DocumentJson treeJson(String id, GetOptions options) {
        ObjectNode doc = get(id, options);
        return new DocumentJson(doc.path("_rev").asText(), Json.bytes(doc));
    }

    private ObjectNode get(KvReader reader, String id, GetOptions options) {
        // The rev is checked before the lookup: a malformed one is 400 even for a missing doc, as in CouchDB.
        Rev asked = options.rev() == null ? null : Rev.parse(options.rev());
        DocRecord doc = docRecord(reader, id);
        if (doc == null) {
            throw new ArborException.NotFound("missing");
        }
        if (options.rev() == null) {
            Leaf winner = doc.winner();
            if (winner.status().deleted()) {
                throw new ArborException.NotFound("deleted");
            }
            return DocJson.document(id, winner.rev(), doc.winnerRecord(), doc.tree(), doc.seq(), options, reader);
        }
        Rev rev = asked;
        if (options.latest()) {
            List<Rev> leaves = doc.tree().leavesDescendingFrom(rev);
            if (!leaves.isEmpty()) {
                rev = leaves.get(0);
            }
        }
        RevRecord record = doc.tree().contains(rev) ? revRecord(reader, id, doc, rev) : null;
        if (record == null) {
            throw new ArborException.NotFound("missing");
        }
        return DocJson.document(id, rev, record, doc.tree(), doc.seq(), options, reader);
    }

    /** {@code GET /db/id?open_revs=...}, read from one snapshot. */
    public List<OpenRev> getOpenRevs(String id, List<String> revs, GetOptions options) {
        checkId(id);
        try (KvSnapshot snapshot = store.snapshot()) {
            return openRevs(snapshot, id, revs, options);
        }
    }

    private List<OpenRev> openRevs(KvReader reader, String id, List<String> revs, GetOptions options) {
        DocRecord doc = docRecord(reader, id);
        List<OpenRev> result = new ArrayList<>();
        if (revs == null) {
            if (doc == null) {
                throw new ArborException.NotFound("missing");
            }
            for (Leaf leaf : doc.tree().leaves()) {
                result.add(new OpenRev.Found(DocJson.document(id, leaf.rev(), revRecord(reader, id, doc, leaf.rev()),
                        doc.tree(), doc.seq(), options, reader)));
            }
            return result;
        }
        // Each revision is answered once, however many of the asked ones lead to it (two revisions of one branch
        // with latest=true, or one rev named twice), as CouchDB's open_doc_revs does.
        Set<Rev> answered = new HashSet<>();
        Set<String> missing = new HashSet<>();
        for (String text : revs) {
            Rev asked = Rev.parse(text);
            List<Rev> targets = doc == null ? List.of()
                    : options.latest() ? doc.tree().leavesDescendingFrom(asked)
                    : doc.tree().contains(asked) ? List.of(asked) : List.of();
            boolean found = false;
            for (Rev rev : targets) {
                RevRecord record = revRecord(reader, id, doc, rev);
                if (record != null) {
                    found = true;
                    if (answered.add(rev)) {
                        result.add(new OpenRev.Found(DocJson.document(id, rev, record, doc.tree(), doc.seq(), options, reader)));
                    }
                }
            }
            if (!found && missing.add(text)) {
                result.add(new OpenRev.Missing(text));
            }
        }
        return result;
    }

    /** {@code _all_docs} over every id, or over one partition's ids when {@code partition} is not null. */
    public void allDocs(AllDocsOptions options, AllDocsSink sink, String partition) {
        try (KvSnapshot snapshot = store.snapshot()) {
            DbState state = DbState.decode(snapshot.get(DocSpaces.META, DatabaseKeys.META_STATE));
            Seq updateSeq = options.updateSeq() ? Seq.of(state.updateSeq()) : null;
            GetOptions docOptions = GetOptions.DEFAULT.conflicts(options.conflicts());
            byte[] lowest = partition == null ? null : Partitions.startKey(partition);
            byte[] highest = partition == null ? null : Partitions.endKey(partition);
            long total = partition == null ? state.docCount()
                    : LiveCounts.liveBefore(snapshot, highest, state.docCount()) - LiveCounts.liveBefore(snapshot, lowest, 0);
            if (options.keys() != null) {
                sink.begin(total, 0, updateSeq);
                List<String> keys = new ArrayList<>(options.keys());
                if (options.descending()) {
                    java.util.Collections.reverse(keys);
                }
                long skipped = 0;
                long sent = 0;
                for (String key : keys) {
                    if (skipped++ < options.skip()) {
                        continue;
                    }
                    if (options.limit() >= 0 && sent >= options.limit()) {
                        break;
                    }
                    sink.row(partition != null && !Partitions.isMember(key, partition)
                            ? AllDocsRow.notFound(key) : keyRow(snapshot, key, options, docOptions));
                    sent++;
                }
                return;
            }
            IdRange range = IdRange.of(options.key() != null ? options.key() : options.startkey(),
                    options.key() != null ? options.key() : options.endkey(),
                    options.key() != null || options.inclusiveEnd(), options.descending()).within(lowest, highest);
            long offset = options.skip() + (range.hasStart() ? countLiveBefore(snapshot, range, lowest, highest, state.docCount()) : 0);
            sink.begin(total, Math.min(offset, total), updateSeq);
            if (range.isEmpty()) {
                return;
            }
            long skipped = 0;
            long sent = 0;
            try (KvCursor cursor = snapshot.scan(DocSpaces.DOCS, range.from(), range.to(), options.descending())) {
                while ((options.limit() < 0 || sent < options.limit()) && cursor.next()) {
                    byte[] stored = cursor.value(); // a copy out of RocksDB per call: read it once
                    if (DocRecord.winnerDeleted(stored)) {
                        continue;
                    }
                    if (skipped < options.skip()) {
                        skipped++;
                        continue;
                    }
                    DocRecord doc = DocRecord.decode(stored);
                    String id = DatabaseKeys.docId(cursor.key());
                    Rev rev = doc.winner().rev();
                    ObjectNode body = options.includeDocs()
                            ? DocJson.document(id, rev, doc.winnerRecord(), doc.tree(), doc.seq(), docOptions, snapshot) : null;
                    sink.row(new AllDocsRow(id, id, rev.toString(), false, body, null));
                    sent++;
                }
            }
        }
    }

    private static AllDocsRow keyRow(KvReader reader, String key, AllDocsOptions options, GetOptions docOptions) {
        DocRecord doc = docRecord(reader, key);
        if (doc == null) {
            return AllDocsRow.notFound(key);
        }
        Rev rev = doc.winner().rev();
        if (doc.deleted()) {
            return new AllDocsRow(key, key, rev.toString(), true, null, null);
        }
        ObjectNode body = options.includeDocs()
                ? DocJson.document(key, rev, doc.winnerRecord(), doc.tree(), doc.seq(), docOptions, reader) : null;
        return new AllDocsRow(key, key, rev.toString(), false, body, null);
    }

    /**
     * CouchDB's offset: how many live rows come before the range in the direction of the scan, counting from
     * {@code lowest} (ascending) or down from {@code highest} (descending); null bounds are open. Read from the
     * live counts per id range ({@link LiveCounts}), not by counting the documents.
     */
    private static long countLiveBefore(KvReader reader, IdRange range, byte[] lowest, byte[] highest, long total) {
        return range.descending()
                ? LiveCounts.liveBefore(reader, highest, total) - LiveCounts.liveBefore(reader, range.to(), total)
                : LiveCounts.liveBefore(reader, range.from(), total) - LiveCounts.liveBefore(reader, lowest, 0);
    }

    /** Live and deleted documents of one partition and the sizes of their records and JSON bodies. */
    public record PartitionCounts(long live, long deleted, long active, long external) {}

    /**
     * Counted by one scan over the partition's id range: partitions are meant to be small (CouchDB advises
     * well under 10 GB), and counting keeps the write path free of per-partition counters.
     */
    public static PartitionCounts partitionCounts(KvReader reader, String partition) {
        long live = 0;
        long deleted = 0;
        long active = 0;
        long external = 0;
        try (KvCursor cursor = reader.scan(DocSpaces.DOCS, Partitions.startKey(partition), Partitions.endKey(partition), false)) {
            while (cursor.next()) {
                DocRecord doc = DocRecord.decode(cursor.value());
                if (doc.deleted()) deleted++; else live++;
                active += cursor.key().length + cursor.value().length;
                external += doc.winnerRecord().body().length;
            }
        }
        return new PartitionCounts(live, deleted, active, external);
    }

    /** {@code GET /db/_partition/{partition}}: the partition's counts, read from one snapshot. */
    public PartitionInfo partitionInfo(String partition) {
        try (KvSnapshot snapshot = store.snapshot()) {
            PartitionCounts counts = partitionCounts(snapshot, partition);
            return new PartitionInfo(dbName, partition, counts.live(), counts.deleted(), counts.active(), counts.external());
        }
    }

    /** {@code _revs_diff}, read from one snapshot. */
    public Map<String, RevsDiff> revsDiff(Map<String, List<String>> revs) {
        Map<String, RevsDiff> result = new LinkedHashMap<>();
        try (KvSnapshot snapshot = store.snapshot()) {
            for (Map.Entry<String, List<String>> entry : revs.entrySet()) {
                DocRecord doc = docRecord(snapshot, entry.getKey());
                List<String> missing = new ArrayList<>();
                Set<String> ancestors = new LinkedHashSet<>();
                for (String text : entry.getValue()) {
                    Rev rev = Rev.parse(text);
                    if (doc == null || !doc.tree().contains(rev)) {
                        missing.add(text);
                        if (doc != null) {
                            doc.tree().possibleAncestors(rev).forEach(a -> ancestors.add(a.toString()));
                        }
                    }
                }
                if (!missing.isEmpty()) {
                    result.put(entry.getKey(), new RevsDiff(missing, List.copyOf(ancestors)));
                }
            }
        }
        return result;
    }

    /** {@code _bulk_get}, every document read from one snapshot. */
    public List<BulkGetResult> bulkGet(List<BulkGetRequest> requests, GetOptions options) {
        List<BulkGetResult> results = new ArrayList<>(requests.size());
        try (KvSnapshot snapshot = store.snapshot()) {
            for (BulkGetRequest request : requests) {
                GetOptions docOptions = options.attsSince(request.attsSince());
                if (request.id() == null) {
                    results.add(new BulkGetResult(null, List.of(new BulkGetResult.Error(null, request.rev(), "bad_request", "Document id must be a string"))));
                    continue;
                }
                List<BulkGetResult.Entry> entries = new ArrayList<>();
                try {
                    checkId(request.id());
                } catch (ArborException e) {
                    // CouchDB answers a bad id with a null rev, whatever rev was asked for.
                    results.add(new BulkGetResult(request.id(), List.of(new BulkGetResult.Error(request.id(), null, e.error(), e.reason()))));
                    continue;
                }
                try {
                    if (request.rev() == null) {
                        entries.add(new BulkGetResult.Ok(get(snapshot, request.id(), docOptions)));
                    } else {
                        for (OpenRev openRev : openRevs(snapshot, request.id(), List.of(request.rev()), docOptions)) {
                            entries.add(switch (openRev) {
                                case OpenRev.Found found -> new BulkGetResult.Ok(found.doc());
                                case OpenRev.Missing missing -> new BulkGetResult.Error(request.id(), missing.rev(), "not_found", "missing");
                            });
                        }
                    }
                } catch (ArborException e) {
                    entries.add(new BulkGetResult.Error(request.id(), request.rev() == null ? "undefined" : request.rev(), e.error(), e.reason()));
                }
                results.add(new BulkGetResult(request.id(), entries));
            }
        }
        return results;
    }

    /** A stored revision (deleted ones as their tombstone), or null when there is none. */
    public ObjectNode revision(String id, Rev rev) {
        if (rev == null) {
            return null;
        }
        try {
            return get(id, GetOptions.DEFAULT.rev(rev.toString()));
        } catch (ArborException.NotFound e) {
            return null;
        }
    }

}
