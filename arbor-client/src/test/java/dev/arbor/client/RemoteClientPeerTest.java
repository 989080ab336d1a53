package dev.arbor.client;

import dev.arbor.Arbor;
import dev.arbor.api.CommitEvent;
import dev.arbor.api.Database;
import dev.arbor.api.Storage;
import dev.arbor.api.Subscription;
import dev.arbor.client.peer.PouchDbServer;
import dev.arbor.core.error.ArborException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.arbor.api.contract.Fixtures.doc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the contract suite does not cover, against a real pouchdb-server that has an admin (so the
 * "admin party" is over): logging in by Basic and cookie auth, {@code Arbor.open} of a URL through the
 * provider, and commit events for writes made by someone else.
 */
class RemoteClientPeerTest {
    private static PouchDbServer server;
    private static URI anonymous;
    private static URI asAnn;

    @BeforeAll
    static void startServerWithAnAdmin() throws Exception {
        Path dir = Path.of("target", "pouchdb-server-peer");
        deleteRecursively(dir); // pouchdb-server keeps its admins in config.json in its working directory
        server = PouchDbServer.start(dir);
        anonymous = server.url();
        asAnn = URI.create("http://ann:s%3Acret@" + anonymous.getAuthority() + "/");
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> made = client.send(HttpRequest.newBuilder(anonymous.resolve("_config/admins/ann"))
                    .PUT(HttpRequest.BodyPublishers.ofString("\"s:cret\"")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, made.statusCode(), made.body());
        }
    }

    @AfterAll
    static void stopServer() {
        if (server != null) server.close();
    }

    @Test
    void basicAuthFromTheUrlsUserInfoLogsInWithAPercentEncodedPassword() {
        try (Storage storage = new RemoteStorage(asAnn, RemoteOptions.DEFAULT)) {
            Database db = storage.databaseOrCreate("basic");
            db.put(doc("{'_id':'a','n':1}"));
            assertEquals(1, db.get("a").get("n").asInt());
        }
    }

    @Test
    void aWrongPasswordIsUnauthorizedWithTheServersReason() {
        try (Storage storage = new RemoteStorage(anonymous, RemoteOptions.DEFAULT.credentials("ann", "wrong"))) {
            var thrown = assertThrows(ArborException.Unauthorized.class, storage::listDatabases);
            assertEquals("Name or password is incorrect.", thrown.reason());
        }
    }

    @Test
    void cookieAuthLogsInThroughSessionAndKeepsWorking() {
        RemoteOptions cookie = RemoteOptions.DEFAULT.credentials("ann", "s:cret").auth(RemoteOptions.Auth.COOKIE);
        try (Storage storage = new RemoteStorage(anonymous, cookie)) {
            Database db = storage.databaseOrCreate("cookie");
            for (int i = 0; i < 5; i++) db.put(doc("{'_id':'d" + i + "'}"));
            assertEquals(5, db.info().docCount());
        }
    }

    @Test
    void cookieAuthWithAWrongPasswordFailsAtLogin() {
        RemoteOptions cookie = RemoteOptions.DEFAULT.credentials("ann", "wrong").auth(RemoteOptions.Auth.COOKIE);
        try (Storage storage = new RemoteStorage(anonymous, cookie)) {
            assertThrows(ArborException.Unauthorized.class, storage::listDatabases);
        }
    }

    @Test
    void arborOpenOfAUrlCreatesTheDatabaseAndArborStorageListsIt() {
        String url = asAnn.resolve("notes").toString();
        try (Database notes = Arbor.open(url)) {
            assertInstanceOf(RemoteDatabase.class, notes);
            assertEquals(anonymous.resolve("notes/").toString(), notes.name(), "its URL, without the credentials");
            assertEquals("notes", notes.info().dbName());
            notes.put(doc("{'_id':'hello','text':'world'}"));
        }
        try (Storage storage = Arbor.storage(asAnn.toString())) {
            assertTrue(storage.listDatabases().contains("notes"));
            assertEquals("world", storage.database("notes").get("hello").get("text").asText());
        }
        try (Database again = Arbor.open(url)) {
            assertEquals(1, again.info().docCount(), "opening an existing database keeps its data");
        }
    }

    @Test
    void aDatabaseNameWithASlashTravelsEscapedInTheUrl() {
        try (Database db = Arbor.open(asAnn.resolve("team%2Fnotes").toString())) {
            assertEquals(anonymous + "team%2Fnotes/", db.name());
            db.put(doc("{'_id':'a/b'}"));
            assertEquals("a/b", db.get("a/b").get("_id").asText());
        }
    }

    @Test
    @Timeout(180) // only ends a hung test
    void commitListenersHearWritesMadeByAnotherClient() throws InterruptedException {
        try (Storage mine = new RemoteStorage(asAnn, RemoteOptions.DEFAULT);
             Storage theirs = new RemoteStorage(asAnn, RemoteOptions.DEFAULT)) {
            Database watched = mine.databaseOrCreate("watched");
            BlockingQueue<CommitEvent> events = new LinkedBlockingQueue<>();
            try (Subscription ignored = watched.onCommit(events::add)) {
                theirs.database("watched").put(doc("{'_id':'from-elsewhere'}"));
                CommitEvent event = events.poll(120, TimeUnit.SECONDS);
                assertNotNull(event, "the longpoll feed reported the other client's write");
                assertEquals("watched", event.dbName());
                assertEquals(watched.info().updateSeq().number(), event.updateSeq().number());
            }
        }
    }

    @Test
    void aServerThatCannotBeReachedIsAnInternalFailureNamingTheUrl() throws IOException {
        int closedPort;
        try (var socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (Storage storage = new RemoteStorage(URI.create("http://127.0.0.1:" + closedPort), RemoteOptions.DEFAULT)) {
            var thrown = assertThrows(ArborException.Internal.class, storage::listDatabases);
            assertTrue(thrown.reason().contains("127.0.0.1:" + closedPort), thrown.reason());
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) Files.delete(path);
        }
    }
}
