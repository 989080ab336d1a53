package dev.arbor.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.Arbor;
import dev.arbor.api.AllDocsOptions;
import dev.arbor.api.ChangesOptions;
import dev.arbor.api.Database;
import dev.arbor.api.Storage;
import dev.arbor.api.find.FindRequest;
import dev.arbor.api.permission.Action;
import dev.arbor.api.permission.Permissions;
import dev.arbor.api.permission.PermittedStorage;
import dev.arbor.api.permission.ResourceName;
import dev.arbor.api.permission.Statement;
import dev.arbor.api.view.ViewQuery;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The access matrix: users with each kind of grant × every kind of operation, over real HTTP and through the Java
 * API used as that user ({@link PermittedStorage}), each outcome derived from the user's statements: granted →
 * the operation's success status; refused → 401 for a caller not logged in, and for server-level operations (as
 * CouchDB's "You are not a server admin."), 403 otherwise; in Java, {@link ArborException.Forbidden}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccessMatrixTest {
    private static final String DB = "m";
    private static final String PASSWORD = "pw";

    /** Each user's one group: the statements it holds, as an admin would PUT them to {@code _permissions}. */
    private static final Map<String, String> GRANTS = new LinkedHashMap<>();

    static {
        GRANTS.put("nobody", "[]");
        GRANTS.put("reader", grant("[\"arbor\", \"database\", \"m\"]", "database.read_document"));
        GRANTS.put("writer", grant("[\"arbor\", \"database\", \"m\"]", "database.read_document", "database.write_document"));
        GRANTS.put("feeder", grant("[\"arbor\", \"database\", \"m\"]", "database.read_document", "database.read_changes"));
        GRANTS.put("viewer", grant("[\"arbor\", \"database\", \"m\"]", "database.read_document", "database.query_view"));
        GRANTS.put("finder", grant("[\"arbor\", \"database\", \"m\"]", "database.read_document", "database.query_index"));
        GRANTS.put("keeper", grant("[\"arbor\", \"database\", \"m\"]", "database.*"));
        GRANTS.put("someDocs", grant("[\"arbor\", \"database\", \"m\", \"document\", {\"prefix\": \"d\"}]",
                "database.read_document", "database.write_document"));
        GRANTS.put("creator", "[" + grant1("[\"arbor\", \"database\", {\"prefix\": \"new-\"}]", "server.create_database")
                + ", " + grant1("[\"arbor\"]", "server.list_databases") + "]");
    }

    private static String grant(String resource, String... actions) {
        return "[" + grant1(resource, actions) + "]";
    }

    private static String grant1(String resource, String... actions) {
        return "{\"resources\": [" + resource + "], \"actions\": [\"" + String.join("\", \"", actions) + "\"]}";
    }

    /** One operation: the action it needs on which resource, its HTTP request and success status, its Java call. */
    private record Operation(String name, Action action, ResourceName resource, String method, String path, String body,
                             int success, JavaCall java) {
    }

    @FunctionalInterface
    private interface JavaCall {
        void run(Storage storage, String user) throws Exception;
    }

    private static List<Operation> operations() {
        ResourceName db = ResourceName.database(DB);
        return List.of(
                new Operation("info", Action.DATABASE_READ_DOCUMENT, db, "GET", "/m", null, 200,
                        (s, u) -> s.database(DB).info()),
                new Operation("get", Action.DATABASE_READ_DOCUMENT, db, "GET", "/m/d1", null, 200,
                        (s, u) -> s.database(DB).get("d1")),
                new Operation("all_docs", Action.DATABASE_READ_DOCUMENT, db, "GET", "/m/_all_docs", null, 200,
                        (s, u) -> s.database(DB).allDocs(AllDocsOptions.DEFAULT)),
                new Operation("put", Action.DATABASE_WRITE_DOCUMENT, db, "PUT", "/m/d-http-{user}", "{}", 201,
                        (s, u) -> s.database(DB).put(Json.parseObject("{\"_id\":\"d-java-" + u + "\"}"))),
                new Operation("changes", Action.DATABASE_READ_CHANGES, db, "GET", "/m/_changes", null, 200,
                        (s, u) -> s.database(DB).changes(ChangesOptions.DEFAULT)),
                new Operation("view", Action.DATABASE_QUERY_VIEW, db, "GET", "/m/_design/v/_view/all", null, 200,
                        (s, u) -> s.database(DB).query("v", "all", ViewQuery.DEFAULT)),
                new Operation("find", Action.DATABASE_QUERY_INDEX, db, "POST", "/m/_find", "{\"selector\":{}}", 200,
                        (s, u) -> s.database(DB).find(FindRequest.of(Json.parseObject("{}")))),
                new Operation("compact", Action.DATABASE_COMPACT, db, "POST", "/m/_compact", "{}", 202,
                        (s, u) -> s.database(DB).compact()),
                new Operation("security", Action.DATABASE_MANAGE_SECURITY, db, "PUT", "/m/_security", SECURITY, 200,
                        (s, u) -> s.database(DB).setSecurity(Json.parseObject(SECURITY))),
                new Operation("create_db", Action.SERVER_CREATE_DATABASE, ResourceName.database("new-{user}"),
                        "PUT", "/new-http-{user}", null, 201, (s, u) -> s.createDatabase("new-java-" + u.toLowerCase())),
                new Operation("list_dbs", Action.SERVER_LIST_DATABASES, ResourceName.server(), "GET", "/_all_dbs", null, 200,
                        (s, u) -> s.listDatabases()));
    }

    /** Members by CouchDB's rules, so the matrix also covers _security's meaning. */
    private static final String SECURITY = "{\"members\":{\"names\":[\"member\"],\"roles\":[]},\"admins\":{\"names\":[],\"roles\":[]}}";
    private static final List<Action> COUCHDB_MEMBER_ACTIONS = List.of(Action.DATABASE_READ_DOCUMENT,
            Action.DATABASE_WRITE_DOCUMENT, Action.DATABASE_QUERY_VIEW, Action.DATABASE_QUERY_INDEX,
            Action.DATABASE_READ_CHANGES, Action.DATABASE_REPLICATE);

    @TempDir
    static Path dir;
    private ArborServer server;
    private Storage storage;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    void start() throws Exception {
        Files.writeString(dir.resolve("arbor.ini"), "[chttpd_auth]\niterations = 1000\n");
        storage = Arbor.storage(dir);
        ServerAuth auth = ServerAuth.open(dir, storage, "root:rootpw");
        server = ArborServer.builder(ServerConfig.defaults(dir).withPort(0).withAccessLog(false), auth.guard(storage))
                .accessControl(auth)
                .start();
        String admin = basic("root", "rootpw");
        assertEquals(201, send("PUT", "/_permissions", null, admin).statusCode());
        assertEquals(201, send("PUT", "/m", null, admin).statusCode());
        assertEquals(200, send("PUT", "/m/_security", SECURITY, admin).statusCode());
        assertEquals(201, send("PUT", "/m/d1", "{\"n\":1}", admin).statusCode());
        assertEquals(201, send("PUT", "/m/_design/v", "{\"views\":{\"all\":{\"map\":\"function (doc) { emit(doc._id); }\"}}}",
                admin).statusCode());
        for (Map.Entry<String, String> grant : GRANTS.entrySet()) {
            assertEquals(201, send("PUT", "/_permissions/group:" + grant.getKey(),
                    "{\"statements\": " + grant.getValue() + "}", admin).statusCode());
            assertEquals(201, send("PUT", "/_users/org.couchdb.user:" + grant.getKey(), "{\"name\":\"" + grant.getKey()
                    + "\",\"type\":\"user\",\"roles\":[],\"groups\":[\"" + grant.getKey() + "\"],\"password\":\"" + PASSWORD + "\"}",
                    admin).statusCode());
        }
        assertEquals(201, send("PUT", "/_users/org.couchdb.user:member",
                "{\"name\":\"member\",\"type\":\"user\",\"roles\":[],\"password\":\"" + PASSWORD + "\"}", admin).statusCode());
    }

    @AfterAll
    void stop() {
        server.close();
    }

    /** What the user's statements (and, for {@code member}, CouchDB's rules) grant. */
    private static Permissions permissionsOf(String user) {
        if (user.equals("member")) {
            return Permissions.of(Statement.grant(ResourceName.database(DB), COUCHDB_MEMBER_ACTIONS.toArray(Action[]::new)));
        }
        if (user.equals("anonymous")) {
            return Permissions.NONE;
        }
        List<Statement> statements = new ArrayList<>();
        Json.parse(GRANTS.get(user)).forEach(statement -> statements.add(Statement.fromJson(statement)));
        return Permissions.of(statements);
    }

    /** Granted on the resource, or on some documents of it for the document-level actions. */
    private static boolean granted(Permissions permissions, Operation operation, String user) {
        ResourceName resource = ResourceName.fromJson(Json.parse(operation.resource().toJson().toString().replace("{user}", user)));
        if (permissions.allowed(resource, operation.action())) {
            return true;
        }
        return operation.action().category().equals("database") && operation.action() != Action.DATABASE_COMPACT
                && operation.action() != Action.DATABASE_MANAGE_SECURITY
                && !(permissions.documents(DB, operation.action()) instanceof dev.arbor.api.permission.DocumentAccess.None);
    }

    @Test
    void overHttpEveryOutcomeIsWhatTheStatementsGrant() throws Exception {
        List<String> users = new ArrayList<>(GRANTS.keySet());
        users.add("member");
        users.add("anonymous");
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (String user : users) {
            Permissions permissions = permissionsOf(user);
            for (Operation operation : operations()) {
                boolean allowed = granted(permissions, operation, user);
                int expected = allowed ? operation.success()
                        : user.equals("anonymous") || operation.action().category().equals("server") ? 401 : 403;
                String path = operation.path().replace("{user}", user.toLowerCase());
                HttpResponse<String> response;
                try {
                    response = send(operation.method(), path, operation.body(),
                            user.equals("anonymous") ? null : basic(user, PASSWORD));
                } catch (java.io.IOException e) {
                    throw new AssertionError(user + " " + operation.name() + " after " + checked + " requests", e);
                }
                checked++;
                if (response.statusCode() != expected) {
                    wrong.add(user + " " + operation.name() + ": expected " + expected + ", got " + response.statusCode()
                            + " " + response.body());
                }
            }
        }
        assertEquals(List.of(), wrong, "outcomes that differ from the statements");
        assertEquals(11 * operations().size(), checked);
    }

    @Test
    void throughTheJavaApiEveryOutcomeIsWhatTheStatementsGrant() throws Exception {
        List<String> wrong = new ArrayList<>();
        for (String user : GRANTS.keySet()) {
            Permissions permissions = permissionsOf(user);
            Storage asUser = PermittedStorage.of(storage, permissions);
            for (Operation operation : operations()) {
                boolean allowed = granted(permissions, operation, user.toLowerCase());
                String outcome;
                try {
                    operation.java().run(asUser, user);
                    outcome = "allowed";
                } catch (ArborException.Forbidden refused) {
                    outcome = "forbidden";
                }
                if (!outcome.equals(allowed ? "allowed" : "forbidden")) {
                    wrong.add(user + " " + operation.name() + ": " + outcome);
                }
            }
        }
        assertEquals(List.of(), wrong, "outcomes that differ from the statements");
    }

    @Test
    void aDocumentOutsideAPartialGrantAnswersAsAMissingOneOverHttpAndInJava() throws Exception {
        String someDocs = basic("someDocs", PASSWORD);
        String admin = basic("root", "rootpw");
        assertEquals(201, send("PUT", "/m/other", "{}", admin).statusCode());
        HttpResponse<String> hidden = send("GET", "/m/other", null, someDocs);
        HttpResponse<String> missing = send("GET", "/m/nothing", null, someDocs);
        assertEquals(404, hidden.statusCode());
        assertEquals(Json.parse(missing.body()), Json.parse(hidden.body()));
        Database asSomeDocs = PermittedStorage.of(storage, permissionsOf("someDocs")).database(DB);
        ArborException.NotFound inJava = org.junit.jupiter.api.Assertions.assertThrows(ArborException.NotFound.class,
                () -> asSomeDocs.get("other"));
        assertEquals("missing", inJava.reason());
        assertTrue(asSomeDocs.allDocs(AllDocsOptions.DEFAULT).rows().stream().allMatch(row -> row.id().startsWith("d")));
    }

    private static String basic(String name, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((name + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> send(String method, String path, String json, String authorization) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(server.uri() + path.substring(1)))
                .timeout(Duration.ofSeconds(30));
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        if (json != null) {
            builder.header("Content-Type", "application/json");
        }
        builder.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        return client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }
}
