package dev.arbor.collection;

import dev.arbor.Arbor;
import dev.arbor.api.key.Keys;
import dev.arbor.core.error.ArborException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** BonsaiDb's transactions: several operations across collections, all committed or none. */
class TransactionTest {
    record Account(String owner, long cents) {}

    record Transfer(String from, String to, long cents) {}

    static final Collection<Account, String> ACCOUNTS = Collection.builder("account", Account.class)
            .key(Keys.STRING).naturalId(Account::owner).build();
    static final Collection<Transfer, Long> TRANSFERS = Collection.of("transfer", Transfer.class);
    static final Schema BANK = Schema.builder("bank").collection(ACCOUNTS).collection(TRANSFERS).build();

    /** A fresh database under {@code schema}; {@link TransactionOverProtocolTest} reaches one through a server. */
    CollectionDatabase open(Schema schema) {
        return Arbor.inMemory(schema);
    }

    @Test
    void operationsAcrossCollectionsCommitTogether() {
        try (CollectionDatabase db = open(BANK)) {
            var accounts = db.collection(ACCOUNTS);
            var alice = accounts.push(new Account("alice", 100));
            var bob = accounts.push(new Account("bob", 0));
            long seqBefore = db.database().info().updateSeq().number();

            List<Transaction.Operation<?, ?>> committed = db.transaction()
                    .update(ACCOUNTS, alice.withContents(new Account("alice", 60)))
                    .update(ACCOUNTS, bob.withContents(new Account("bob", 40)))
                    .push(TRANSFERS, new Transfer("alice", "bob", 40))
                    .commit();

            assertEquals(3, committed.size());
            assertEquals("alice", committed.get(0).id());
            assertTrue(committed.get(0).rev().startsWith("2-"));
            assertEquals(60, accounts.get("alice").orElseThrow().contents().cents());
            assertEquals(40, accounts.get("bob").orElseThrow().contents().cents());
            assertEquals(1, db.collection(TRANSFERS).count());
            // One commit: the three documents share one batch.
            assertEquals(seqBefore + 3, db.database().info().updateSeq().number());
        }
    }

    @Test
    void pushesInATransactionTakeConsecutiveKeysInPushOrderAndAFailedCommitNeverHandsThemOutAgain() {
        try (CollectionDatabase db = open(BANK)) {
            var transfers = db.collection(TRANSFERS);
            transfers.push(new Transfer("a", "b", 1)); // key 0

            List<Transaction.Operation<?, ?>> committed = db.transaction()
                    .push(TRANSFERS, new Transfer("a", "b", 2))
                    .insert(ACCOUNTS, "carol", new Account("carol", 0))
                    .push(TRANSFERS, new Transfer("b", "a", 3))
                    .commit();

            assertEquals(List.of(1L, "carol", 2L), committed.stream().map(Transaction.Operation::id).toList());
            assertEquals(2, transfers.get(1L).orElseThrow().contents().cents());
            assertEquals(3, transfers.get(2L).orElseThrow().contents().cents());

            // A commit refused whole still used up the counter values it took (3 and 4): never reused.
            assertThrows(ArborException.Conflict.class, () -> db.transaction()
                    .push(TRANSFERS, new Transfer("x", "y", 4))
                    .push(TRANSFERS, new Transfer("x", "y", 5))
                    .insert(ACCOUNTS, "carol", new Account("carol", 1)).commit());
            assertEquals(3, transfers.count());
            assertEquals(5L, transfers.push(new Transfer("c", "d", 6)).id());
        }
    }

    @Test
    void aStaleRevisionFailsTheWholeTransactionAndNamesTheOperation() {
        try (CollectionDatabase db = open(BANK)) {
            var accounts = db.collection(ACCOUNTS);
            var alice = accounts.push(new Account("alice", 100));
            var bob = accounts.push(new Account("bob", 0));
            accounts.update(bob.withContents(new Account("bob", 5))); // bob's header is now stale

            Transaction tx = db.transaction()
                    .update(ACCOUNTS, alice.withContents(new Account("alice", 60)))
                    .update(ACCOUNTS, bob.withContents(new Account("bob", 40)))
                    .insert(TRANSFERS, 0L, new Transfer("alice", "bob", 40));
            var conflict = assertThrows(ArborException.Conflict.class, tx::commit);

            assertTrue(conflict.reason().contains("operation 1 (account:bob)"), conflict.reason());
            assertEquals(100, accounts.get("alice").orElseThrow().contents().cents());
            assertEquals(5, accounts.get("bob").orElseThrow().contents().cents());
            assertEquals(0, db.collection(TRANSFERS).count());
        }
    }

    @Test
    void insertOfATakenKeyAndDeleteOfAStaleHeaderFailTheTransaction() {
        try (CollectionDatabase db = open(BANK)) {
            var accounts = db.collection(ACCOUNTS);
            var alice = accounts.push(new Account("alice", 100));
            assertThrows(ArborException.Conflict.class, () -> db.transaction()
                    .insert(ACCOUNTS, "carol", new Account("carol", 1))
                    .insert(ACCOUNTS, "alice", new Account("alice", 1)).commit());
            assertTrue(accounts.get("carol").isEmpty());

            var current = accounts.update(alice.withContents(new Account("alice", 90)));
            assertThrows(ArborException.Conflict.class, () -> db.transaction().delete(ACCOUNTS, alice).commit());
            db.transaction().delete(ACCOUNTS, current).overwrite(ACCOUNTS, "dave", new Account("dave", 7)).commit();
            assertTrue(accounts.get("alice").isEmpty());
            assertEquals(7, accounts.get("dave").orElseThrow().contents().cents());
        }
    }

    @Test
    void overwriteInATransactionBuildsOnWhateverRevisionIsCurrent() throws Exception {
        try (CollectionDatabase db = open(BANK)) {
            var accounts = db.collection(ACCOUNTS);
            accounts.push(new Account("erin", 1));
            accounts.overwrite("erin", new Account("erin", 2));
            var committed = db.transaction().overwrite(ACCOUNTS, "erin", new Account("erin", 3)).commitAsync().get();
            assertTrue(committed.getFirst().rev().startsWith("3-"));
            assertEquals(3, accounts.get("erin").orElseThrow().contents().cents());
        }
    }
}
