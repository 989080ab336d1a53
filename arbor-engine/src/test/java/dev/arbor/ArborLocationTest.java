package dev.arbor;

import dev.arbor.api.Database;
import dev.arbor.api.Storage;
import dev.arbor.api.spi.DatabaseProvider;
import dev.arbor.core.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Arbor#open(String)} and {@link Arbor#storage(String)} with only the engine on the class path, as an
 * application that forgot arbor-client has it: a URL fails naming the missing artifact, and creates nothing.
 */
class ArborLocationTest {
    @TempDir
    Path dir;

    @Test
    void theEnginesTestClassPathHasNoProviderSoTheseTestsSeeWhatSuchAnApplicationSees() {
        assertFalse(ServiceLoader.load(DatabaseProvider.class).iterator().hasNext());
    }

    @Test
    void anHttpUrlWithoutTheClientFailsNamingArborClientWithoutThePasswordAndCreatesNothing() throws IOException {
        assertRefusedCreatingNothing(location -> Arbor.open(location).close(), "http://admin:secret@127.0.0.1:5984/db");
        assertRefusedCreatingNothing(location -> Arbor.storage(location).close(), "HTTPS://admin:secret@example.org/");
        var e = assertThrows(IllegalArgumentException.class, () -> Arbor.open("http://admin:secret@127.0.0.1:5984/db"));
        assertTrue(e.getMessage().contains("dev.arbor:arbor-client"), e.getMessage());
        assertTrue(e.getMessage().contains("http://"), e.getMessage());
        assertFalse(e.getMessage().contains("secret"), e.getMessage());
    }

    @Test
    void aWsUrlWithoutTheClientFailsNamingArborClientWithoutThePasswordAndCreatesNothing() throws IOException {
        assertRefusedCreatingNothing(location -> Arbor.storage(location).close(), "ws://admin:secret@127.0.0.1:5984");
        var e = assertThrows(IllegalArgumentException.class, () -> Arbor.open("ws://admin:secret@127.0.0.1:5984/db"));
        assertTrue(e.getMessage().startsWith("opening a ws:// URL needs the remote client: add the dependency dev.arbor:arbor-client"),
                e.getMessage());
        assertFalse(e.getMessage().contains("secret"), e.getMessage());
    }

    @Test
    void anyOtherSchemeFailsTooNamingItAndTheClient() throws IOException {
        assertRefusedCreatingNothing(location -> Arbor.open(location).close(), "ftp://files.example.org/db");
        var e = assertThrows(IllegalArgumentException.class, () -> Arbor.storage("couchdb+ssl://host/db"));
        assertTrue(e.getMessage().contains("couchdb+ssl://"), e.getMessage());
        assertTrue(e.getMessage().contains("arbor-client"), e.getMessage());
    }

    @Test
    void aLocationWithoutASchemeIsStillADirectory() {
        String location = dir.resolve("data").toString();
        try (Database db = Arbor.open(location)) {
            db.put(Json.parseObject("{\"_id\":\"a\"}"));
        }
        try (Storage storage = Arbor.storage(location)) {
            assertEquals(List.of(Arbor.DEFAULT_DATABASE), storage.listDatabases());
        }
    }

    /** Refused, and the working directory, where a relative path would have gone, is as it was. */
    private void assertRefusedCreatingNothing(Consumer<String> open, String location) throws IOException {
        Path workingDir = Path.of("").toAbsolutePath();
        List<Path> before = list(workingDir);
        assertThrows(IllegalArgumentException.class, () -> open.accept(location));
        assertEquals(before, list(workingDir));
        assertFalse(Files.exists(workingDir.resolve(location.substring(0, location.indexOf(':') + 1))));
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }
}
