package dev.arbor.server.auth;

import dev.arbor.Arbor;
import dev.arbor.ArborOptions;
import dev.arbor.api.Database;
import dev.arbor.api.Storage;
import dev.arbor.api.permission.Permissions;
import dev.arbor.api.permission.PermittedStorage;
import dev.arbor.api.permission.Statement;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import dev.arbor.options.EncryptionOptions;
import dev.arbor.options.VaultKeyStorage;
import dev.arbor.server.ArborServer;
import dev.arbor.server.ServerConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * On an encrypted database, a user whom statements give documents also needs the database key's
 * {@code encryption.decrypt} to read them and {@code encryption.encrypt} to write them, over HTTP and in Java;
 * CouchDB's members keep CouchDB's answers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EncryptionKeyAccessTest {
    private static final String PASSWORD = "pw";
    private static final Map<String, String> GRANTS = Map.of(
            "reader", "[{\"resources\": [[\"arbor\", \"database\", \"vault\"]], \"actions\": [\"database.read_document\"]}]",
            "decrypter", "[{\"resources\": [[\"arbor\", \"database\", \"vault\"]], \"actions\": [\"database.read_document\"]},"
                    + " {\"resources\": [[\"arbor\", \"key\", \"default\"]], \"actions\": [\"encryption.decrypt\"]}]",
            "writer", "[{\"resources\": [[\"arbor\", \"database\", \"vault\"]], \"actions\": [\"database.write_document\"]},"
                    + " {\"resources\": [[\"arbor\", \"key\", \"default\"]], \"actions\": [\"encryption.encrypt\"]}]");

    @TempDir
    static Path dir;
    @TempDir
    static Path keys;
    private Storage storage;
    private ArborServer server;
    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeAll
    void start() throws Exception {
        Files.writeString(dir.resolve("arbor.ini"), "[chttpd_auth]\niterations = 1000\n");
        storage = Arbor.storage(dir, ArborOptions.DEFAULT.encryption(
                EncryptionOptions.with(VaultKeyStorage.keyFile(keys.resolve("master.key")))));
        ServerAuth auth = ServerAuth.open(dir, storage, "root:rootpw");
        server = ArborServer.builder(ServerConfig.defaults(dir).withPort(0).withAccessLog(false), auth.guard(storage))
                .accessControl(auth).start();
        String admin = basic("root", "rootpw");
        assertEquals(201, send("PUT", "/_permissions", null, admin).statusCode());
        assertEquals(201, send("PUT", "/vault", null, admin).statusCode());
        assertEquals(200, send("PUT", "/vault/_security",
                "{\"members\":{\"names\":[\"member\"],\"roles\":[]},\"admins\":{\"names\":[],\"roles\":[]}}", admin).statusCode());
        assertEquals(201, send("PUT", "/vault/d1", "{\"n\":1}", admin).statusCode());
        for (var grant : GRANTS.entrySet()) {
            assertEquals(201, send("PUT", "/_permissions/group:" + grant.getKey(),
                    "{\"statements\": " + grant.getValue() + "}", admin).statusCode());
            assertEquals(201, send("PUT", "/_users/org.couchdb.user:" + grant.getKey(), "{\"name\":\"" + grant.getKey()
                    + "\",\"type\":\"user\",\"roles\":[],\"groups\":[\"" + grant.getKey() + "\"],\"password\":\""
                    + PASSWORD + "\"}", admin).statusCode());
        }
        assertEquals(201, send("PUT", "/_users/org.couchdb.user:member",
                "{\"name\":\"member\",\"type\":\"user\",\"roles\":[],\"password\":\"" + PASSWORD + "\"}", admin).statusCode());
    }

    @AfterAll
    void stop() {
        server.close();
        storage.close();
    }

    @Test
    void readingNeedsTheKeysDecryptAndWritingItsEncrypt() throws Exception {
        HttpResponse<String> withoutKey = send("GET", "/vault/d1", null, basic("reader", PASSWORD));
        assertEquals(403, withoutKey.statusCode());
        assertTrue(withoutKey.body().contains("encryption.decrypt"), withoutKey.body());
        assertEquals(200, send("GET", "/vault/d1", null, basic("decrypter", PASSWORD)).statusCode());
        assertEquals(403, send("PUT", "/vault/by-decrypter", "{}", basic("decrypter", PASSWORD)).statusCode());
        assertEquals(201, send("PUT", "/vault/by-writer", "{}", basic("writer", PASSWORD)).statusCode());
        assertEquals(200, send("GET", "/vault/d1", null, basic("member", PASSWORD)).statusCode(),
                "a CouchDB member reads as in CouchDB");
    }

    @Test
    void inJavaTheSameStatementsDecideTheSame() {
        Database asReader = PermittedStorage.of(storage, permissionsOf("reader")).database("vault");
        var refused = assertThrows(ArborException.Forbidden.class, () -> asReader.get("d1"));
        assertTrue(refused.getMessage().contains("encryption.decrypt"), refused.getMessage());
        Database asDecrypter = PermittedStorage.of(storage, permissionsOf("decrypter")).database("vault");
        assertEquals(1, asDecrypter.get("d1").get("n").asInt());
        Database asWriter = PermittedStorage.of(storage, permissionsOf("writer")).database("vault");
        asWriter.put(Json.parseObject("{\"_id\":\"java-writer\"}"));
        assertEquals("default", asWriter.encryptionKey().orElseThrow());
    }

    private static Permissions permissionsOf(String user) {
        List<Statement> statements = new ArrayList<>();
        Json.parse(GRANTS.get(user)).forEach(statement -> statements.add(Statement.fromJson(statement)));
        return Permissions.of(statements);
    }

    private static String basic(String name, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((name + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> send(String method, String path, String json, String authorization) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(server.uri() + path.substring(1)));
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        builder.header("Content-Type", "application/json");
        builder.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        return client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }
}
