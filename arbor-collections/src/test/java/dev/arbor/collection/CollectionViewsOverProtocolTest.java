package dev.arbor.collection;

import dev.arbor.api.view.typed.TypedQuery;
import dev.arbor.api.view.typed.ViewUpdatePolicy;
import dev.arbor.core.error.ArborException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Every collection-view behaviour, with the database on a real server reached over the Arbor protocol: the views'
 * Java code runs on the server, whose storage was opened with the same schema, and the client names them and reads
 * typed rows, reductions and documents.
 */
class CollectionViewsOverProtocolTest extends CollectionViewsTest {
    @Override
    CollectionDatabase open(Schema schema) {
        return OverProtocol.open(dir, schema);
    }

    @Test
    void theIndexesStateComesFromTheServer() {
        try (CollectionDatabase db = open(BLOG)) {
            var posts = db.collection(POSTS);
            posts.push(new BlogPost("a", "", "Rust"));
            posts.push(new BlogPost("b", "", "Java"));
            var view = posts.view(BY_CATEGORY);
            assertEquals(2L, view.reduce(TypedQuery.all()));
            var info = db.database().typedViews().orElseThrow().view(POSTS.typedView(BY_CATEGORY)).info();
            assertEquals(2, info.totalRows());
            assertEquals(ViewUpdatePolicy.LAZY, info.updatePolicy());
        }
    }

    @Test
    void aClientWhoseViewIsAnotherVersionThanTheServersIsRefused() {
        try (CollectionDatabase db = open(BLOG)) {
            BlogPostsByLowerCaseCategory version1 = new BlogPostsByLowerCaseCategory();
            Collection<BlogPost, Long> posts1 = Collection.builder("blog-post", BlogPost.class).view(version1).build();
            var refused = assertThrows(ArborException.BadRequest.class,
                    () -> new CollectionDatabase(db.database(), Schema.builder("blog").collection(posts1).build())
                            .collection(posts1).view(version1));
            assertEquals("view_version_mismatch", refused.error());
        }
    }
}
