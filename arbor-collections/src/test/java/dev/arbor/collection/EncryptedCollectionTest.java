package dev.arbor.collection;

import dev.arbor.Arbor;
import dev.arbor.ArborOptions;
import dev.arbor.options.EncryptionOptions;
import dev.arbor.options.VaultKeyStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A collection may declare its own encryption key (BonsaiDb's {@code Collection::encryption_key}): in an encrypted
 * storage its documents are sealed with it, made on first use, and rotate on their own.
 */
class EncryptedCollectionTest {
    record Salary(String employee, long amount) {}

    record Note(String text) {}

    static final Collection<Salary, Long> SALARIES = Collection.builder("salary", Salary.class)
            .encryptionKey("payroll").build();
    static final Collection<Note, Long> NOTES = Collection.of("note", Note.class);
    static final Schema HR = Schema.builder("hr").collection(SALARIES).collection(NOTES).build();

    @Test
    void aCollectionsKeyIsMadeOnFirstUseAndRotatesOnItsOwn(@TempDir Path dir, @TempDir Path keys) throws Exception {
        ArborOptions options = ArborOptions.DEFAULT.encryption(
                EncryptionOptions.with(VaultKeyStorage.keyFile(keys.resolve("master.key"))));
        assertEquals(java.util.Map.of("salary", "payroll"), HR.collectionEncryptionKeys());
        try (SchemaStorage storage = SchemaStorage.of(Arbor.storage(dir, options, List.of(HR)), List.of(HR))) {
            CollectionDatabase db = storage.createDatabase("company", HR);
            db.collection(SALARIES).push(new Salary("ada", 120_000));
            db.collection(NOTES).push(new Note("hello"));
            assertEquals(List.of("default", "payroll"), Arbor.encryptionKeys(storage.storage()));

            var report = Arbor.rotateEncryptionKey(storage.storage(), "payroll").get();
            // The database's key (1) was made when the database was, the collection's (2) at its first document.
            assertEquals(List.of(2), report.retired());
            assertEquals(3, report.sealing());
            assertEquals(120_000, db.collection(SALARIES).get(0L).orElseThrow().contents().amount());
            assertEquals("hello", db.collection(NOTES).get(0L).orElseThrow().contents().text());
        }
    }
}
