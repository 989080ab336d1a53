package dev.arbor.collection;

import dev.arbor.Arbor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The collections snippet of README.md's Java tour, kept honest: {@link #tour} is the README's code (on a temporary
 * directory instead of {@code Path.of("notes-data")}), and the test checks it prints what the README says.
 */
class ReadmeTourTest {
    // --- README.md, "Typed collections" (copy changes both ways) ---
    record Note(String title, String body) {}

    static final Collection<Note, Long> NOTES = Collection.of("note", Note.class);
    static final Schema NOTEBOOK = Schema.builder("notebook").collection(NOTES).build();

    static void tour(Path dir) {
        try (CollectionDatabase db = Arbor.open(dir, NOTEBOOK)) {
            CollectionHandle<Note, Long> notes = db.collection(NOTES);
            long first = notes.push(new Note("groceries", "apples, pears")).id();   // 0: the collection's counter
            notes.push(new Note("ideas", "a bench for pub/sub"));                   // 1
            System.out.println(notes.get(first).orElseThrow().contents().title());  // groceries
            notes.list().forEach(doc -> System.out.println(doc.id() + " " + doc.contents().title()));
        }
    }
    // --- end of the README's code ---

    @Test
    void theReadmeCollectionTourPushesGetsAndListsInKeyOrder(@TempDir Path dir) {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            tour(dir);
        } finally {
            System.setOut(original);
        }
        assertEquals(List.of("groceries", "0 groceries", "1 ideas"), printed.toString(StandardCharsets.UTF_8).lines().toList());
    }
}
