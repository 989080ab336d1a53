package dev.arbor.api.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.ChangeRow;
import dev.arbor.api.ChangesOptions;
import dev.arbor.api.ChangesResult;
import dev.arbor.api.Database;
import dev.arbor.api.Seq;
import dev.arbor.api.find.FindRequest;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import dev.arbor.core.mango.FieldPath;
import dev.arbor.core.mango.Fields;
import dev.arbor.core.mango.Selector;
import dev.arbor.core.mango.Sort;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * A Mango query's rows, kept by judging only the documents that changed. It holds the first rows of the query's
 * order: the window ({@code skip + limit}) and as many again read ahead (at most {@link LiveQueries#MAX_ROWS} in
 * all), so a removal from the window pulls the next row from memory. Only when removals leave fewer rows than the
 * window while more documents may match ({@code complete} false) does it run the query again.
 *
 * <p>Invariant: {@code rows} are the first {@code rows.size()} rows of the query's order, or all of them when
 * {@code complete}. A changed document is removed, then inserted where the order puts it if it still answers, except
 * past the last row of an incomplete list, where a document not held might come first.
 */
final class MangoWindow implements Window {
    /** Times a catch-up runs the query again before it settles for the rows it has (writes racing each reload). */
    private static final int MAX_RELOADS = 8;
    private static final Comparator<String> ID_ORDER = (a, b) ->
            Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

    private record Entry(String id, String rev, ObjectNode doc) {}

    private final Database database;
    private final FindRequest request;
    private final Selector selector;
    private final Sort sort;
    private final Fields fields;
    private final Comparator<Entry> order;
    /** The rows shown: {@code skip + limit}. */
    private final int wanted;
    /** The rows held: the window and its read-ahead. */
    private final int keep;
    private final List<Entry> rows = new ArrayList<>();
    private boolean complete;

    MangoWindow(Database database, FindRequest request) {
        this.database = database;
        if (request.selector() == null || !request.selector().isObject()) {
            throw new ArborException.BadRequest("invalid_selector_json", "selector must be a JSON object");
        }
        this.selector = Selector.parse(request.selector());
        this.sort = Sort.parse(request.sort());
        ArrayNode names = Json.MAPPER.createArrayNode();
        if (request.fields() != null) {
            request.fields().forEach(names::add);
        }
        this.fields = request.fields() == null ? Fields.ALL : Fields.parse(names);
        if (request.limit() < 0 || request.skip() < 0) {
            throw new ArborException.BadRequest("bad_request", "limit and skip must not be negative");
        }
        long window = (long) request.skip() + request.limit();
        if (window > LiveQueries.MAX_ROWS) {
            throw new ArborException.BadRequest("bad_request", "a live query keeps at most " + LiveQueries.MAX_ROWS
                    + " rows (skip + limit); this one asks for " + window);
        }
        this.request = request;
        this.wanted = (int) window;
        this.keep = (int) Math.min(LiveQueries.MAX_ROWS, 2 * window);
        Comparator<Entry> byId = Comparator.comparing(Entry::id, ID_ORDER);
        Comparator<JsonNode> bySort = sort.comparator();
        // An index on the sort fields orders its rows by those fields, then by id, and a descending query reads it
        // backwards: ties go by id in the sort's direction.
        this.order = sort.isEmpty() ? byId : Comparator.comparing((Entry e) -> (JsonNode) e.doc(), bySort)
                .thenComparing(sort.direction() == Sort.Direction.DESC ? byId.reversed() : byId);
    }

    @Override
    public Seq load() {
        Seq before = database.info().updateSeq();
        reload();
        return catchUp(before);
    }

    @Override
    public Seq catchUp(Seq since) {
        ChangesResult changes = changesSince(since);
        apply(changes.results());
        for (int reloads = 0; !complete && rows.size() < wanted && reloads < MAX_RELOADS; reloads++) {
            // Removals ate into the window and more documents may match: read the query again, then replay every
            // change since `since` onto it, which brings the rows the reload read to the state the changes read.
            reload();
            changes = changesSince(since);
            apply(changes.results());
        }
        return changes.lastSeq();
    }

    @Override
    public List<LiveRow> rows() {
        int from = Math.min(request.skip(), rows.size());
        int to = Math.min(wanted, rows.size());
        List<LiveRow> shown = new ArrayList<>(to - from);
        for (Entry entry : rows.subList(from, to)) {
            shown.add(new LiveRow(entry.id(), null, null, fields.project(entry.doc()), entry.rev()));
        }
        return shown;
    }

    private ChangesResult changesSince(Seq since) {
        return database.changes(ChangesOptions.DEFAULT.since(since).includeDocs(true));
    }

    private void reload() {
        if (keep == 0) {
            rows.clear();
            complete = true;
            return;
        }
        FindRequest all = request.fields(null).skip(0).limit(keep).bookmark(null).executionStats(false).conflicts(false);
        List<Entry> read = new ArrayList<>();
        for (ObjectNode doc : database.find(all).docs()) {
            read.add(new Entry(doc.path("_id").asText(), doc.path("_rev").asText(), doc));
        }
        read.sort(order);
        rows.clear();
        rows.addAll(read);
        complete = read.size() < keep;
    }

    private void apply(List<ChangeRow> changes) {
        for (ChangeRow change : changes) {
            String id = change.id();
            if (id.startsWith("_design/")) {
                continue;
            }
            for (int i = 0; i < rows.size(); i++) {
                if (rows.get(i).id().equals(id)) {
                    rows.remove(i);
                    break;
                }
            }
            ObjectNode doc = change.doc();
            if (change.deleted() || doc == null || !answers(doc)) {
                continue;
            }
            Entry entry = new Entry(id, doc.path("_rev").asText(), doc);
            int at = insertionPoint(entry);
            if (at < rows.size() || complete) {
                rows.add(at, entry);
            }
        }
        if (rows.size() > keep) {
            rows.subList(keep, rows.size()).clear();
            complete = false;
        }
    }

    /** Whether a live document is a row: it matches, and has every sort field ({@code _find} leaves out one without). */
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

    private int insertionPoint(Entry entry) {
        int low = 0, high = rows.size();
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (order.compare(rows.get(mid), entry) < 0) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }
}
