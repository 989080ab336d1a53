package dev.arbor.examples;

import dev.arbor.Arbor;
import dev.arbor.api.key.Key;
import dev.arbor.api.key.Keys;
import dev.arbor.api.view.typed.Emitter;
import dev.arbor.api.view.typed.GroupedReduction;
import dev.arbor.api.view.typed.MappedValue;
import dev.arbor.api.view.typed.TypedQuery;
import dev.arbor.collection.Collection;
import dev.arbor.collection.CollectionDatabase;
import dev.arbor.collection.CollectionDocument;
import dev.arbor.collection.CollectionView;
import dev.arbor.collection.CollectionViewDocument;
import dev.arbor.collection.Schema;

import java.nio.file.Path;
import java.util.List;

/**
 * The BonsaiDb book's blog-post example in Java: a collection of blog posts with a view by category whose reduce
 * counts the posts, a few posts pushed, the posts of one category listed with their records, and the count of each
 * category.
 */
public final class BlogPosts implements Example {
    record BlogPost(String title, String body, String category) {}

    /** Key: the category; value: 1 per post; reduce: the sum, so a reduction is a count of posts. */
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
    static final Collection<BlogPost, Long> POSTS = Collection.builder("blog-post", BlogPost.class)
            .view(BY_CATEGORY).build();
    static final Schema BLOG = Schema.builder("blog").collection(POSTS).build();

    @Override
    public void run(Path dataDir) {
        try (CollectionDatabase db = Arbor.open(dataDir, BLOG)) {
            var posts = db.collection(POSTS);
            posts.push(new BlogPost("New version of BonsaiDb released", "...", "Rust"));
            posts.push(new BlogPost("New Rust version released", "...", "Rust"));
            posts.push(new BlogPost("Arbor runs BonsaiDb's book in Java", "...", "Java"));
            posts.push(new BlogPost("Where did the summer go?", "...", "Personal"));

            var byCategory = posts.view(BY_CATEGORY);
            List<CollectionViewDocument<String, Long, BlogPost, Long>> rust = byCategory.queryWithDocs(TypedQuery.key("Rust"));
            System.out.println("Posts in Rust:");
            for (var row : rust) {
                System.out.println("  #" + row.document().id() + ": " + row.contents().title());
            }
            System.out.println("Rust posts: " + byCategory.reduce(TypedQuery.key("Rust")));
            System.out.println("All posts: " + byCategory.reduce(TypedQuery.all()));
            System.out.println("Posts per category:");
            for (GroupedReduction<String, Long> category : byCategory.reduceGrouped(TypedQuery.all())) {
                System.out.println("  " + category.key() + ": " + category.value());
            }
        }
    }
}
