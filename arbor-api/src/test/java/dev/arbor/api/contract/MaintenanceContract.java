package dev.arbor.api.contract;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.api.AllDocsOptions;
import dev.arbor.api.AttachmentStream;
import dev.arbor.api.ChangesOptions;
import dev.arbor.api.CommitEvent;
import dev.arbor.api.DbInfo;
import dev.arbor.api.GetOptions;
import dev.arbor.api.PurgeResult;
import dev.arbor.api.Subscription;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static dev.arbor.api.contract.Fixtures.assertNotFound;
import static dev.arbor.api.contract.Fixtures.doc;
import static dev.arbor.api.contract.Fixtures.replicated;
import static dev.arbor.api.contract.Fixtures.rev;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@link dev.arbor.api.Maintenance} facet: compaction, purge, the revision limit and {@code _security}, and
 * the commit listeners a live reader waits on.
 */
public abstract class MaintenanceContract extends DatabaseFacetContract {

    // ---- compaction ----------------------------------------------------------------------------------

    @Nested
    class Compaction {
        @Test
        void compactionDropsBodiesOfNonLeafRevisionsAndKeepsTheLeaf() {
            String r1 = create("a", "{'n':1}");
            String r2 = update("a", r1, "{'n':2}");
            String r3 = update("a", r2, "{'n':3}");
            assertEquals(1, db.get("a", GetOptions.DEFAULT.rev(r1)).get("n").asInt(), "readable before compaction");
            db.compact();
            assertNotFound("missing", () -> db.get("a", GetOptions.DEFAULT.rev(r1)));
            assertEquals(3, db.get("a").get("n").asInt());
            ArrayNode info = (ArrayNode) db.get("a", GetOptions.DEFAULT.revsInfo(true)).get("_revs_info");
            assertEquals(List.of("available", "missing", "missing"), info.findValuesAsText("status"));
            assertEquals(List.of(hashOf(r3), hashOf(r2), hashOf(r1)), revisionIds(db.get("a", GetOptions.DEFAULT.revs(true))),
                    "compaction keeps the revision ids, only the bodies go");
        }

        @Test
        void compactionKeepsEveryLeafIncludingConflictsAndTombstones() {
            conflictedDoc("a");
            String tomb = db.remove("a", rev(2, 'b')).rev();
            replicate(replicated("c", 2, "ba", false, "{'branch':'b'}"), replicated("c", 2, "ca", false, "{'branch':'c'}"));
            db.compact();
            assertEquals("c", db.get("a").get("branch").asText());
            assertTrue(db.get("a", GetOptions.DEFAULT.rev(tomb)).get("_deleted").asBoolean());
            assertEquals("b", db.get("c", GetOptions.DEFAULT.rev(rev(2, 'b'))).get("branch").asText());
        }

        @Test
        void compactionDropsAttachmentDataOnlyOldRevisionsReferTo() {
            byte[] first = "first version".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            byte[] second = "second version".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            String r1 = db.putAttachment("a", null, "f", "application/octet-stream", new ByteArrayInputStream(first)).rev();
            String r2 = db.putAttachment("a", r1, "f", "application/octet-stream", new ByteArrayInputStream(second)).rev();
            db.compact();
            assertNotFound(null, () -> db.getAttachment("a", "f", r1));
            try (AttachmentStream att = db.getAttachment("a", "f", r2)) {
                assertArrayEquals(second, att.readAllBytes());
            }
        }

        @Test
        void compactionKeepsCountsAndSequence() {
            String r1 = create("a", "{}");
            update("a", r1, "{}");
            db.remove("b", create("b", "{}"));
            DbInfo before = db.info();
            db.compact();
            DbInfo after = db.info();
            assertEquals(before.docCount(), after.docCount());
            assertEquals(before.docDelCount(), after.docDelCount());
            assertEquals(before.updateSeq().number(), after.updateSeq().number());
            assertEquals(changedIds(ChangesOptions.DEFAULT), List.of("a", "b"));
        }
    }

    // ---- purge ---------------------------------------------------------------------------------------

    @Nested
    class Purge {
        @Test
        void purgingTheOnlyLeafRemovesTheDocAsIfNeverWritten() {
            String rev = create("a", "{}");
            create("b", "{}");
            PurgeResult result = db.purge(Map.of("a", List.of(rev)));
            assertEquals(Map.of("a", List.of(rev)), result.purged());
            assertNotFound("missing", () -> db.get("a"));
            assertEquals(List.of("b"), allDocIds(AllDocsOptions.DEFAULT));
            assertEquals(List.of("b"), changedIds(ChangesOptions.DEFAULT));
            assertEquals(1, db.info().docCount());
            assertEquals(1, db.info().purgeSeq());
            assertEquals(result.purgeSeq(), db.info().purgeSeq());
        }

        @Test
        void purgingOneOfTwoLeavesLeavesTheOtherAsWinner() {
            conflictedDoc("a");
            db.purge(Map.of("a", List.of(rev(2, 'c'))));
            ObjectNode got = db.get("a", GetOptions.DEFAULT.conflicts(true));
            assertEquals(rev(2, 'b'), got.get("_rev").asText());
            assertFalse(got.has("_conflicts"));
            assertEquals(Set.of(rev(2, 'b')), leaves("a"));
        }

        @Test
        void purgeSeqGrowsWithEachPurge() {
            String a = create("a", "{}");
            String b = create("b", "{}");
            long first = db.purge(Map.of("a", List.of(a))).purgeSeq();
            long second = db.purge(Map.of("b", List.of(b))).purgeSeq();
            assertTrue(first > 0);
            assertTrue(second > first);
            assertEquals(second, db.info().purgeSeq());
            assertEquals(0, db.info().docCount());
        }

        @Test
        void purgingAnUnknownRevisionPurgesNothing() {
            String rev = create("a", "{}");
            PurgeResult result = db.purge(Map.of("a", List.of(rev(1, 'f'))));
            assertTrue(result.purged().getOrDefault("a", List.of()).isEmpty());
            assertEquals(rev, db.get("a").get("_rev").asText());
        }

        @Test
        void purgingADeletedDocLowersTheDeletedCount() {
            String tomb = db.remove("a", create("a", "{}")).rev();
            db.purge(Map.of("a", List.of(tomb)));
            assertEquals(0, db.info().docDelCount());
            assertNotFound("missing", () -> db.get("a"));
        }
    }

    // ---- settings and commit listeners ----------------------------------------------------------------

    @Nested
    class Settings {
        @Test
        void theSecurityObjectIsStoredAndReplacedWhole() {
            ObjectNode first = doc("{'admins':{'names':['ann'],'roles':[]},'members':{'names':[],'roles':['staff']}}");
            db.setSecurity(first);
            assertEquals(first, db.getSecurity());
            ObjectNode second = doc("{'members':{'roles':['all']}}");
            db.setSecurity(second);
            assertEquals(second, db.getSecurity());
        }

        @Test
        void revsLimitDefaultsToAThousandAndCanBeSet() {
            assertEquals(1000, db.revsLimit());
            db.setRevsLimit(7);
            assertEquals(7, db.revsLimit());
        }

        @Test
        void aCommitListenerSeesTheUpdateSeqAfterAWriteUntilItsSubscriptionCloses() throws InterruptedException {
            BlockingQueue<CommitEvent> events = new LinkedBlockingQueue<>();
            Subscription subscription = db.onCommit(events::add);
            create("a", "{}");
            create("b", "{}");
            long seq = db.info().updateSeq().number();
            CommitEvent last = null;
            while (last == null || last.updateSeq().number() < seq) {
                last = events.poll(60, TimeUnit.SECONDS); // only ends a hung test: a remote feed may be slow
                assertNotNull(last, "a commit event for update_seq " + seq);
                assertEquals("db", last.dbName());
            }
            assertEquals(seq, last.updateSeq().number());

            subscription.close();
            events.clear();
            // Not "nothing within a moment", which a slow machine decides: a listener opened after the close hears
            // the next write, and the closed one must not have heard it by then.
            BlockingQueue<CommitEvent> later = new LinkedBlockingQueue<>();
            try (Subscription after = db.onCommit(later::add)) {
                create("c", "{}");
                long seqOfC = db.info().updateSeq().number();
                for (CommitEvent event = null; event == null || event.updateSeq().number() < seqOfC; ) {
                    event = later.poll(60, TimeUnit.SECONDS);
                    assertNotNull(event, "a listener opened after the close hears update_seq " + seqOfC);
                }
            }
            assertNull(events.poll(), "no event after the subscription closed");
        }
    }
}
