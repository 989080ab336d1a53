package dev.arbor.api.contract;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.ChangeRow;
import dev.arbor.api.ChangesOptions;
import dev.arbor.api.ChangesResult;
import dev.arbor.api.Seq;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.arbor.api.contract.Fixtures.doc;
import static dev.arbor.api.contract.Fixtures.rev;
import static dev.arbor.api.contract.Fixtures.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@link dev.arbor.api.Changes} facet: {@code _changes} with its styles, filters, limits and pending counts. */
public abstract class ChangesContract extends DatabaseFacetContract {

    // ---- _changes -----------------------------------------------------------------------------------

    @Nested
    class Changes {
        @Test
        void anEmptyDatabaseHasNoChanges() {
            ChangesResult result = db.changes(ChangesOptions.DEFAULT);
            assertEquals(List.of(), result.results());
            assertEquals(0, result.lastSeq().number());
            assertEquals(0, result.pending());
        }

        @Test
        void eachDocAppearsOnceAtItsLatestSequence() {
            String a = create("a", "{}");
            create("b", "{}");
            String a2 = update("a", a, "{}");
            ChangesResult result = db.changes(ChangesOptions.DEFAULT);
            assertEquals(List.of("b", "a"), result.results().stream().map(ChangeRow::id).toList());
            assertEquals(List.of(Seq.of(2), Seq.of(3)), result.results().stream().map(ChangeRow::seq).toList());
            assertEquals(List.of(a2), result.results().get(1).changes());
            assertEquals(3, result.lastSeq().number());
            assertEquals(0, result.pending());
        }

        @Test
        void sinceSkipsChangesAtOrBeforeIt() {
            for (String id : List.of("a", "b", "c", "d")) create(id, "{}");
            assertEquals(List.of("c", "d"), changedIds(ChangesOptions.DEFAULT.since(2)));
            assertEquals(List.of(), changedIds(ChangesOptions.DEFAULT.since(4)));
        }

        @Test
        void limitStopsEarlyAndCountsWhatIsPending() {
            for (String id : List.of("a", "b", "c", "d", "e")) create(id, "{}");
            ChangesResult result = db.changes(ChangesOptions.DEFAULT.limit(2));
            assertEquals(List.of("a", "b"), result.results().stream().map(ChangeRow::id).toList());
            assertEquals(2, result.lastSeq().number());
            assertEquals(3, result.pending());
        }

        @Test
        void descendingGivesTheNewestFirst() {
            for (String id : List.of("a", "b", "c")) create(id, "{}");
            assertEquals(List.of("c", "b", "a"), changedIds(ChangesOptions.DEFAULT.descending(true)));
            assertEquals(List.of("c"), changedIds(ChangesOptions.DEFAULT.descending(true).limit(1)));
        }

        @Test
        void includeDocsAddsTheWinningDocument() {
            String rev = create("a", "{'n':1}");
            ChangeRow row = db.changes(ChangesOptions.DEFAULT.includeDocs(true)).results().getFirst();
            assertEquals(doc("{'_id':'a','_rev':'" + rev + "','n':1}"), row.doc());
            assertNull(db.changes(ChangesOptions.DEFAULT).results().getFirst().doc(), "no doc unless asked");
        }

        @Test
        void aDeletedDocShowsAsADeletedRowWithItsTombstone() {
            String tomb = db.remove("a", create("a", "{}")).rev();
            ChangeRow row = db.changes(ChangesOptions.DEFAULT).results().getFirst();
            assertTrue(row.deleted());
            assertEquals(List.of(tomb), row.changes());
            assertEquals(2, row.seq().number());
        }

        @Test
        void docIdsKeepOnlyThoseDocuments() {
            for (String id : List.of("a", "b", "c", "d")) create(id, "{}");
            ChangesResult result = db.changes(ChangesOptions.DEFAULT.docIds(List.of("d", "b", "zz")));
            assertEquals(List.of("b", "d"), result.results().stream().map(ChangeRow::id).toList());
        }

        @Test
        void mainOnlyStyleGivesTheWinnerAndAllDocsStyleEveryLeafWinnerFirst() {
            conflictedDoc("a");
            String tomb = db.remove("a", rev(2, 'b')).rev();
            assertEquals(List.of(rev(2, 'c')), db.changes(ChangesOptions.DEFAULT).results().getFirst().changes());
            List<String> all = db.changes(ChangesOptions.DEFAULT.style(ChangesOptions.Style.ALL_DOCS)).results().getFirst().changes();
            assertEquals(rev(2, 'c'), all.getFirst());
            assertEquals(Set.of(rev(2, 'c'), tomb), Set.copyOf(all));
            assertEquals(2, all.size());
        }

        @Test
        void conflictsWithIncludeDocsListsConflicts() {
            conflictedDoc("a");
            ObjectNode doc = db.changes(ChangesOptions.DEFAULT.includeDocs(true).conflicts(true)).results().getFirst().doc();
            assertEquals(List.of(rev(2, 'b')), strings(doc.get("_conflicts")));
        }

        @Test
        void aDesignDocFilterPassesWhatItsFunctionAcceptsGivenReqQueryAndTheLimitCountsPassedRows() {
            db.put(doc("{'_id':'_design/app','filters':{'byType':'function(doc, req) { return doc.type === req.query.type; }'}}"));
            create("a1", "{'type':'a'}");
            create("b1", "{'type':'b'}");
            create("a2", "{'type':'a'}");
            create("a3", "{'type':'a'}");
            ChangesOptions typeA = ChangesOptions.DEFAULT.filter("app/byType").queryParams(Map.of("type", "a"));
            assertEquals(List.of("a1", "a2", "a3"), changedIds(typeA));
            assertEquals(List.of("b1"), changedIds(typeA.queryParams(Map.of("type", "b"))));
            assertEquals(List.of("a1", "a2"), changedIds(typeA.limit(2)));
            assertNull(db.changes(typeA).results().getFirst().doc(), "the filter reads the doc; the row carries it only when asked");
            assertEquals("a", db.changes(typeA.includeDocs(true)).results().getFirst().doc().get("type").asText());
        }

        /**
         * CouchDB (fabric_rpc:changes) starts pending at the count of all changes since {@code since} and takes one
         * off for every row it reads, passed by the filter or not: pending is every change after the last row read,
         * whatever the filter would say of them.
         */
        @Test
        void underAFilterPendingCountsEveryChangeAfterTheLastReturnedRowPassingOrNot() {
            db.put(doc("{'_id':'_design/app','filters':{'byType':'function(doc, req) { return doc.type === req.query.type; }'}}"));
            for (String id : List.of("a1", "b1", "a2", "b2", "a3", "b3")) {
                create(id, "{'type':'" + id.charAt(0) + "'}");
            }
            ChangesResult result = db.changes(ChangesOptions.DEFAULT.filter("app/byType").queryParams(Map.of("type", "a")).limit(2));
            assertEquals(List.of("a1", "a2"), result.results().stream().map(ChangeRow::id).toList());
            assertEquals(4, result.lastSeq().number());
            assertEquals(3, result.pending(), "b2, a3 and b3: the filter does not decide what is pending");
        }

        @Test
        void theViewFilterPassesDocumentsItsMapFunctionEmitsFor() {
            db.put(doc("{'_id':'_design/app','views':{'bees':{'map':'function(doc) { if (doc.bee) emit(doc._id); }'}}}"));
            create("a1", "{'bee':false}");
            create("b1", "{'bee':true}");
            assertEquals(List.of("b1"), changedIds(ChangesOptions.DEFAULT.filter(ChangesOptions.VIEW_FILTER)
                    .queryParams(Map.of("view", "app/bees"))));
        }

        @Test
        void theStreamingFormGivesTheSameRowsAndSummary() {
            for (String id : List.of("a", "b", "c")) create(id, "{}");
            List<ChangeRow> rows = new ArrayList<>();
            var summary = db.changes(ChangesOptions.DEFAULT.limit(2), rows::add);
            ChangesResult collected = db.changes(ChangesOptions.DEFAULT.limit(2));
            assertEquals(collected.results(), rows);
            assertEquals(collected.lastSeq().number(), summary.lastSeq().number());
            assertEquals(1, summary.pending());
        }
    }
}
