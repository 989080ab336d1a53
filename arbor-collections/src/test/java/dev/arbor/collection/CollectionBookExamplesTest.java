package dev.arbor.collection;

import dev.arbor.Arbor;
import dev.arbor.api.key.Key;
import dev.arbor.api.key.Keys;
import dev.arbor.core.error.ArborException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** BonsaiDb's book chapters on collections, primary keys and natural ids, in Java, on a RocksDB database. */
class CollectionBookExamplesTest {
    record BlogPost(String title, String body, String category) {}

    record User(String username, String displayName) {}

    /** A custom primary key: an order number rendered as {@code ORD-000042}, ordered by its number. */
    record OrderNumber(long value) {}

    record Order(String customer, long cents) {}

    static final Key<OrderNumber> ORDER_NUMBER = new Key<>() {
        @Override public com.fasterxml.jackson.databind.JsonNode toJson(OrderNumber key) { return Keys.LONG.toJson(key.value()); }
        @Override public OrderNumber fromJson(com.fasterxml.jackson.databind.JsonNode json) { return new OrderNumber(Keys.LONG.fromJson(json)); }
        @Override public String toId(OrderNumber key) { return "ORD-" + String.format("%06d", key.value()); }
        @Override public OrderNumber fromId(String id) { return new OrderNumber(Long.parseLong(id.substring(4))); }
    };

    static final Collection<BlogPost, Long> POSTS = Collection.of("blog-post", BlogPost.class);
    static final Collection<User, String> USERS = Collection.builder("user", User.class).authority("khonsulabs")
            .key(Keys.STRING).naturalId(User::username).build();
    static final Collection<Order, OrderNumber> ORDERS = Collection.builder("order", Order.class)
            .key(ORDER_NUMBER).sequence(OrderNumber::new).build();
    static final Collection<BlogPost, UUID> DRAFTS = Collection.builder("draft", BlogPost.class).key(Keys.UUID_KEY).build();
    static final Schema BLOG = Schema.builder("blog").collection(POSTS).collection(USERS).collection(ORDERS)
            .collection(DRAFTS).build();

    @TempDir
    Path dir;

    /** The database in {@code dir} under {@code schema}; {@link CollectionBookExamplesOverProtocolTest} reaches it through a server. */
    CollectionDatabase open(Schema schema) {
        return Arbor.open(dir, schema);
    }

    /** A throw-away database under {@code schema}. */
    CollectionDatabase fresh(Schema schema) {
        return Arbor.inMemory(schema);
    }

    @Test
    void pushAssignsIdsFromZeroAndGetReadsTheRecordBack() {
        try (CollectionDatabase db = open(BLOG)) {
            var posts = db.collection(POSTS);
            CollectionDocument<BlogPost, Long> first = posts.push(new BlogPost("Hello", "first post", "rust"));
            CollectionDocument<BlogPost, Long> second = posts.push(new BlogPost("Again", "second post", "java"));
            assertEquals(0L, first.id());
            assertEquals(1L, second.id());
            CollectionDocument<BlogPost, Long> read = posts.get(0L).orElseThrow();
            assertEquals(first.header(), read.header());
            assertEquals("Hello", read.contents().title());
            assertTrue(posts.get(7L).isEmpty());
            // Stored as a plain document that _all_docs, the changes feed and replication see.
            assertEquals("first post", db.database().get("blog-post:" + Keys.LONG.toId(0L)).path("body").asText());
        }
    }

    @Test
    void idsAreNeverReusedAfterDeletesOrAcrossReopens() {
        try (CollectionDatabase db = open(BLOG)) {
            var posts = db.collection(POSTS);
            posts.push(new BlogPost("a", "", "x"));
            var last = posts.push(new BlogPost("b", "", "x"));
            posts.delete(last);
        }
        try (CollectionDatabase db = open(BLOG)) {
            assertEquals(2L, db.collection(POSTS).push(new BlogPost("c", "", "x")).id());
        }
    }

    @Test
    void pushSkipsACounterValueAnInsertAlreadyTook() {
        try (CollectionDatabase db = fresh(BLOG)) {
            var posts = db.collection(POSTS);
            posts.insert(0L, new BlogPost("explicit", "", "x"));
            assertEquals(1L, posts.push(new BlogPost("pushed", "", "x")).id());
            assertThrows(ArborException.Conflict.class, () -> posts.insert(1L, new BlogPost("taken", "", "x")));
        }
    }

    @Test
    void updateChecksTheRevisionAndAStaleHeaderIsAConflict() {
        try (CollectionDatabase db = fresh(BLOG)) {
            var posts = db.collection(POSTS);
            var original = posts.push(new BlogPost("Draft", "", "x"));
            var edited = posts.update(original.withContents(new BlogPost("Final", "", "x")));
            assertNotEquals(original.header().rev(), edited.header().rev());
            assertThrows(ArborException.Conflict.class,
                    () -> posts.update(original.withContents(new BlogPost("Lost update", "", "x"))));
            assertThrows(ArborException.Conflict.class, () -> posts.delete(original));
            assertEquals("Final", posts.get(original.id()).orElseThrow().contents().title());
            posts.delete(edited);
            assertTrue(posts.get(original.id()).isEmpty());
        }
    }

    @Test
    void overwriteReplacesWithoutARevisionAndCreatesWhenMissing() {
        try (CollectionDatabase db = fresh(BLOG)) {
            var posts = db.collection(POSTS);
            posts.overwrite(5L, new BlogPost("created", "", "x"));
            var replaced = posts.overwrite(5L, new BlogPost("replaced", "", "x"));
            assertTrue(replaced.header().rev().startsWith("2-"));
            assertEquals("replaced", posts.get(5L).orElseThrow().contents().title());
        }
    }

    @Test
    void listsInKeyOrderWithRangesLimitsAndDescendingAndCounts() {
        try (CollectionDatabase db = fresh(BLOG)) {
            var posts = db.collection(POSTS);
            // Ten and more sort after nine: long ids list numerically, not as text.
            for (int i = 0; i < 12; i++) {
                posts.push(new BlogPost("post " + i, "", "x"));
            }
            db.collection(USERS).push(new User("ecton", "Jon")); // another collection is never listed
            assertEquals(12, posts.count());
            assertEquals(List.of(0L, 1L, 2L), ids(posts.list(KeyRange.all(), 3, false)));
            assertEquals(List.of(11L, 10L, 9L), ids(posts.list(KeyRange.all(), 3, true)));
            assertEquals(List.of(8L, 9L, 10L), ids(posts.list(KeyRange.between(8L, 10L), -1, false)));
            assertEquals(List.of(9L, 8L), ids(posts.list(KeyRange.from(8L, 10L), -1, true)));
            assertEquals(3, posts.count(KeyRange.from(2L, 5L)));
            assertEquals(List.of(3L, 7L), ids(posts.getMultiple(List.of(3L, 99L, 7L))));
        }
    }

    @Test
    void naturalIdsComeFromTheRecordAndAnAuthorityNamespacesTheCollection() {
        try (CollectionDatabase db = fresh(BLOG)) {
            var users = db.collection(USERS);
            var ecton = users.push(new User("ecton", "Jonathan"));
            assertEquals("ecton", ecton.id());
            assertEquals("Jonathan", db.database().get("khonsulabs.user:ecton").path("displayName").asText());
            assertThrows(ArborException.Conflict.class, () -> users.push(new User("ecton", "Impostor")));
        }
    }

    @Test
    void aCustomPrimaryKeyTypeNamesAndOrdersDocuments() {
        try (CollectionDatabase db = fresh(BLOG)) {
            var orders = db.collection(ORDERS);
            orders.push(new Order("alice", 1250));
            var second = orders.push(new Order("bob", 990));
            assertEquals(new OrderNumber(1), second.id());
            assertEquals(990, db.database().get("order:ORD-000001").path("cents").asLong());
            assertEquals(List.of(new OrderNumber(1), new OrderNumber(0)),
                    orders.list(KeyRange.all(), -1, true).stream().map(CollectionDocument::id).toList());
        }
    }

    @Test
    void uuidKeysAreGeneratedAndAKeylessCustomTypeRefusesPush() {
        record Note(String text) {}
        var notes = Collection.builder("note", Note.class).key(Keys.STRING).build();
        Schema schema = Schema.builder("notes").collection(notes).collection(DRAFTS).build();
        try (CollectionDatabase db = fresh(schema)) {
            var draft = db.collection(DRAFTS).push(new BlogPost("t", "b", "c"));
            assertEquals(draft.contents(), db.collection(DRAFTS).get(draft.id()).orElseThrow().contents());
            var refused = assertThrows(ArborException.BadRequest.class, () -> db.collection(notes).push(new Note("n")));
            assertTrue(refused.reason().contains("insert with a key"), refused.reason());
        }
    }

    @Test
    void aCollectionOutsideTheSchemaIsRefused() {
        var stray = Collection.of("stray", BlogPost.class);
        try (CollectionDatabase db = fresh(BLOG)) {
            var e = assertThrows(ArborException.BadRequest.class, () -> db.collection(stray));
            assertEquals("collection_not_in_schema", e.error());
        }
    }

    @Test
    void theAsyncMirrorHasTheSameOperations() throws Exception {
        try (CollectionDatabase db = fresh(BLOG)) {
            var posts = db.collection(POSTS).async();
            var pushed = posts.push(new BlogPost("async", "", "x")).get();
            assertEquals("async", posts.get(pushed.id()).get().orElseThrow().contents().title());
            var updated = posts.update(pushed.withContents(new BlogPost("async 2", "", "x"))).get();
            var stale = posts.update(pushed);
            var failure = assertThrows(java.util.concurrent.ExecutionException.class, stale::get);
            assertTrue(failure.getCause() instanceof ArborException.Conflict);
            posts.delete(updated).get();
            assertEquals(0L, posts.count().get());
        }
    }

    private static <T> List<Long> ids(List<CollectionDocument<T, Long>> docs) {
        return docs.stream().map(CollectionDocument::id).toList();
    }
}
