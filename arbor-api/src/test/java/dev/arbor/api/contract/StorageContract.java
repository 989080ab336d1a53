package dev.arbor.api.contract;

import dev.arbor.api.Database;
import dev.arbor.api.DbInfo;
import dev.arbor.core.error.ArborException;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.arbor.api.contract.Fixtures.assertArbor;
import static dev.arbor.api.contract.Fixtures.assertConflict;
import static dev.arbor.api.contract.Fixtures.assertNotFound;
import static dev.arbor.api.contract.Fixtures.doc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The storage of databases and each database's info, as every {@link dev.arbor.api.Storage} must show them:
 * create, list, open and delete databases; {@code GET /db}'s counts and sequences.
 */
public abstract class StorageContract extends DatabaseFacetContract {

    // ---- storage of databases -----------------------------------------------------------------

    @Nested
    class StorageOfDatabases {
        @Test
        void createdDatabasesExistAndAreListedSorted() {
            storage.createDatabase("zeta");
            storage.createDatabase("alpha");
            assertTrue(storage.exists("zeta"));
            assertFalse(storage.exists("omega"));
            assertEquals(List.of("alpha", "db", "zeta"), storage.listDatabases());
        }

        @Test
        void creatingAnExistingDatabaseFailsWithFileExists() {
            var thrown = assertArbor(ArborException.PreconditionFailed.class, "file_exists", null,
                    () -> storage.createDatabase("db"));
        }

        @Test
        void namesOutsideCouchDbsRuleAreIllegal() {
            for (String bad : List.of("", "A", "Db", "1a", "_a", "a b", "a.b", "aé")) {
                var thrown = assertArbor(ArborException.BadRequest.class, "illegal_database_name", null,
                        () -> storage.createDatabase(bad));
                assertFalse(storage.exists(bad), bad);
            }
        }

        @Test
        void aNameOverTwoHundredThirtyEightCharactersIsTooLong() {
            // CouchDB 3 checks the pattern first, then fails the shard file name as database_name_too_long (400).
            String name = "a".repeat(239);
            var thrown = assertArbor(ArborException.BadRequest.class, "database_name_too_long", null,
                    () -> storage.createDatabase(name));
            assertFalse(storage.exists(name));
        }

        @Test
        void everyCharacterCouchDbAllowsInANameIsAccepted() {
            for (String good : List.of("a", "a0_$()+-/z", "a".repeat(238))) {
                storage.createDatabase(good).put(doc("{'_id':'x'}"));
                assertTrue(storage.exists(good), good);
                assertEquals(1, storage.database(good).info().docCount(), good);
            }
        }

        @Test
        void openingAMissingDatabaseIsNotFound() {
            assertNotFound(null, () -> storage.database("nope"));
        }

        @Test
        void deletingADatabaseRemovesItAndAllItsData() {
            Database other = storage.createDatabase("other");
            other.put(doc("{'_id':'a'}"));
            storage.deleteDatabase("other");
            assertFalse(storage.exists("other"));
            assertEquals(List.of("db"), storage.listDatabases());
            assertNotFound(null, () -> storage.database("other"));

            Database again = storage.createDatabase("other");
            assertEquals(0, again.info().docCount());
            assertEquals(0, again.info().updateSeq().number());
            assertNotFound("missing", () -> again.get("a"));
        }

        @Test
        void deletingAMissingDatabaseIsNotFound() {
            assertNotFound(null, () -> storage.deleteDatabase("nope"));
        }

        @Test
        void databaseOrCreateCreatesOnceThenOpensTheSameData() {
            storage.databaseOrCreate("lazy").put(doc("{'_id':'a','n':1}"));
            assertEquals(1, storage.databaseOrCreate("lazy").get("a").get("n").asInt());
            assertEquals(1, storage.database("lazy").info().docCount());
        }

        @Test
        void databasesKeepTheirDocumentsApart() {
            Database other = storage.createDatabase("other");
            db.put(doc("{'_id':'a','in':'db'}"));
            other.put(doc("{'_id':'a','in':'other'}"));
            assertEquals("db", db.get("a").get("in").asText());
            assertEquals("other", other.get("a").get("in").asText());
        }

        @Test
        void aDatabaseKnowsItsName() {
            assertEquals(expectedName("db"), db.name());
            assertEquals("db", db.info().dbName());
        }
    }

    // ---- info ------------------------------------------------------------------------------------

    @Nested
    class Info {
        @Test
        void anEmptyDatabaseCountsNothing() {
            DbInfo info = db.info();
            assertEquals(0, info.docCount());
            assertEquals(0, info.docDelCount());
            assertEquals(0, info.updateSeq().number());
            assertEquals(0, info.purgeSeq());
        }

        @Test
        void countsFollowCreatesUpdatesAndDeletes() {
            String a = create("a", "{}");
            String b = create("b", "{}");
            assertCounts(2, 0, 2);
            update("a", a, "{'n':2}");
            assertCounts(2, 0, 3);
            db.remove("b", b);
            assertCounts(1, 1, 4);
            db.bulkDocs(List.of(doc("{'_id':'c'}"), doc("{'_id':'d'}"), doc("{'_id':'e'}")));
            assertCounts(4, 1, 7);
        }

        @Test
        void recreatingADeletedDocMovesItBackToTheLiveCount() {
            db.remove("a", create("a", "{}"));
            create("a", "{}");
            assertCounts(1, 0, 3);
        }

        @Test
        void aFailedWriteChangesNothing() {
            create("a", "{}");
            assertConflict(() -> create("a", "{}"));
            assertCounts(1, 0, 1);
        }

        private void assertCounts(long docCount, long docDelCount, long updateSeq) {
            DbInfo info = db.info();
            assertEquals(docCount, info.docCount(), "doc_count");
            assertEquals(docDelCount, info.docDelCount(), "doc_del_count");
            assertEquals(updateSeq, info.updateSeq().number(), "update_seq");
        }
    }
}
