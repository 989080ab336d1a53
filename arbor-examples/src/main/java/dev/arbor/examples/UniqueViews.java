package dev.arbor.examples;

import dev.arbor.Arbor;
import dev.arbor.ArborOptions;
import dev.arbor.api.Database;
import dev.arbor.api.key.Key;
import dev.arbor.api.key.Keys;
import dev.arbor.api.view.typed.Emitter;
import dev.arbor.api.view.typed.MappedDocument;
import dev.arbor.api.view.typed.TypedQuery;
import dev.arbor.api.view.typed.TypedView;
import dev.arbor.api.view.typed.ViewHandle;
import dev.arbor.api.view.typed.ViewUpdatePolicy;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;

import java.nio.file.Path;
import java.util.List;

/**
 * BonsaiDb's unique view example in Java: users keyed by email in a unique view, registered when the database
 * opens, so a second signup with an address already taken is refused atomically (409 conflict), and a lookup by
 * email is one view query.
 */
public final class UniqueViews implements Example {

    /** One user per email address. */
    record UsersByEmail() implements TypedView<String, String> {
        @Override public String name() { return "users-by-email"; }
        @Override public Key<String> keyType() { return Keys.STRING; }
        @Override public Class<String> valueType() { return String.class; }
        @Override public ViewUpdatePolicy updatePolicy() { return ViewUpdatePolicy.UNIQUE; }

        @Override
        public void map(MappedDocument doc, Emitter<String, String> emit) {
            if (doc.body().hasNonNull("email")) {
                emit.emit(doc.body().get("email").asText().toLowerCase(java.util.Locale.ROOT),
                        doc.body().path("name").asText());
            }
        }
    }

    @Override
    public void run(Path dataDir) {
        ArborOptions options = ArborOptions.DEFAULT.views(List.of(new UsersByEmail()));
        try (Database db = Arbor.open(dataDir, Arbor.DEFAULT_DATABASE, options)) {
            ViewHandle<String, String> byEmail = db.view(new UsersByEmail());

            db.put(Json.parseObject("{\"_id\":\"user:ada\",\"name\":\"Ada\",\"email\":\"ada@example.org\"}"));
            System.out.println("signed up user:ada with ada@example.org");
            try {
                db.put(Json.parseObject("{\"_id\":\"user:mallory\",\"name\":\"Mallory\",\"email\":\"ADA@example.org\"}"));
                System.out.println("signed up user:mallory (this should not happen)");
            } catch (ArborException.Conflict e) {
                System.out.println("second signup refused: " + e.status() + " " + e.error() + ": " + e.reason());
            }
            System.out.println("user:mallory exists: " + exists(db, "user:mallory"));
            var owner = byEmail.query(TypedQuery.key("ada@example.org")).get(0);
            System.out.println("ada@example.org belongs to " + owner.docId() + " (" + owner.value() + ")");
        }
    }

    private static boolean exists(Database db, String id) {
        try {
            db.get(id);
            return true;
        } catch (ArborException.NotFound e) {
            return false;
        }
    }
}
