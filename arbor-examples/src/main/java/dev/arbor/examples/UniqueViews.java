package dev.arbor.examples;

import dev.arbor.Arbor;
import dev.arbor.api.key.Key;
import dev.arbor.api.key.Keys;
import dev.arbor.api.view.typed.Emitter;
import dev.arbor.api.view.typed.TypedQuery;
import dev.arbor.api.view.typed.ViewUpdatePolicy;
import dev.arbor.collection.Collection;
import dev.arbor.collection.CollectionDatabase;
import dev.arbor.collection.CollectionDocument;
import dev.arbor.collection.CollectionView;
import dev.arbor.collection.Schema;
import dev.arbor.core.error.ArborException;

import java.nio.file.Path;
import java.util.Locale;

/**
 * BonsaiDb's unique view example in Java: a collection of users with a unique view by email, declared on the
 * collection so it is registered when the database opens. A second signup with an address already taken is refused
 * atomically (409 conflict), also inside a transaction, and a lookup by email is one view query.
 */
public final class UniqueViews implements Example {
    record User(String name, String email) {}

    /** One user per email address, compared in lower case; the value is the user's name. */
    record UsersByEmail() implements CollectionView<User, String, String> {
        @Override public String name() { return "by-email"; }
        @Override public Key<String> keyType() { return Keys.STRING; }
        @Override public Class<String> valueType() { return String.class; }
        @Override public ViewUpdatePolicy updatePolicy() { return ViewUpdatePolicy.UNIQUE; }

        @Override
        public void map(CollectionDocument<User, ?> user, Emitter<String, String> emit) {
            emit.emit(user.contents().email().toLowerCase(Locale.ROOT), user.contents().name());
        }
    }

    static final UsersByEmail BY_EMAIL = new UsersByEmail();
    static final Collection<User, Long> USERS = Collection.builder("user", User.class).view(BY_EMAIL).build();
    static final Schema ACCOUNTS = Schema.builder("accounts").collection(USERS).build();

    @Override
    public void run(Path dataDir) {
        try (CollectionDatabase db = Arbor.open(dataDir, ACCOUNTS)) {
            var users = db.collection(USERS);
            var ada = users.push(new User("Ada", "ada@example.org"));
            System.out.println("signed up user " + ada.id() + " (Ada) with ada@example.org");
            try {
                users.push(new User("Mallory", "ADA@example.org"));
                System.out.println("signed up Mallory (this should not happen)");
            } catch (ArborException.Conflict e) {
                System.out.println("second signup refused: " + e.error() + ": " + e.reason());
            }
            try {
                db.transaction()
                        .push(USERS, new User("Bob", "bob@example.org"))
                        .push(USERS, new User("Eve", "ada@example.org"))
                        .commit();
                System.out.println("signed up Bob and Eve (this should not happen)");
            } catch (ArborException.Conflict e) {
                System.out.println("transaction refused whole: " + e.reason());
            }
            System.out.println("users: " + users.list().stream().map(user -> user.contents().name()).toList());
            var owner = users.view(BY_EMAIL).query(TypedQuery.key("ada@example.org")).getFirst();
            System.out.println("ada@example.org belongs to user " + owner.id() + " (" + owner.value() + ")");
        }
    }
}
