package dev.arbor.engine.mango;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.find.ExecutionStats;
import dev.arbor.api.find.FindRequest;
import dev.arbor.api.find.FindResult;
import dev.arbor.api.find.FindSink;
import dev.arbor.core.json.Json;
import dev.arbor.core.mango.FieldPath;
import dev.arbor.core.mango.Fields;
import dev.arbor.core.mango.Selector;
import dev.arbor.core.mango.Sort;
import dev.arbor.engine.index.IndexCheckpoint;
import dev.arbor.engine.store.DbState;
import dev.arbor.engine.store.DocumentCache;
import dev.arbor.engine.store.StoredDocs;
import dev.arbor.engine.kv.KvCursor;
import dev.arbor.engine.kv.KvReader;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Runs a {@link QueryPlan} against one snapshot. Every document a scan yields is read and checked against
 * the whole selector, as CouchDB does: the index narrows the candidates, the matcher decides, so an index a
 * little behind the documents (update=false, or writes racing the query) never returns a non-match.
 * Documents lacking a sort field are left out of sorted results, as CouchDB leaves them out.
 */
final class QueryRunner {
    /** Document ids in raw (code point) order, the order of {@code _all_docs}. */
    private static final Comparator<String> RAW_ID_ORDER = (a, b) ->
            Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

    private final KvReader reader;
    /** This database's cached document versions, read for rows whose version the snapshot is known to hold. */
    private final DocumentCache.Scope documents;
    private final Selector selector;
    private final Sort sort;
    private final Fields fields;
    private final FindRequest request;
    /**
     * Index rows whose documents are read together: small at first (no more than the page needs when every row
     * answers), so that a page of a few documents reads few more than it returns, then growing so that a long
     * scan makes few round trips to the store.
     */
    private static final int FIRST_BATCH = 32;
    /** The fewest rows read in a batch sized by the scan's yield: a batch costs more than a few rows. */
    private static final int MIN_BATCH = 8;
    /** The largest batch, read while a scan needs more rows than it: 512 rows for each core that judges them. */
    private static final int MAX_BATCH = 512 * QueryWorkers.PARALLELISM;
    /**
     * The fewest candidates worth handing to another core: judging one costs a point read and a partial parse
     * (1–3 µs), and waking a worker costs as much as a few dozen of them.
     */
    private static final int MIN_PART = 128;

    /** The members the selector and sort read, to reject candidates unparsed; null when they need whole documents. */
    private final TopLevelFields readFields;
    private long keysExamined;
    private long docsExamined;
    /** Documents read from index rows, and those of them that answered the query: the scan's observed yield. */
    private long rowDocsRead;
    private long rowDocsAnswered;
    /** How many answering documents the scan under way still needs in all (skipped ones included); unbounded when sorting in memory. */
    private long wanted = Long.MAX_VALUE;

    /** @param readFields the members {@code selector} and {@code sort} read (see {@link TopLevelFields#of}) */
    QueryRunner(KvReader reader, DocumentCache.Scope documents, Selector selector, Sort sort, Fields fields,
                TopLevelFields readFields, FindRequest request) {
        this.reader = reader;
        this.documents = documents;
        this.selector = selector;
        this.sort = sort;
        this.fields = fields;
        this.request = request;
        this.readFields = readFields;
    }

    /** A document that answers the query, with what it was judged on; read whole only when it goes out. */
    private record Match(String id, ObjectNode judged, StoredDocs.StoredWinner stored) {
        /** {@code judged} holds every member the selector and the sort read; it is the whole document when {@code stored} is null. */
        ObjectNode document(boolean conflicts) {
            return stored == null ? judged : stored.document(conflicts);
        }

        byte[] json(boolean conflicts) {
            return stored == null ? Json.bytes(judged) : stored.json(conflicts);
        }
    }

    FindResult run(QueryPlan plan, long startedNanos) {
        Page page = page(plan);
        List<ObjectNode> docs = materialize(page.matches(), match -> project(match.document(request.conflicts())));
        return new FindResult(docs, page.bookmark(), plan.warnings(), stats(page, startedNanos));
    }

    /** {@link #run}, handing the documents over as JSON: the stored bytes themselves when no projection applies. */
    void run(QueryPlan plan, long startedNanos, FindSink sink) {
        Page page = page(plan);
        List<byte[]> docs = materialize(page.matches(),
                match -> fields.isAll() ? match.json(request.conflicts()) : Json.bytes(project(match.document(request.conflicts()))));
        for (byte[] doc : docs) {
            sink.doc(doc);
        }
        sink.end(page.bookmark(), plan.warnings(), stats(page, startedNanos));
    }

    private record Page(List<Match> matches, String bookmark) {}

    /** The fewest documents worth parsing (or serialising) on another core: a few µs each. */
    private static final int MIN_MATERIALIZE_PART = 64;
    /** The most documents one task parses, so that a core left idle by a slow part finds more to take. */
    private static final int MAX_MATERIALIZE_PART = 256;

    /** A page's documents as they go out, in order; parsed on the spare cores too (each match is read by one thread). */
    private static <R> List<R> materialize(List<Match> matches, Function<Match, R> out) {
        int part = Math.clamp((matches.size() + QueryWorkers.PARALLELISM - 1) / QueryWorkers.PARALLELISM,
                MIN_MATERIALIZE_PART, MAX_MATERIALIZE_PART);
        List<List<Match>> chunks = new ArrayList<>();
        for (int i = 0; i < matches.size(); i += part) {
            chunks.add(matches.subList(i, Math.min(matches.size(), i + part)));
        }
        List<R> docs = new ArrayList<>(matches.size());
        for (List<R> chunk : QueryWorkers.map(chunks, chunk -> chunk.stream().map(out).toList())) {
            docs.addAll(chunk);
        }
        return docs;
    }

    private ExecutionStats stats(Page page, long startedNanos) {
        return request.executionStats()
                ? new ExecutionStats(keysExamined, docsExamined, 0, page.matches().size(), (System.nanoTime() - startedNanos) / 1e6)
                : null;
    }

    private Page page(QueryPlan plan) {
        Bookmark bookmark = Bookmark.decode(request.bookmark());
        List<Match> page = new ArrayList<>();
        String next;
        if (plan.streams()) {
            if (bookmark instanceof Bookmark.AtOffset) {
                throw Bookmark.invalid(request.bookmark());
            }
            byte[] last = streamPage(plan.scans().get(0), (Bookmark.AfterKey) bookmark, page);
            next = last == null ? Bookmark.NONE : Bookmark.encode(new Bookmark.AfterKey(last));
        } else {
            if (bookmark instanceof Bookmark.AfterKey) {
                throw Bookmark.invalid(request.bookmark());
            }
            long offset = bookmark == null ? 0 : ((Bookmark.AtOffset) bookmark).offset();
            long end = collectPage(plan, offset, page);
            next = page.isEmpty() ? Bookmark.NONE : Bookmark.encode(new Bookmark.AtOffset(end));
        }
        return new Page(page, next);
    }

    /** Whether a live document answers the query: it matches, and has every sort field. */
    private boolean answers(ObjectNode doc) {
        if (!selector.matches(doc)) {
            return false;
        }
        for (Sort.SortField field : sort.fields()) {
            if (!(field.path().lookup(doc) instanceof FieldPath.Lookup.Found)) {
                return false;
            }
        }
        return true;
    }

    private ObjectNode project(JsonNode doc) {
        return (ObjectNode) fields.project(doc);
    }

    /** Fills {@code page} from one ordered scan; returns the key of the last row returned, or null for none. */
    private byte[] streamPage(QueryPlan.Scan scan, Bookmark.AfterKey after, List<Match> page) {
        long[] skipped = {0};
        byte[][] last = {null};
        int limit = request.limit();
        if (limit == 0) {
            return null;
        }
        wanted = request.skip() + (long) limit;
        scanMatches(scan, after == null ? null : after.key(), null, (key, match) -> {
            if (skipped[0] < request.skip()) {
                skipped[0]++;
                return true;
            }
            page.add(match);
            last[0] = key;
            return page.size() < limit;
        });
        return last[0];
    }

    /** Fills {@code page} from every scan, merged and sorted in memory; returns the offset after the page. */
    private long collectPage(QueryPlan plan, long offset, List<Match> page) {
        Set<String> seen = new HashSet<>();
        List<Match> matches = new ArrayList<>();
        for (QueryPlan.Scan scan : plan.scans()) {
            scanMatches(scan, null, seen, (key, match) -> matches.add(match));
        }
        Comparator<Match> byId = Comparator.comparing(Match::id, RAW_ID_ORDER);
        Comparator<JsonNode> bySort = sort.comparator();
        matches.sort(sort.isEmpty() ? byId : Comparator.comparing(Match::judged, bySort).thenComparing(byId));
        long start = Math.min(matches.size(), offset + request.skip());
        long end = Math.min(matches.size(), start + request.limit());
        page.addAll(matches.subList((int) start, (int) end));
        return end;
    }

    @FunctionalInterface
    private interface MatchVisitor {
        /** A document that answers the query, at {@code key} of its scan; returns false to stop the scan. */
        boolean visit(byte[] key, Match match);
    }

    /**
     * Walks one range, resuming after {@code afterKey} when given (in the scan's direction), and hands over the
     * documents that answer the query. Ids already in {@code seen} (when given) are skipped unread.
     */
    private void scanMatches(QueryPlan.Scan scan, byte[] afterKey, Set<String> seen, MatchVisitor visitor) {
        switch (scan) {
            case QueryPlan.IndexRange range -> {
                byte[] from = range.from();
                byte[] to = range.to();
                if (afterKey != null) {
                    if (range.descending()) {
                        to = min(to, afterKey);
                    } else {
                        from = max(from, successor(afterKey));
                    }
                }
                if (Arrays.compareUnsigned(from, to) >= 0) {
                    return;
                }
                RowVersions versions = rowVersions(range.index());
                try (KvCursor cursor = reader.scan(MangoSpaces.ROWS, from, to, range.descending())) {
                    int batch = (int) Math.min(FIRST_BATCH, wanted);
                    boolean more = true;
                    while (more) {
                        Candidates candidates = new Candidates(new ArrayList<>(batch), new ArrayList<>(batch));
                        while (candidates.docs().size() < batch && (more = cursor.next())) {
                            keysExamined++;
                            IndexRows.RowValue row = IndexRows.RowValue.decode(cursor.value());
                            String id = row.docId();
                            if (seen != null ? !seen.add(id)
                                    : range.index().element() != null && !isFirstRowInScan(range, id, cursor.key())) {
                                continue;
                            }
                            candidates.docs().add(new StoredDocs.VersionedId(id, versions.versionOf(row)));
                            candidates.rowKeys().add(cursor.key());
                        }
                        for (Judged judged : QueryWorkers.map(candidates.split(), this::judge)) {
                            if (!visit(judged, visitor)) {
                                return;
                            }
                        }
                        batch = nextBatch(batch);
                    }
                }
            }
            case QueryPlan.IdRange range -> {
                byte[] from = range.fromId() == null ? null : range.fromId().getBytes(StandardCharsets.UTF_8);
                byte[] to = range.toId() == null ? null : range.toId().getBytes(StandardCharsets.UTF_8);
                if (afterKey != null) {
                    if (range.descending()) {
                        to = to == null ? afterKey : min(to, afterKey);
                    } else {
                        from = from == null ? successor(afterKey) : max(from, successor(afterKey));
                    }
                }
                if (from != null && to != null && Arrays.compareUnsigned(from, to) >= 0) {
                    return;
                }
                String fromId = from == null ? null : new String(from, StandardCharsets.UTF_8);
                String toId = to == null ? null : new String(to, StandardCharsets.UTF_8);
                keysExamined += StoredDocs.scanById(reader, fromId, toId, range.descending(), request.conflicts(), (id, doc) -> {
                    if (seen != null && !seen.add(id)) {
                        return true;
                    }
                    if (id.startsWith("_design/")) {
                        // _find never answers design documents, as in CouchDB (they are in no json index either).
                        return true;
                    }
                    docsExamined++;
                    return !answers(doc) || visitor.visit(id.getBytes(StandardCharsets.UTF_8), new Match(id, doc, null));
                });
            }
        }
    }

    /**
     * The size of the next batch of index rows: twice the last, unless the page needs a known number of documents
     * more and the rows read so far say how many rows that takes, so a page of 25 reads about the rows it needs
     * rather than the next power of two. No margin is added: every row read past the page costs a document read
     * and judged for nothing, while an estimate that fell short costs one more small batch.
     */
    private int nextBatch(int last) {
        int doubled = Math.min(last * 2, MAX_BATCH);
        long rows = rowsStillNeeded();
        return rows == Long.MAX_VALUE ? doubled : (int) Math.clamp(rows, MIN_BATCH, MAX_BATCH);
    }

    /** How many more index rows the page needs by the scan's yield so far; unbounded when that is not known. */
    private long rowsStillNeeded() {
        if (wanted == Long.MAX_VALUE || rowDocsAnswered == 0) {
            return Long.MAX_VALUE;
        }
        long needed = Math.max(1, wanted - rowDocsAnswered);
        return needed * rowDocsRead / rowDocsAnswered;
    }

    /**
     * Index rows whose documents are read together: the documents (with the version each row names, when the
     * snapshot is known to hold that version) and the rows' keys, in scan order.
     */
    private record Candidates(List<StoredDocs.VersionedId> docs, List<byte[]> rowKeys) {
        /** This batch in consecutive parts, one per core that may judge them, none smaller than {@link #MIN_PART}. */
        List<Candidates> split() {
            int parts = Math.max(1, Math.min(QueryWorkers.PARALLELISM, docs.size() / MIN_PART));
            if (parts == 1) {
                return List.of(this);
            }
            List<Candidates> split = new ArrayList<>(parts);
            for (int p = 0; p < parts; p++) {
                int from = docs.size() * p / parts;
                int to = docs.size() * (p + 1) / parts;
                split.add(new Candidates(docs.subList(from, to), rowKeys.subList(from, to)));
            }
            return split;
        }
    }

    /**
     * Whether the version a row of one index names is the version in this runner's snapshot, so the document
     * may come from the {@link DocumentCache}. It is when the index's checkpoint (read from the same snapshot)
     * covers the snapshot's last change and purge; when a few changes came after the checkpoint (writes racing
     * the query, or {@code update=false}), every document but theirs. Otherwise no version is trusted.
     */
    private record RowVersions(boolean trusted, Set<String> changedSince) {
        static final RowVersions UNTRUSTED = new RowVersions(false, Set.of());

        long versionOf(IndexRows.RowValue row) {
            return trusted && !changedSince.contains(row.docId()) ? row.seq() : StoredDocs.VersionedId.UNKNOWN;
        }
    }

    /** The most changes after an index's checkpoint for which its rows' versions are still used, the rest read. */
    private static final int MAX_CHANGES_SINCE_CHECKPOINT = 4_096;

    private RowVersions rowVersions(MangoIndex index) {
        IndexCheckpoint checkpoint = IndexCheckpoint.read(reader, index);
        DbState snapshot = StoredDocs.state(reader);
        if (checkpoint == null || checkpoint.purgeSeq() != snapshot.purgeSeq()) {
            return RowVersions.UNTRUSTED; // purged documents may still have rows
        }
        long snapshotSeq = snapshot.updateSeq();
        if (checkpoint.seq() == snapshotSeq) {
            return new RowVersions(true, Set.of());
        }
        if (snapshotSeq - checkpoint.seq() > MAX_CHANGES_SINCE_CHECKPOINT) {
            return RowVersions.UNTRUSTED;
        }
        Set<String> changed = new HashSet<>();
        StoredDocs.changesSince(reader, checkpoint.seq(), change -> {
            changed.add(change.id());
            return true;
        });
        return new RowVersions(true, changed);
    }

    /** The documents of a batch of candidates that answer the query, with their rows' keys, in scan order. */
    private record Judged(List<byte[]> rowKeys, List<Match> matches, int read) {}

    /**
     * Reads the documents of a batch of index rows in one batched read and keeps those that answer the query. A
     * document whose stored body already fails the selector (judged on the members the query reads, see
     * {@link TopLevelFields}) is never parsed whole. Touches no state of this runner, so batches of one scan may
     * be judged on several threads at once (every read is of the one snapshot).
     */
    private Judged judge(Candidates candidates) {
        List<StoredDocs.VersionedId> docs = candidates.docs();
        if (docs.isEmpty()) {
            return new Judged(List.of(), List.of(), 0);
        }
        List<StoredDocs.StoredWinner> stored = StoredDocs.winners(reader, docs, documents);
        List<byte[]> rowKeys = new ArrayList<>();
        List<Match> matches = new ArrayList<>();
        for (int i = 0; i < docs.size(); i++) {
            StoredDocs.StoredWinner winner = stored.get(i);
            if (winner == null) {
                continue;
            }
            Match match;
            if (readFields != null) {
                // The partial document answers as the whole one would (TopLevelFields), and holds the sort fields:
                // the whole document is read only if it goes out in the page.
                byte[] body = winner.liveBody();
                ObjectNode judged = body == null ? null : readFields.read(winner.id(), body);
                match = judged != null && answers(judged) ? new Match(winner.id(), judged, winner) : null;
            } else {
                ObjectNode doc = winner.document(request.conflicts());
                match = doc != null && answers(doc) ? new Match(winner.id(), doc, null) : null;
            }
            if (match != null) {
                rowKeys.add(candidates.rowKeys().get(i));
                matches.add(match);
            }
        }
        return new Judged(rowKeys, matches, docs.size());
    }

    /** Counts a judged batch and hands its matches to {@code visitor} in row order; false when the visitor said stop. */
    private boolean visit(Judged judged, MatchVisitor visitor) {
        docsExamined += judged.read();
        rowDocsRead += judged.read();
        for (int i = 0; i < judged.matches().size(); i++) {
            rowDocsAnswered++;
            if (!visitor.visit(judged.rowKeys().get(i), judged.matches().get(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether {@code rowKey} is the first of the document's rows inside the whole scan range (in the scan's
     * direction): an array-element index has a row per element, and a document is returned at its first row
     * only. Deciding from the stored back-reference (in the same snapshot as the rows) rather than from a set
     * of ids seen keeps a resumed page ({@code bookmark}) from returning a document a previous page returned.
     */
    private boolean isFirstRowInScan(QueryPlan.IndexRange range, String id, byte[] rowKey) {
        byte[] reference = reader.get(MangoSpaces.DOCS, IndexRows.docKey(range.index().signature(), id));
        if (reference == null) {
            return true;
        }
        byte[] first = null;
        for (byte[] row : IndexRows.rowKeys(range.index(), reference)) {
            if (Arrays.compareUnsigned(row, range.from()) < 0 || Arrays.compareUnsigned(row, range.to()) >= 0) {
                continue;
            }
            int c = first == null ? 0 : Arrays.compareUnsigned(row, first);
            if (first == null || (range.descending() ? c > 0 : c < 0)) {
                first = row;
            }
        }
        return first == null || Arrays.equals(first, rowKey);
    }

    private static byte[] successor(byte[] key) {
        return Arrays.copyOf(key, key.length + 1);
    }

    private static byte[] min(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, b) <= 0 ? a : b;
    }

    private static byte[] max(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, b) >= 0 ? a : b;
    }
}
