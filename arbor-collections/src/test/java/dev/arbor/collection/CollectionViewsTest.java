package dev.arbor.collection;

import dev.arbor.Arbor;
import dev.arbor.api.key.Key;
import dev.arbor.api.key.Keys;
import dev.arbor.api.view.typed.Emitter;
import dev.arbor.api.view.typed.GroupedReduction;
import dev.arbor.api.view.typed.MappedValue;
import dev.arbor.api.view.typed.TypedQuery;
import dev.arbor.api.view.typed.ViewUpdatePolicy;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** BonsaiDb's book chapter on views, over collections: the blog posts by category with counts, unique views, versions. */
class CollectionViewsTest {
    record BlogPost(String title, String body, String category) {}

    /** BonsaiDb's {@code BlogPostsByCategory}: key the category, value 1, reduce the sum. */
    record BlogPostsByCategory() implements CollectionView<BlogPost, String, Long> {
        @Override public String name() { return "by-category"; }
        @Override public Key<String> keyType() { return Keys.STRING; }
        @Override public Class<Long> valueType() { return Long.class; }

        @Override
        public void map(CollectionDocument<BlogPost, ?> post, Emitter<String, Long> emit) {
            emit.emit(post.contents().category(), 1L);
        }

        @Override
        public Long reduce(List<MappedValue<String, Long>> mappings, boolean rereduce) {
            return mappings.stream().mapToLong(MappedValue::value).sum();
        }
    }

    static final BlogPostsByCategory BY_CATEGORY = new BlogPostsByCategory();
    static final Collection<BlogPost, Long> POSTS = Collection.builder("blog-post", BlogPost.class).view(BY_CATEGORY).build();
    /** Drafts are blog posts too, but of another collection: the posts' view does not see them. */
    static final Collection<BlogPost, Long> DRAFTS = Collection.of("draft", BlogPost.class);
    static final Schema BLOG = Schema.builder("blog").collection(POSTS).collection(DRAFTS).build();

    @TempDir
    Path dir;

    /** The database in {@code dir} under {@code schema}; {@link CollectionViewsOverProtocolTest} reaches it through a server. */
    CollectionDatabase open(Schema schema) {
        return Arbor.open(dir, schema);
    }

    @Test
    void blogPostsByCategoryListsAPostsCategoryAndCountsPostsPerCategory() {
        try (CollectionDatabase db = open(BLOG)) {
            var posts = db.collection(POSTS);
            posts.push(new BlogPost("New version of BonsaiDb released", "...", "Rust"));
            posts.push(new BlogPost("New Rust version released", "...", "Rust"));
            posts.push(new BlogPost("Arbor is CouchDB on the JVM", "...", "Java"));
            posts.push(new BlogPost("Uncategorised thoughts", "...", "Other"));
            db.collection(DRAFTS).push(new BlogPost("Rust draft", "...", "Rust"));

            var byCategory = posts.view(BY_CATEGORY);
            List<CollectionViewDocument<String, Long, BlogPost, Long>> rust = byCategory.queryWithDocs(TypedQuery.key("Rust"));
            assertEquals(List.of("New version of BonsaiDb released", "New Rust version released"),
                    rust.stream().map(row -> row.contents().title()).toList());
            assertEquals(List.of(0L, 1L), rust.stream().map(row -> row.document().id()).toList());
            assertTrue(rust.getFirst().document().header().rev().startsWith("1-"));

            assertEquals(List.of(new CollectionViewRow<>("Java", 1L, 2L)), byCategory.query(TypedQuery.key("Java")));
            assertEquals(2L, byCategory.reduce(TypedQuery.key("Rust")));
            assertEquals(4L, byCategory.reduce(TypedQuery.all()));
            assertNull(byCategory.reduce(TypedQuery.key("Go")));
            assertEquals(List.of(new GroupedReduction<>("Java", 1L), new GroupedReduction<>("Other", 1L),
                    new GroupedReduction<>("Rust", 2L)), byCategory.reduceGrouped(TypedQuery.all()));
        }
    }

    @Test
    void theViewFollowsUpdatesAndDeleteDocsDeletesTheSelectedRecords() {
        try (CollectionDatabase db = open(BLOG)) {
            var posts = db.collection(POSTS);
            var first = posts.push(new BlogPost("a", "", "Rust"));
            posts.push(new BlogPost("b", "", "Rust"));
            posts.push(new BlogPost("c", "", "Java"));
            var byCategory = posts.view(BY_CATEGORY);
            assertEquals(2L, byCategory.reduce(TypedQuery.key("Rust")));

            posts.update(first.withContents(new BlogPost("a", "", "Java")));
            assertEquals(List.of(new GroupedReduction<>("Java", 2L), new GroupedReduction<>("Rust", 1L)),
                    byCategory.reduceGrouped(TypedQuery.all()));

            assertEquals(2, byCategory.deleteDocs(TypedQuery.key("Java")));
            assertEquals(List.of("b"), posts.list().stream().map(post -> post.contents().title()).toList());
            assertEquals(1L, byCategory.reduce(TypedQuery.all()));
        }
    }

    @Test
    void asyncQueriesAnswerAsTheBlockingOnes() throws Exception {
        try (CollectionDatabase db = open(BLOG)) {
            var posts = db.collection(POSTS);
            posts.push(new BlogPost("a", "", "Rust"));
            var byCategory = posts.async().view(BY_CATEGORY);
            assertEquals(1L, byCategory.reduce(TypedQuery.all()).get());
            assertEquals(List.of(new CollectionViewRow<>("Rust", 1L, 0L)), byCategory.query(TypedQuery.all()).get());
        }
    }

    @Test
    void aDocumentUnderTheCollectionsPrefixThatIsNotARecordEmitsNothing() {
        try (CollectionDatabase db = open(BLOG)) {
            db.collection(POSTS).push(new BlogPost("a", "", "Rust"));
            // Written as a plain document (over HTTP, say): its id is not a long key, its body not a BlogPost.
            db.database().put(Json.parseObject("{\"_id\":\"blog-post:hello\",\"category\":{\"not\":\"a string\"}}"));
            assertEquals(List.of(new GroupedReduction<>("Rust", 1L)),
                    db.collection(POSTS).view(BY_CATEGORY).reduceGrouped(TypedQuery.all()));
        }
    }

    @Test
    void aViewNotDeclaredOnTheCollectionIsRefused() {
        try (CollectionDatabase db = open(BLOG)) {
            var refused = assertThrows(ArborException.BadRequest.class, () -> db.collection(DRAFTS).view(BY_CATEGORY));
            assertEquals("view_not_in_collection", refused.error());
        }
    }

    // ---- unique views ---------------------------------------------------------------------------------------------

    record User(String username, String email) {}

    /** One account per email address (case-insensitive); the value is the username. */
    record UsersByEmail() implements CollectionView<User, String, String> {
        @Override public String name() { return "by-email"; }
        @Override public Key<String> keyType() { return Keys.STRING; }
        @Override public Class<String> valueType() { return String.class; }
        @Override public ViewUpdatePolicy updatePolicy() { return ViewUpdatePolicy.UNIQUE; }

        @Override
        public void map(CollectionDocument<User, ?> user, Emitter<String, String> emit) {
            emit.emit(user.contents().email().toLowerCase(Locale.ROOT), user.contents().username());
        }
    }

    static final Collection<User, String> USERS = Collection.builder("user", User.class).key(Keys.STRING)
            .naturalId(User::username).view(new UsersByEmail()).build();
    static final Collection<BlogPost, Long> USER_POSTS = Collection.of("post", BlogPost.class);
    static final Schema ACCOUNTS = Schema.builder("accounts").collection(USERS).collection(USER_POSTS).build();

    @Test
    void aUniqueViewRefusesASecondRecordWithTheSameKeyFromTheFirstWriteAfterOpen() {
        try (CollectionDatabase db = open(ACCOUNTS)) {
            var users = db.collection(USERS);
            // No view() call before writing: the schema registered the unique view when the database opened.
            users.push(new User("ada", "ada@example.org"));
            var refused = assertThrows(ArborException.Conflict.class,
                    () -> users.push(new User("mallory", "ADA@example.org")));
            assertTrue(refused.reason().contains("user.by-email"), refused.reason());
            assertTrue(refused.reason().contains("user:ada"), refused.reason());
            assertTrue(users.get("mallory").isEmpty());
            assertEquals(List.of(new CollectionViewRow<>("ada@example.org", "ada", "ada")),
                    users.view(new UsersByEmail()).query(TypedQuery.key("ada@example.org")));
        }
    }

    record Member(String email) {}

    record MembersByEmail() implements CollectionView<Member, String, Long> {
        @Override public String name() { return "by-email"; }
        @Override public Key<String> keyType() { return Keys.STRING; }
        @Override public Class<Long> valueType() { return Long.class; }
        @Override public ViewUpdatePolicy updatePolicy() { return ViewUpdatePolicy.UNIQUE; }

        @Override
        public void map(CollectionDocument<Member, ?> member, Emitter<String, Long> emit) {
            emit.emit(member.contents().email(), 1L);
        }
    }

    static final Collection<Member, Long> MEMBERS = Collection.builder("member", Member.class).view(new MembersByEmail()).build();

    @Test
    void aPushWithACounterKeyThatAUniqueViewRefusesFailsInsteadOfTryingTheNextKey() {
        try (CollectionDatabase db = open(Schema.builder("club").collection(MEMBERS).build())) {
            var members = db.collection(MEMBERS);
            members.push(new Member("ada@example.org"));
            assertThrows(ArborException.Conflict.class, () -> members.push(new Member("ada@example.org")));
            assertEquals(1, members.count());
            // The refused push used up one counter value (counters are never reused).
            assertEquals(2L, members.push(new Member("bob@example.org")).id());
        }
    }

    @Test
    void aUniqueViewRefusingOneOperationFailsTheWholeTransaction() {
        try (CollectionDatabase db = open(ACCOUNTS)) {
            var users = db.collection(USERS);
            users.push(new User("ada", "ada@example.org"));

            Transaction signups = db.transaction()
                    .push(USER_POSTS, new BlogPost("Hello from Bob", "", "intro"))
                    .push(USERS, new User("bob", "bob@example.org"))
                    .push(USERS, new User("mallory", "ada@example.org"));
            var refused = assertThrows(ArborException.Conflict.class, signups::commit);
            assertTrue(refused.reason().contains("user.by-email"), refused.reason());
            assertTrue(refused.reason().contains("operation 2"), refused.reason());

            assertTrue(users.get("bob").isEmpty());
            assertTrue(users.get("mallory").isEmpty());
            assertEquals(0, db.collection(USER_POSTS).count());
            assertEquals(List.of("ada@example.org"), users.view(new UsersByEmail()).query(TypedQuery.all()).stream()
                    .map(CollectionViewRow::key).toList());
        }
    }

    @Test
    void twoOperationsOfOneTransactionClaimingOneKeyFailTogether() {
        try (CollectionDatabase db = open(ACCOUNTS)) {
            Transaction twins = db.transaction()
                    .push(USERS, new User("castor", "twins@example.org"))
                    .push(USERS, new User("pollux", "twins@example.org"));
            assertThrows(ArborException.Conflict.class, twins::commit);
            assertEquals(0, db.collection(USERS).count());
            assertEquals(List.of(), db.collection(USERS).view(new UsersByEmail()).query(TypedQuery.all()));
        }
    }

    // ---- versions -----------------------------------------------------------------------------------------------

    /** The by-category view, version 1: categories are now case-insensitive. */
    record BlogPostsByLowerCaseCategory() implements CollectionView<BlogPost, String, Long> {
        @Override public String name() { return "by-category"; }
        @Override public long version() { return 1; }
        @Override public Key<String> keyType() { return Keys.STRING; }
        @Override public Class<Long> valueType() { return Long.class; }

        @Override
        public void map(CollectionDocument<BlogPost, ?> post, Emitter<String, Long> emit) {
            emit.emit(post.contents().category().toLowerCase(Locale.ROOT), 1L);
        }

        @Override
        public Long reduce(List<MappedValue<String, Long>> mappings, boolean rereduce) {
            return mappings.stream().mapToLong(MappedValue::value).sum();
        }
    }

    @Test
    void aViewWhoseVersionChangesIsReindexedFromTheStoredRecords() {
        try (CollectionDatabase db = open(BLOG)) {
            var posts = db.collection(POSTS);
            posts.push(new BlogPost("a", "", "Rust"));
            posts.push(new BlogPost("b", "", "rust"));
            assertEquals(List.of(new GroupedReduction<>("rust", 1L), new GroupedReduction<>("Rust", 1L)),
                    posts.view(BY_CATEGORY).reduceGrouped(TypedQuery.all()));
        }
        BlogPostsByLowerCaseCategory version1 = new BlogPostsByLowerCaseCategory();
        Collection<BlogPost, Long> posts1 = Collection.builder("blog-post", BlogPost.class).view(version1).build();
        Schema blog1 = Schema.builder("blog").collection(posts1).collection(DRAFTS).build();
        try (CollectionDatabase db = open(blog1)) {
            assertEquals(List.of(new GroupedReduction<>("rust", 2L)),
                    db.collection(posts1).view(version1).reduceGrouped(TypedQuery.all()));
        }
    }
}
