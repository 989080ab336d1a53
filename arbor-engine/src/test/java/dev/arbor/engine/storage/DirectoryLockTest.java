package dev.arbor.engine.storage;

import dev.arbor.Arbor;
import dev.arbor.api.Storage;
import dev.arbor.core.error.ArborException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DirectoryLockTest {

    @Test
    void aSecondStorageOnTheSameDirectoryIsRefusedWithAClearErrorUntilTheFirstCloses(@TempDir Path dir) {
        Storage first = Arbor.storage(dir);
        first.createDatabase("db");

        ArborException refused = assertThrows(ArborException.class, () -> Arbor.storage(dir));
        assertEquals("storage_in_use", refused.error());
        assertTrue(refused.reason().contains(dir.toAbsolutePath().toString()), refused.reason());
        assertTrue(refused.reason().contains("arbor serve"), refused.reason());

        first.close();
        try (Storage second = Arbor.storage(dir)) {
            assertEquals(java.util.List.of("db"), second.listDatabases());
        }
    }

    @Test
    void aDatabaseOpenedAloneHoldsTheDirectoryToo(@TempDir Path dir) {
        try (var db = Arbor.open(dir)) {
            assertThrows(ArborException.PreconditionFailed.class, () -> Arbor.open(dir));
            assertEquals(0, db.info().docCount());
        }
        try (var again = Arbor.open(dir)) {
            assertEquals(0, again.info().docCount());
        }
    }
}
