package dev.arbor;

import dev.arbor.api.ChangesOptions;
import dev.arbor.api.Database;
import dev.arbor.api.Storage;
import dev.arbor.api.view.ViewQuery;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ArborOptions#designFunctionMemoryBudget()} reaches every design function of every database of the storage:
 * map functions, validate_doc_update and filters that allocate a few MB run within the default budget (64 MiB) and
 * fail with {@code os_process_error} within a budget of 1 MiB.
 */
class DesignFunctionMemoryBudgetTest {
    private static final String ALLOCATING = "var a = []; for (var i = 0; i < 100000; i++) a.push({i: i});";

    @TempDir
    Path dir;

    @Test
    void aSmallBudgetFailsTheDesignFunctionsThatTheDefaultBudgetLetsThrough() {
        withDatabase(ArborOptions.DEFAULT, db -> {
            db.put(Json.parseObject("{\"_id\":\"a\",\"kind\":\"allocating\"}"));
            assertEquals(1, db.query("d", "v", ViewQuery.builder().build()).rows().size());
            assertEquals(1, db.changes(ChangesOptions.DEFAULT.filter("d/f")).results().size());
        });

        withDatabase(ArborOptions.DEFAULT.designFunctionMemoryBudget(1 << 20), db -> {
            assertOsProcessError(assertThrows(ArborException.Internal.class,
                    () -> db.put(Json.parseObject("{\"_id\":\"a\",\"kind\":\"allocating\"}"))));
            db.put(Json.parseObject("{\"_id\":\"b\"}"));
            db.put(Json.parseObject("{\"_id\":\"_design/e\",\"views\":{\"v\":{\"map\":\"function (doc) { " + ALLOCATING
                    + " emit(doc._id, null); }\"}}}"));
            assertOsProcessError(assertThrows(ArborException.Internal.class,
                    () -> db.query("e", "v", ViewQuery.builder().build())));
            assertOsProcessError(assertThrows(ArborException.Internal.class,
                    () -> db.changes(ChangesOptions.DEFAULT.filter("d/f"))));
        });
    }

    /** A fresh database with design document {@code d}: a map, validate_doc_update and filter that allocate when asked. */
    private void withDatabase(ArborOptions options, Consumer<Database> test) {
        String when = "if (doc.kind === 'allocating') { " + ALLOCATING + " }";
        try (Storage storage = Arbor.storage(dir.resolve(Long.toString(options.designFunctionMemoryBudget())), options)) {
            Database db = storage.databaseOrCreate("db");
            db.put(Json.parseObject("{\"_id\":\"_design/d\","
                    + "\"views\":{\"v\":{\"map\":\"function (doc) { " + when + " emit(doc._id, null); }\"}},"
                    + "\"validate_doc_update\":\"function (doc) { " + when + " }\","
                    + "\"filters\":{\"f\":\"function (doc) { " + ALLOCATING + " return doc.kind === 'allocating'; }\"}}"));
            test.accept(db);
        }
    }

    private static void assertOsProcessError(ArborException.Internal failure) {
        assertTrue(failure.getMessage().startsWith("os_process_error"), failure.getMessage());
        assertTrue(failure.getMessage().contains("memory budget"), failure.getMessage());
    }
}
