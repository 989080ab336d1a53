package dev.arbor.collection;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.Arbor;
import dev.arbor.ArborOptions;
import dev.arbor.api.hook.DatabaseHook;
import dev.arbor.api.key.Keys;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RouchDB's plugins: before-write (modify or reject), after-write and on-destroy, on every write path. */
class HooksTest {
    record Comment(String author, String text) {}

    static final Collection<Comment, Long> COMMENTS = Collection.of("comment", Comment.class);

    /** Trims comments, refuses empty ones, and records what was written. */
    static final class Moderation implements CollectionHook<Comment, Long> {
        final List<String> written = new CopyOnWriteArrayList<>();

        @Override
        public Comment beforeWrite(Long id, Comment comment) {
            if (comment.text().isBlank()) {
                throw new ArborException.Forbidden("empty comments are not allowed");
            }
            return new Comment(comment.author(), comment.text().strip());
        }

        @Override
        public void afterWrite(Long id, String rev, boolean deleted) {
            written.add(id + (deleted ? " deleted" : " " + rev.substring(0, 2)));
        }
    }

    @TempDir
    Path dir;

    @Test
    void beforeWriteModifiesAndRejectsOnEveryWritePath() {
        Moderation moderation = new Moderation();
        Schema schema = Schema.builder("talk").collection(COMMENTS).hook(COMMENTS, moderation).build();
        try (CollectionDatabase db = Arbor.open(dir, schema)) {
            var comments = db.collection(COMMENTS);
            var pushed = comments.push(new Comment("ann", "  hello  "));
            assertEquals("hello", comments.get(pushed.id()).orElseThrow().contents().text());
            assertThrows(ArborException.Forbidden.class, () -> comments.push(new Comment("ann", "   ")));

            // The plain document API and _bulk_docs run the same hook: the collection's documents are guarded
            // whoever writes them.
            String id100 = "comment:" + Keys.LONG.toId(100L);
            db.database().put(Json.parseObject("{\"_id\":\"" + id100 + "\",\"author\":\"bo\",\"text\":\" raw \"}"));
            assertEquals("raw", db.database().get(id100).path("text").asText());
            var results = db.database().bulkDocs(List.of(
                    Json.parseObject("{\"_id\":\"comment:" + Keys.LONG.toId(101L) + "\",\"author\":\"bo\",\"text\":\"\"}"),
                    Json.parseObject("{\"_id\":\"other\",\"text\":\"\"}")));
            assertTrue(results.get(0) instanceof dev.arbor.api.DocResult.Error error && error.error().equals("forbidden"));
            assertTrue(results.get(1) instanceof dev.arbor.api.DocResult.Ok, "documents of other collections pass");
            // In a transaction a rejection fails the whole commit.
            assertThrows(ArborException.Forbidden.class, () -> db.transaction()
                    .insert(COMMENTS, 50L, new Comment("cy", "fine"))
                    .insert(COMMENTS, 51L, new Comment("cy", " ")).commit());
            assertTrue(comments.get(50L).isEmpty());
        }
    }

    @Test
    void afterWriteSeesEveryCommittedRevisionIncludingDeletes() {
        Moderation moderation = new Moderation();
        Schema schema = Schema.builder("talk").collection(COMMENTS).hook(COMMENTS, moderation).build();
        try (CollectionDatabase db = Arbor.inMemory(schema)) {
            var comments = db.collection(COMMENTS);
            var first = comments.push(new Comment("ann", "one"));
            var edited = comments.update(first.withContents(new Comment("ann", "one, edited")));
            comments.delete(edited);
            assertEquals(List.of("0 1-", "0 2-", "0 deleted"), moderation.written);
        }
    }

    @Test
    void onDestroyRunsWhenTheDatabaseIsDeleted() {
        List<String> destroyed = new CopyOnWriteArrayList<>();
        DatabaseHook audit = new DatabaseHook() {
            @Override
            public void onDestroy(String database) {
                destroyed.add(database);
            }
        };
        Schema schema = Schema.builder("talk").collection(COMMENTS).hook(audit).build();
        try (SchemaStorage storage = SchemaStorage.of(Arbor.storage(dir, ArborOptions.DEFAULT, List.of(schema)), List.of(schema))) {
            storage.createDatabase("forum", schema).collection(COMMENTS).push(new Comment("ann", "hi"));
            storage.deleteDatabase("forum");
            assertEquals(List.of("forum"), destroyed);
            assertFalse(storage.storage().exists("forum"));
        }
    }

    @Test
    void aDatabaseHookCanRewriteAnyDocumentBeforeValidation() {
        DatabaseHook stamp = new DatabaseHook() {
            @Override
            public ObjectNode beforeWrite(String database, ObjectNode doc) {
                return doc.deepCopy().put("stamped_by", database);
            }
        };
        try (var storage = Arbor.storage(dir, ArborOptions.DEFAULT.hooks(List.of(stamp)))) {
            var db = storage.databaseOrCreate("plain");
            db.put(Json.parseObject("{\"_id\":\"a\"}"));
            assertEquals("plain", db.get("a").path("stamped_by").asText());
        }
    }
}
