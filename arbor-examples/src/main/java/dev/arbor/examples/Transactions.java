package dev.arbor.examples;

import dev.arbor.Arbor;
import dev.arbor.api.key.Keys;
import dev.arbor.collection.Collection;
import dev.arbor.collection.CollectionDatabase;
import dev.arbor.collection.Schema;
import dev.arbor.collection.Transaction;
import dev.arbor.core.error.ArborException;

import java.nio.file.Path;

/**
 * BonsaiDb's transactions in Java: a transfer updates two accounts and records itself in a second collection, all
 * in one atomic commit; a transfer built on a stale read is refused as a whole.
 */
public final class Transactions implements Example {
    record Account(String owner, long balance) {}

    record Transfer(String from, String to, long amount) {}

    static final Collection<Account, String> ACCOUNTS = Collection.builder("account", Account.class)
            .key(Keys.STRING).naturalId(Account::owner).build();
    static final Collection<Transfer, Long> TRANSFERS = Collection.of("transfer", Transfer.class);
    static final Schema BANK = Schema.builder("bank").collection(ACCOUNTS).collection(TRANSFERS).build();

    @Override
    public void run(Path dataDir) {
        try (CollectionDatabase db = Arbor.open(dataDir, BANK)) {
            var accounts = db.collection(ACCOUNTS);
            var alice = accounts.push(new Account("alice", 100));
            var bob = accounts.push(new Account("bob", 20));
            print(db, "before");

            var results = db.transaction()
                    .update(ACCOUNTS, alice.withContents(new Account("alice", 70)))
                    .update(ACCOUNTS, bob.withContents(new Account("bob", 50)))
                    .push(TRANSFERS, new Transfer("alice", "bob", 30))
                    .commit();
            System.out.println("committed " + results.size() + " operations:");
            for (Transaction.Operation<?, ?> op : results) {
                System.out.println("  " + op.collection().qualifiedName() + " " + op.id() + " -> rev " + op.rev());
            }
            print(db, "after the transfer");

            // The same transfer again, from the headers read before the first one: alice's revision is stale.
            try {
                db.transaction()
                        .update(ACCOUNTS, alice.withContents(new Account("alice", 40)))
                        .update(ACCOUNTS, bob.withContents(new Account("bob", 80)))
                        .push(TRANSFERS, new Transfer("alice", "bob", 30))
                        .commit();
            } catch (ArborException.Conflict e) {
                System.out.println("second transfer refused: " + e.reason());
            }
            print(db, "after the refused transfer (nothing changed)");
        }
    }

    private static void print(CollectionDatabase db, String when) {
        StringBuilder line = new StringBuilder(when + ":");
        for (var account : db.collection(ACCOUNTS).list()) {
            line.append(' ').append(account.id()).append('=').append(account.contents().balance());
        }
        line.append("; transfers: ").append(db.collection(TRANSFERS).count());
        System.out.println(line);
    }
}
