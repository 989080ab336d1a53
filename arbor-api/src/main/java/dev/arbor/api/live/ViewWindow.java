package dev.arbor.api.live;

import dev.arbor.api.ChangesOptions;
import dev.arbor.api.Database;
import dev.arbor.api.Seq;
import dev.arbor.api.view.ViewQuery;
import dev.arbor.api.view.ViewResult;
import dev.arbor.api.view.ViewRow;
import dev.arbor.core.error.ArborException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A view range's rows. The view's index is itself kept by mapping only the documents that changed, so after a
 * commit the window reads its range again from the index (at most {@link LiveQueries#MAX_ROWS} rows) and the
 * subscription diffs it against what it showed; a catch-up that finds no change since the last one reads nothing.
 * The range is read with {@code update_seq}, which says the sequence the rows hold at.
 */
final class ViewWindow implements Window {
    private final Database database;
    private final String ddoc;
    private final String view;
    private final ViewQuery query;
    private List<LiveRow> rows = List.of();

    ViewWindow(Database database, String ddoc, String view, ViewQuery query) {
        if (Boolean.TRUE.equals(query.reduce()) || query.grouped()) {
            throw new ArborException.BadRequest("query_parse_error",
                    "a live view query keeps map rows: reduce, group and group_level are not supported");
        }
        if (query.limit() > LiveQueries.MAX_ROWS || query.skip() + Math.max(0, query.limit()) > LiveQueries.MAX_ROWS) {
            throw new ArborException.BadRequest("query_parse_error", "a live query keeps at most " + LiveQueries.MAX_ROWS
                    + " rows (skip + limit)");
        }
        this.database = database;
        this.ddoc = ddoc;
        this.view = view;
        // One row more than allowed when unlimited, to refuse a range that outgrows the bound rather than cut it.
        this.query = query.toBuilder().reduce(false).group(false).groupLevel(null).updateSeq(true)
                .limit(query.limit() < 0 ? LiveQueries.MAX_ROWS + 1 : query.limit()).build();
    }

    @Override
    public Seq load() {
        ViewResult result = database.query(ddoc, view, query);
        if (result.rows().size() > LiveQueries.MAX_ROWS) {
            throw new ArborException.BadRequest("query_parse_error", "a live query keeps at most " + LiveQueries.MAX_ROWS
                    + " rows: give the range a limit");
        }
        List<LiveRow> read = new ArrayList<>(result.rows().size());
        for (ViewRow row : result.rows()) {
            read.add(new LiveRow(row.id(), row.key(), row.value(), row.doc(), version(row)));
        }
        rows = read;
        return result.updateSeq() != null ? result.updateSeq() : database.info().updateSeq();
    }

    @Override
    public Seq catchUp(Seq since) {
        if (database.changes(ChangesOptions.DEFAULT.since(since).limit(1)).results().isEmpty()) {
            return since;
        }
        return load();
    }

    @Override
    public List<LiveRow> rows() {
        // A range grown past the bound since it was opened is shown cut to it (the last rows wait for room).
        return rows.size() > LiveQueries.MAX_ROWS ? rows.subList(0, LiveQueries.MAX_ROWS) : rows;
    }

    /** A digest of what the row shows: its value, and its document's revision when the row carries the document. */
    private static String version(ViewRow row) {
        String shown = String.valueOf(row.value()) + '\u0000'
                + (row.doc() == null ? "" : row.doc().path("_rev").asText());
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(shown.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
