package dev.arbor.collection;

import dev.arbor.Arbor;
import dev.arbor.ArborOptions;
import dev.arbor.core.error.ArborException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** BonsaiDb's multi-database storage: several schemas registered, each database under one of them. */
class SchemaStorageTest {
    record Post(String title) {}

    record Product(String name) {}

    static final Collection<Post, Long> POSTS = Collection.of("post", Post.class);
    static final Collection<Product, Long> PRODUCTS = Collection.of("product", Product.class);
    static final Schema BLOG = Schema.builder("blog").collection(POSTS).build();
    static final Schema SHOP = Schema.builder("shop").collection(PRODUCTS).build();

    @TempDir
    Path dir;

    @Test
    void eachDatabaseKeepsTheSchemaItWasCreatedWith() {
        List<Schema> schemas = List.of(BLOG, SHOP);
        try (SchemaStorage storage = SchemaStorage.of(Arbor.storage(dir, ArborOptions.DEFAULT, schemas), schemas)) {
            storage.createDatabase("news", BLOG).collection(POSTS).push(new Post("launch"));
            storage.databaseOrCreate("store", SHOP).collection(PRODUCTS).push(new Product("bonsai"));

            assertEquals("launch", storage.database("news", BLOG).collection(POSTS).get(0L).orElseThrow().contents().title());
            var mismatch = assertThrows(ArborException.BadRequest.class, () -> storage.database("news", SHOP));
            assertEquals("schema_mismatch", mismatch.error());
            assertEquals(List.of("news", "store"), storage.storage().listDatabases());
        }
    }

    @Test
    void aSchemaThatWasNotRegisteredIsRefused() {
        Schema other = Schema.builder("other").build();
        try (SchemaStorage storage = SchemaStorage.of(Arbor.storage(dir, ArborOptions.DEFAULT, List.of(BLOG)), List.of(BLOG))) {
            var refused = assertThrows(ArborException.BadRequest.class, () -> storage.databaseOrCreate("x", other));
            assertEquals("schema_not_registered", refused.error());
        }
    }
}
