package dev.arbor.server.changes;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.ChangeRow;
import dev.arbor.api.ChangesOptions;
import dev.arbor.api.ChangesSummary;
import dev.arbor.api.Database;
import dev.arbor.api.GetOptions;
import dev.arbor.api.Seq;
import dev.arbor.core.error.ArborException;

import java.util.function.Consumer;

/**
 * One pass over a database's changes for a request: what {@link Database#changes} does natively
 * (since, limit, descending, style, doc_ids, design-doc and view filters, include_docs, conflicts), plus the parts the engine's
 * contract leaves to its callers: the {@code _design} and {@code _selector} filters and attachment
 * bodies in included docs.
 */
final class FilteredChangesReader {
    /** What one pass sent and where it ended. */
    record Pass(long rowsSent, long lastSeq, long pending) {}

    /** Thrown out of the engine's row callback to end a pass the engine cannot limit itself. */
    private static final class LimitReached extends RuntimeException {
        LimitReached() {
            super(null, null, false, false);
        }
    }

    private final Database db;
    private final ChangesRequest request;
    private final boolean filterHere;
    private final boolean loadDocsHere;
    /** A selector needs each winning doc to decide, whether or not the client asked for docs. */
    private final boolean docsForFilter;

    FilteredChangesReader(Database db, ChangesRequest request) {
        this.db = db;
        this.request = request;
        this.filterHere = request.filter() instanceof ChangesFilter.DesignDocs || request.filter().needsDoc();
        this.docsForFilter = request.filter().needsDoc();
        // The engine includes docs without attachment bodies; with attachments=true, or when most rows
        // may be filtered out here, each sent row's doc is read on its own instead.
        this.loadDocsHere = request.includeDocs() && (request.attachments() || filterHere);
    }

    /**
     * Sends the changes after {@code since} to {@code rows}, at most {@code limit} of them (negative:
     * all). A failure of {@code rows} ends the pass and propagates.
     */
    Pass read(long since, long limit, boolean descending, Consumer<ChangeRow> rows) {
        ChangesOptions options = new ChangesOptions(Seq.of(since), filterHere ? -1 : limit, descending,
                (request.includeDocs() && !loadDocsHere) || docsForFilter, request.style(),
                request.filter() instanceof ChangesFilter.DocIds ids ? ids.ids() : null, request.conflicts());
        if (request.filter() instanceof ChangesFilter.Design design) {
            options = options.filter(design.filter()).queryParams(design.query());
        }
        long[] sent = {0};
        long[] lastSent = {-1};
        ChangesSummary summary;
        try {
            summary = db.changes(options, row -> {
                // As the engine does with its own limit: stop at the first change past the limit, so a
                // limit that ends exactly at the last change reports nothing pending.
                if (filterHere && limit >= 0 && sent[0] >= limit) {
                    throw new LimitReached();
                }
                if (!accepts(row)) {
                    return;
                }
                rows.accept(loadDocsHere ? withDoc(row)
                        : docsForFilter && !request.includeDocs() ? withoutDoc(row) : row);
                sent[0]++;
                lastSent[0] = row.seq().toLocal();
            });
        } catch (LimitReached stop) {
            long lastSeq = lastSent[0] < 0 ? since : lastSent[0];
            return new Pass(sent[0], lastSeq, descending ? 0 : pendingAfter(lastSeq));
        }
        return new Pass(sent[0], summary.lastSeq().toLocal(), summary.pending());
    }

    private boolean accepts(ChangeRow row) {
        return switch (request.filter()) {
            case ChangesFilter.DesignDocs design -> design.accepts(row.id());
            case ChangesFilter.Matching matching -> matching.accepts(row.doc());
            case ChangesFilter.DocIds ids -> true; // the database filtered these already
            case ChangesFilter.Design design -> true; // and ran these
            case ChangesFilter.AllDocs all -> true;
        };
    }

    private static ChangeRow withoutDoc(ChangeRow row) {
        return new ChangeRow(row.seq(), row.id(), row.changes(), row.deleted(), null);
    }

    private long pendingAfter(long seq) {
        return db.changes(ChangesOptions.DEFAULT.since(seq).limit(0), row -> { }).pending();
    }

    /**
     * The row with its winning revision's body (the first of its changes, as the engine orders them),
     * or with none when that revision went between the scan and this read (compaction, purge); the
     * feed then sends {@code "doc":null}, as CouchDB does for a doc it cannot load.
     */
    private ChangeRow withDoc(ChangeRow row) {
        GetOptions options = GetOptions.DEFAULT.rev(row.changes().getFirst()).conflicts(request.conflicts())
                .attachments(request.attachments());
        ObjectNode doc;
        try {
            doc = db.get(row.id(), options);
        } catch (ArborException.NotFound e) {
            doc = null;
        }
        return new ChangeRow(row.seq(), row.id(), row.changes(), row.deleted(), doc);
    }
}
