package dev.arbor.collection;

import dev.arbor.Arbor;
import dev.arbor.ArborOptions;
import dev.arbor.api.Database;
import dev.arbor.client.RemoteOptions;
import dev.arbor.client.RemoteStorage;
import dev.arbor.core.error.ArborException;
import dev.arbor.server.ArborServer;
import dev.arbor.server.ServerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same collection code against a real server on 127.0.0.1 through the remote client: documents, counters
 * (local documents there), and the server's hooks on writes that arrive over HTTP. Transactions are refused.
 */
class RemoteCollectionsTest {
    record Note(String text) {}

    /** At most one note per text: declared in the schema, so the server runs it on writes over HTTP too. */
    record NotesByText() implements CollectionView<Note, String, Long> {
        @Override public String name() { return "by-text"; }
        @Override public dev.arbor.api.key.Key<String> keyType() { return dev.arbor.api.key.Keys.STRING; }
        @Override public Class<Long> valueType() { return Long.class; }
        @Override public dev.arbor.api.view.typed.ViewUpdatePolicy updatePolicy() {
            return dev.arbor.api.view.typed.ViewUpdatePolicy.UNIQUE;
        }

        @Override
        public void map(CollectionDocument<Note, ?> note, dev.arbor.api.view.typed.Emitter<String, Long> emit) {
            emit.emit(note.contents().text(), 1L);
        }
    }

    static final Collection<Note, Long> NOTES = Collection.builder("note", Note.class).view(new NotesByText()).build();

    @TempDir
    Path dir;
    ArborServer server;
    final List<String> seenByServer = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        Schema serverSide = Schema.builder("notes").collection(NOTES).hook(NOTES, new CollectionHook<>() {
            @Override
            public void afterWrite(Long id, String rev, boolean deleted) {
                seenByServer.add("note " + id);
            }
        }).build();
        ServerConfig config = ServerConfig.defaults(dir).withPort(0).withAccessLog(false);
        server = ArborServer.builder(config, Arbor.storage(dir, ArborOptions.DEFAULT, List.of(serverSide))).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void collectionsRunOverHttpAndTheServersHooksSeeTheWrites() {
        Schema schema = Schema.builder("notes").collection(NOTES).build();
        try (RemoteStorage storage = new RemoteStorage(server.uri(), RemoteOptions.DEFAULT)) {
            Database remote = storage.databaseOrCreate("notes");
            CollectionDatabase db = schema.bind(remote);
            var notes = db.collection(NOTES);
            var first = notes.push(new Note("over http"));
            var second = notes.push(new Note("again"));
            assertEquals(List.of(0L, 1L), List.of(first.id(), second.id()));
            assertEquals("over http", notes.get(0L).orElseThrow().contents().text());
            notes.update(first.withContents(new Note("edited")));
            assertThrows(ArborException.Conflict.class, () -> notes.update(first.withContents(new Note("stale"))));
            assertEquals(2, notes.count());
            assertEquals(List.of("note 0", "note 1", "note 0"), seenByServer);

            var refused = assertThrows(ArborException.class,
                    () -> db.transaction().insert(NOTES, 9L, new Note("atomic")).commit());
            assertEquals("not_supported", refused.error());
            assertTrue(notes.get(9L).isEmpty());
        }
    }

    @Test
    void collectionViewsRefuseOnARemoteDatabaseWhileTheServersOwnCopyGuardsItsWrites() {
        Schema schema = Schema.builder("notes").collection(NOTES).build();
        try (RemoteStorage storage = new RemoteStorage(server.uri(), RemoteOptions.DEFAULT)) {
            CollectionDatabase db = schema.bind(storage.databaseOrCreate("notes"));
            var notes = db.collection(NOTES);
            notes.push(new Note("hello"));

            var refused = assertThrows(ArborException.BadRequest.class, () -> notes.view(new NotesByText()));
            assertEquals("not_supported", refused.error());
            assertTrue(refused.reason().contains("note.by-text"), refused.reason());
            assertTrue(refused.reason().contains("remote"), refused.reason());

            // The server opened the database with the schema's unique view registered: it refuses the duplicate.
            var duplicate = assertThrows(ArborException.Conflict.class, () -> notes.push(new Note("hello")));
            assertTrue(duplicate.reason().contains("note.by-text"), duplicate.reason());
            assertEquals(1, notes.count());
        }
    }
}
