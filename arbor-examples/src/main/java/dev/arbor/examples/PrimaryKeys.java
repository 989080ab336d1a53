package dev.arbor.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.arbor.Arbor;
import dev.arbor.api.key.Key;
import dev.arbor.api.key.Keys;
import dev.arbor.collection.Collection;
import dev.arbor.collection.CollectionDatabase;
import dev.arbor.collection.CollectionDocument;
import dev.arbor.collection.KeyRange;
import dev.arbor.collection.Schema;

import java.nio.file.Path;
import java.util.List;

/**
 * BonsaiDb's primary-key chapter in Java: the default {@code long} keys a counter assigns (never reused), and a
 * custom key type made through the same {@link Key} interface as view keys, here a composite
 * {@code (shelf, position)} key that lists in shelf-then-position order.
 */
public final class PrimaryKeys implements Example {
    record Note(String text) {}

    /** A custom primary key: where a book stands. */
    record ShelfSlot(String shelf, int position) {}

    record Book(String title) {}

    /** {@code shelf/position} with the position zero-padded, so ids sort as the slots do. */
    static final Key<ShelfSlot> SHELF_SLOT = new Key<>() {
        @Override public JsonNode toJson(ShelfSlot slot) { return TextNode.valueOf(toId(slot)); }
        @Override public ShelfSlot fromJson(JsonNode json) { return fromId(json.asText()); }
        @Override public String toId(ShelfSlot slot) { return slot.shelf() + "/" + String.format("%04d", slot.position()); }

        @Override public ShelfSlot fromId(String id) {
            int slash = id.lastIndexOf('/');
            return new ShelfSlot(id.substring(0, slash), Integer.parseInt(id.substring(slash + 1)));
        }
    };

    static final Collection<Note, Long> NOTES = Collection.of("note", Note.class);
    static final Collection<Book, ShelfSlot> BOOKS = Collection.builder("book", Book.class).key(SHELF_SLOT).build();
    static final Schema LIBRARY = Schema.builder("library").collection(NOTES).collection(BOOKS).build();

    @Override
    public void run(Path dataDir) {
        try (CollectionDatabase db = Arbor.open(dataDir, LIBRARY)) {
            var notes = db.collection(NOTES);
            CollectionDocument<Note, Long> first = notes.push(new Note("first"));
            CollectionDocument<Note, Long> second = notes.push(new Note("second"));
            System.out.println("pushed notes with ids " + first.id() + " and " + second.id());
            notes.delete(second);
            System.out.println("deleted note " + second.id() + "; the next push gets id " + notes.push(new Note("third")).id()
                    + " (ids are never reused)");
            System.out.println("note 0 is stored as document \"note:" + Keys.LONG.toId(0L) + "\"");

            var books = db.collection(BOOKS);
            books.insert(new ShelfSlot("B", 2), new Book("Dune"));
            books.insert(new ShelfSlot("A", 10), new Book("Emma"));
            books.insert(new ShelfSlot("A", 9), new Book("Ulysses"));
            System.out.println("books in key order:");
            for (CollectionDocument<Book, ShelfSlot> book : books.list()) {
                System.out.println("  " + book.id() + " -> " + book.contents().title()
                        + "   (document id " + db.database().get(docId(book.id())).path("_id").asText() + ")");
            }
            List<String> shelfA = books.list(KeyRange.from(new ShelfSlot("A", 0), new ShelfSlot("B", 0)), -1, false)
                    .stream().map(b -> b.contents().title()).toList();
            System.out.println("shelf A: " + shelfA);
            System.out.println("book at B/2: " + books.get(new ShelfSlot("B", 2)).orElseThrow().contents().title());
        }
    }

    private static String docId(ShelfSlot slot) {
        return "book:" + SHELF_SLOT.toId(slot);
    }
}
