package dev.arbor.examples;

import dev.arbor.Arbor;
import dev.arbor.api.key.Keys;
import dev.arbor.collection.Collection;
import dev.arbor.collection.CollectionDatabase;
import dev.arbor.collection.Schema;
import dev.arbor.core.error.ArborException;

import java.nio.file.Path;

/**
 * BonsaiDb's natural-id example in Java: a collection whose key comes from the record itself, so pushing needs no
 * counter and a second record with the same natural id is a conflict.
 */
public final class NaturalIds implements Example {
    record User(String username, String displayName) {}

    static final Collection<User, String> USERS = Collection.builder("user", User.class).authority("khonsulabs")
            .key(Keys.STRING).naturalId(User::username).build();
    static final Schema ACCOUNTS = Schema.builder("accounts").collection(USERS).build();

    @Override
    public void run(Path dataDir) {
        try (CollectionDatabase db = Arbor.open(dataDir, ACCOUNTS)) {
            var users = db.collection(USERS);
            var ecton = users.push(new User("ecton", "Jonathan Johnson"));
            System.out.println("Inserted user with id: " + ecton.id());
            System.out.println("Stored as document: " + db.database().get("khonsulabs.user:ecton"));
            System.out.println("Retrieved by id \"ecton\": " + users.get("ecton").orElseThrow().contents());
            try {
                users.push(new User("ecton", "Someone Else"));
            } catch (ArborException.Conflict e) {
                System.out.println("Pushing a second \"ecton\": " + e.error() + " (" + e.reason() + ")");
            }
        }
    }
}
