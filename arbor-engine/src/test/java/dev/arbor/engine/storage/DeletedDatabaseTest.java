package dev.arbor.engine.storage;

import dev.arbor.Arbor;
import dev.arbor.api.Database;
import dev.arbor.api.Storage;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A caller that still holds a database its storage has deleted (a request that raced the DELETE) is told the
 * database does not exist, from every layer it may reach, not that it "is closed": that was a 500 over HTTP.
 */
class DeletedDatabaseTest {

    @Test
    void everyUseOfADeletedDatabaseIsNotFound(@TempDir Path dir) {
        try (Storage storage = Arbor.storage(dir)) {
            Database held = storage.createDatabase("race");
            held.bulkDocs(List.of(Json.parseObject("{\"_id\":\"a\"}")));
            storage.deleteDatabase("race");

            List<Consumer<Database>> uses = List.of(
                    db -> db.bulkDocs(List.of(Json.parseObject("{\"_id\":\"b\"}"))),
                    db -> db.get("a"),
                    Database::info,
                    db -> db.allDocs(dev.arbor.api.AllDocsOptions.DEFAULT),
                    Database::getSecurity);
            for (Consumer<Database> use : uses) {
                ArborException.NotFound e = assertThrows(ArborException.NotFound.class, () -> use.accept(held));
                assertEquals("Database does not exist.", e.reason());
            }
        }
    }

    @Test
    void aDatabaseRecreatedUnderTheSameNameIsANewOne(@TempDir Path dir) {
        try (Storage storage = Arbor.storage(dir)) {
            Database old = storage.createDatabase("race");
            storage.deleteDatabase("race");
            Database fresh = storage.createDatabase("race");
            fresh.bulkDocs(List.of(Json.parseObject("{\"_id\":\"b\"}")));
            assertThrows(ArborException.NotFound.class, () -> old.get("b"));
            assertEquals(1, fresh.info().docCount());
        }
    }
}
