package dev.arbor.api.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.Database;
import dev.arbor.api.DocResult;
import dev.arbor.api.find.FindRequest;
import dev.arbor.api.live.LiveEnd;
import dev.arbor.api.live.LiveEvent;
import dev.arbor.api.live.LiveQueries;
import dev.arbor.api.live.LiveQuery;
import dev.arbor.api.live.LiveResult;
import dev.arbor.api.live.LiveRow;
import dev.arbor.api.live.LiveSpec;
import dev.arbor.api.live.LiveUpdate;
import dev.arbor.api.view.ViewQuery;
import dev.arbor.api.view.ViewRow;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static dev.arbor.api.contract.Fixtures.doc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The {@link LiveQueries} facet: a live query's first result equals the query's, and its deltas, replayed onto it,
 * equal a fresh query after every write of a random interleaving of creations, updates, deletions and conflicting
 * replicated writes, for Mango queries with and without sort, skip, limit and fields and for view ranges; a
 * subscription closed at random points and resumed from its result (on a new connection, where the backend has
 * connections) converges with no delta missing or repeated, since a missing or repeated one would not apply or would
 * leave the result different from the query's.
 */
public abstract class LiveQueriesContract extends DatabaseFacetContract {
    private static final Duration SETTLE = Duration.ofSeconds(10);

    /** Where the test reads the fresh query it compares with: the database itself, or another client of the same one. */
    protected Database oracle() {
        return db;
    }

    /** The database on a new connection, the old one cut (a backend without connections answers the same database). */
    protected Database reconnected() {
        return db;
    }

    /** A sort needs an index on its fields, as {@code _find}'s does. */
    @org.junit.jupiter.api.BeforeEach
    void indexTheSortField() {
        oracle().createIndex(dev.arbor.api.find.IndexDefinition.of("n"));
    }

    private LiveQueries live(Database database) {
        return database.liveQueries().orElseThrow(() -> new AssertionError("no live queries on " + database.name()));
    }

    // ---- first results and bad input ---------------------------------------------------------------

    @Test
    void theFirstResultIsTheQueryResultInItsOrder() {
        for (int i = 0; i < 8; i++) create("d" + i, "{'n': " + (7 - i) + ", 'type': 'a'}");
        LiveSpec.Find spec = new LiveSpec.Find(FindRequest.of(doc("{'n': {'$gt': 1}}")).sort(Json.parse("[\"n\"]")).limit(3));
        try (LiveQuery query = live(db).subscribe(spec)) {
            assertEquals(List.of("d5", "d4", "d3"), query.result().rows().stream().map(LiveRow::id).toList());
            assertEquals(db.info().updateSeq(), query.result().seq());
        }
    }

    @Test
    void aMalformedSelectorIsABadRequest() {
        ArborException.BadRequest e = assertThrows(ArborException.BadRequest.class, () ->
                live(db).subscribe(new LiveSpec.Find(FindRequest.of(doc("{'n': {'$bogus': 1}}")))));
        assertEquals("invalid_operator", e.error());
    }

    @Test
    void aReduceOrAMissingViewIsRefused() {
        putView("{'map': 'function (doc) { emit(doc.n, 1); }', 'reduce': '_count'}");
        assertThrows(ArborException.BadRequest.class, () -> live(db).subscribe(
                new LiveSpec.View("v", "by_n", ViewQuery.builder().reduce(true).build())));
        assertThrows(ArborException.NotFound.class, () -> live(db).subscribe(
                new LiveSpec.View("v", "missing", ViewQuery.DEFAULT)));
    }

    @Test
    void aWindowBeyondTheBoundIsABadRequest() {
        assertThrows(ArborException.BadRequest.class, () -> live(db).subscribe(new LiveSpec.Find(
                FindRequest.of(doc("{}")).limit(LiveQueries.MAX_ROWS + 1))));
    }

    @Test
    void aSubscriberThatFallsBehindIsEndedAsLaggingAndResumesExactly() throws InterruptedException {
        LiveSpec.Find spec = new LiveSpec.Find(FindRequest.of(doc("{}")).limit(100));
        LiveQuery query = live(db).subscribe(spec, 1);
        // Paced, so the query computes more than one update while nobody reads: writes that all land before it next
        // wakes make one update, which a capacity of one still holds (a busy machine does that to unpaced writes).
        for (int i = 0; i < 60; i++) {
            create("x" + i, "{}");
            Thread.sleep(25);
        }
        LiveEvent last;
        long deadline = System.nanoTime() + SETTLE.toNanos();
        do {
            last = query.next(Duration.ofMillis(200)).orElse(null);
            assertTrue(System.nanoTime() < deadline, "no lagging end within " + SETTLE);
        } while (!(last instanceof LiveEnd));
        assertEquals(LiveEnd.LAGGING, ((LiveEnd) last).error());
        try (LiveQuery resumed = live(reconnected()).resume(spec, query.result())) {
            settle(resumed, spec);
        }
    }

    // ---- deltas replayed equal a fresh query -------------------------------------------------------

    @Test
    void mangoWithoutSortOrLimitFollowsEveryWrite() throws InterruptedException {
        follow(new LiveSpec.Find(FindRequest.of(doc("{'type': 'a'}")).limit(1000)), 11, false);
    }

    @Test
    void mangoSortedAndLimitedFollowsEveryWrite() throws InterruptedException {
        follow(new LiveSpec.Find(FindRequest.of(doc("{'n': {'$gt': 10}}")).sort(Json.parse("[\"n\"]")).limit(5)), 12, false);
    }

    @Test
    void mangoSortedDescendingWithSkipAndFieldsFollowsEveryWrite() throws InterruptedException {
        follow(new LiveSpec.Find(FindRequest.of(doc("{'type': {'$in': ['a', 'b']}}"))
                .sort(Json.parse("[{\"n\": \"desc\"}]")).skip(2).limit(4).fields(List.of("_id", "n"))), 13, false);
    }

    @Test
    void aViewRangeFollowsEveryWrite() throws InterruptedException {
        putView("{'map': 'function (doc) { if (doc.n !== undefined) { emit(doc.n, doc.type); emit([doc.type], null); } }'}");
        follow(new LiveSpec.View("v", "by_n", ViewQuery.builder().startkey(Json.parse("5")).endkey(Json.parse("40"))
                .limit(6).build()), 14, false);
    }

    @Test
    void aDescendingViewRangeWithDocsFollowsEveryWrite() throws InterruptedException {
        putView("{'map': 'function (doc) { if (doc.n !== undefined) { emit(doc.n, doc.type); } }'}");
        follow(new LiveSpec.View("v", "by_n", ViewQuery.builder().startkey(Json.parse("45")).endkey(Json.parse("3"))
                .descending(true).includeDocs(true).build()), 15, false);
    }

    @Test
    void aSortedMangoQueryResumedAtRandomPointsConverges() throws InterruptedException {
        follow(new LiveSpec.Find(FindRequest.of(doc("{'n': {'$gte': 0}}")).sort(Json.parse("[\"n\"]")).limit(6)), 21, true);
    }

    @Test
    void aViewRangeResumedAtRandomPointsConverges() throws InterruptedException {
        putView("{'map': 'function (doc) { if (doc.n !== undefined) { emit(doc.n, doc.type); } }'}");
        follow(new LiveSpec.View("v", "by_n", ViewQuery.builder().keys(List.of(Json.parse("3"), Json.parse("17"),
                Json.parse("30"))).build()), 22, true);
    }

    /**
     * Writes at random and, after each write, reads updates until the subscriber's result equals a fresh query (each
     * update applied by {@link LiveResult#apply}, which refuses a delta that does not fit). With {@code resumes},
     * closes the subscription (and the connection) at random points, writes while nobody listens, and resumes from the
     * last result the subscriber held.
     */
    private void follow(LiveSpec spec, long seed, boolean resumes) throws InterruptedException {
        Random random = new Random(seed);
        Database writer = db;
        LiveQuery query = live(db).subscribe(spec);
        assertEquals(expected(spec), shown(query.result()), "the first result");
        List<String> ids = new ArrayList<>();
        try {
            for (int step = 0; step < 60; step++) {
                if (resumes && random.nextInt(6) == 0) {
                    LiveResult held = query.result();
                    query.close();
                    Database fresh = reconnected();
                    writer = fresh;
                    for (int w = random.nextInt(3); w > 0; w--) {
                        write(writer, random, ids);
                    }
                    query = live(fresh).resume(spec, held);
                }
                write(writer, random, ids);
                settle(query, spec);
            }
        } finally {
            query.close();
        }
    }

    /** Reads updates until the result equals a fresh query; sequences must grow. */
    private void settle(LiveQuery query, LiveSpec spec) throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        List<List<JsonNode>> want = expected(spec);
        long seq = query.result().seq().number();
        while (!shown(query.result()).equals(want)) {
            Optional<LiveEvent> event = query.next(Duration.ofMillis(100));
            if (event.isPresent() && event.get() instanceof LiveEnd end) {
                fail("the live query ended: " + end);
            }
            if (event.isPresent() && event.get() instanceof LiveUpdate update) {
                assertTrue(update.seq().number() >= seq, "sequences grow: " + update.seq() + " after " + seq);
                seq = update.seq().number();
            }
            if (System.nanoTime() > deadline) {
                assertEquals(want, shown(query.result()), "the live result within " + SETTLE);
            }
        }
    }

    private void write(Database writer, Random random, List<String> ids) {
        String type = random.nextBoolean() ? "a" : random.nextBoolean() ? "b" : "c";
        int n = random.nextInt(50);
        int kind = ids.isEmpty() ? 0 : random.nextInt(10);
        if (kind <= 3) {
            String id = "doc" + random.nextInt(1000);
            ObjectNode doc = doc("{'type': '" + type + "', 'n': " + n + "}");
            doc.put("_id", id);
            Optional<String> rev = currentRev(writer, id);
            rev.ifPresent(r -> doc.put("_rev", r));
            writer.put(doc);
            if (!ids.contains(id)) ids.add(id);
            return;
        }
        String id = ids.get(random.nextInt(ids.size()));
        Optional<String> rev = currentRev(writer, id);
        if (kind <= 6) {
            ObjectNode doc = doc(random.nextInt(8) == 0 ? "{'type': 'a'}" : "{'type': '" + type + "', 'n': " + n + "}");
            doc.put("_id", id);
            rev.ifPresent(r -> doc.put("_rev", r));
            writer.put(doc);
        } else if (kind <= 8) {
            rev.ifPresent(r -> writer.remove(id, r));
        } else {
            // A replicated branch of its own: it wins when its generation is higher, else it is a conflict.
            ObjectNode doc = doc("{'type': '" + type + "', 'n': " + n + "}");
            doc.put("_id", id);
            byte[] hash = new byte[16];
            random.nextBytes(hash);
            doc.put("_rev", (1 + random.nextInt(4)) + "-" + HexFormat.of().formatHex(hash));
            List<DocResult> failures = writer.bulkDocs(List.of(doc), false);
            assertEquals(List.of(), failures);
        }
    }

    private static Optional<String> currentRev(Database database, String id) {
        try {
            return Optional.of(database.get(id).get("_rev").asText());
        } catch (ArborException.NotFound missing) {
            return Optional.empty();
        }
    }

    /** What a row shows: the document for a Mango row; key, value and document for a view row. */
    private static List<List<JsonNode>> shown(LiveResult result) {
        return result.rows().stream().map(row -> row(row.id(), row.key(), row.value(), row.doc())).toList();
    }

    private List<List<JsonNode>> expected(LiveSpec spec) {
        return switch (spec) {
            case LiveSpec.Find find -> {
                yield oracle().find(find.request()).docs().stream()
                        .map(doc -> row(doc.path("_id").asText(), null, null, doc)).toList();
            }
            case LiveSpec.View view -> oracle().query(view.ddoc(), view.view(), view.query().toBuilder().reduce(false).build())
                    .rows().stream().map((ViewRow row) -> row(row.id(), row.key(), row.value(), row.doc())).toList();
        };
    }

    private static List<JsonNode> row(String id, JsonNode key, JsonNode value, JsonNode doc) {
        List<JsonNode> row = new ArrayList<>();
        row.add(Json.MAPPER.valueToTree(id));
        row.add(key);
        row.add(value);
        row.add(doc);
        return row;
    }

    private void putView(String viewJson) {
        ObjectNode design = doc("{'views': {'by_n': " + viewJson + "}}");
        design.put("_id", "_design/v");
        db.put(design);
    }
}
