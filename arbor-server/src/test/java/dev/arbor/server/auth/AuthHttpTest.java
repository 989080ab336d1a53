package dev.arbor.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.Arbor;
import dev.arbor.api.Storage;
import dev.arbor.core.json.Json;
import dev.arbor.server.ArborServer;
import dev.arbor.server.ServerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Access control over real HTTP: a server with auth wired in as {@code arbor serve} wires it. */
class AuthHttpTest {
    private static final String ADMIN = basic("root", "rootpw");
    private static final String JOE = basic("joe", "apple");

    @TempDir
    Path dir;

    private ArborServer server;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private record Reply(int status, HttpResponse<String> response) {
        JsonNode json() {
            return Json.parse(response.body());
        }

        String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }

        String error() {
            return json().path("error").asText() + ": " + json().path("reason").asText();
        }
    }

    private static String basic(String name, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((name + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @BeforeEach
    void start() throws Exception {
        Files.writeString(dir.resolve("arbor.ini"), "[chttpd_auth]\niterations = 1000\n");
        Storage storage = Arbor.storage(dir);
        ServerAuth auth = ServerAuth.open(dir, storage, "root:rootpw");
        server = ArborServer.builder(ServerConfig.defaults(dir).withPort(0).withAccessLog(false), auth.guard(storage))
                .accessControl(auth)
                .extension(auth.sessionEndpoints())
                .start();
        assertEquals(201, send("PUT", "/_users/org.couchdb.user:joe",
                "{\"name\":\"joe\",\"type\":\"user\",\"roles\":[\"staff\"],\"password\":\"apple\"}", "Authorization", ADMIN).status());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Reply send(String method, String path, String json, String... headers) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(server.uri() + path.substring(1)))
                .timeout(Duration.ofSeconds(30));
        if (json != null) {
            builder.header("Content-Type", "application/json");
        }
        for (int i = 0; i < headers.length; i += 2) {
            builder.setHeader(headers[i], headers[i + 1]);
        }
        builder.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        HttpResponse<String> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), response);
    }

    private static String cookieOf(Reply reply) {
        String setCookie = reply.header("Set-Cookie");
        assertNotNull(setCookie, "no Set-Cookie");
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    @Test
    void welcomeIsOpenButCreatingADatabaseNeedsAServerAdmin() throws Exception {
        assertEquals(200, send("GET", "/", null).status());
        Reply anonymous = send("PUT", "/db", null);
        assertEquals(401, anonymous.status());
        assertEquals("unauthorized: You are not a server admin.", anonymous.error());
        assertEquals(401, send("PUT", "/db", null, "Authorization", JOE).status());
        assertEquals(201, send("PUT", "/db", null, "Authorization", ADMIN).status());
    }

    @Test
    void wrongCredentialsAre401EvenOnPublicPaths() throws Exception {
        Reply reply = send("GET", "/", null, "Authorization", basic("joe", "pear"));
        assertEquals(401, reply.status());
        assertEquals(Json.parseObject("{\"error\":\"unauthorized\",\"reason\":\"Name or password is incorrect.\"}"), reply.json());
    }

    @Test
    void newDatabasesAreAdminOnlyUntilTheirSecurityLetsMembersIn() throws Exception {
        send("PUT", "/db", null, "Authorization", ADMIN);
        Reply anonymous = send("GET", "/db", null);
        assertEquals(401, anonymous.status());
        assertEquals("unauthorized: You are not authorized to access this db.", anonymous.error());
        Reply joe = send("GET", "/db", null, "Authorization", JOE);
        assertEquals(403, joe.status());
        assertEquals("forbidden: You are not allowed to access this db.", joe.error());

        assertEquals(200, send("PUT", "/db/_security", "{\"members\":{\"roles\":[\"staff\"]},\"admins\":{\"names\":[]}}",
                "Authorization", ADMIN).status());
        assertEquals(201, send("PUT", "/db/doc", "{\"a\":1}", "Authorization", JOE).status());
        assertEquals(200, send("GET", "/db/doc", null, "Authorization", JOE).status());
        Reply design = send("PUT", "/db/_design/x", "{}", "Authorization", JOE);
        assertEquals(403, design.status());
        assertEquals("forbidden: You are not a db or server admin.", design.error());
        assertEquals(403, send("PUT", "/db/_security", "{}", "Authorization", JOE).status());
        assertEquals(401, send("GET", "/db/doc", null).status());
    }

    @Test
    void loginGivesACookieThatAuthenticatesAndLogoutClearsIt() throws Exception {
        Reply login = send("POST", "/_session", "{\"name\":\"joe\",\"password\":\"apple\"}");
        assertEquals(200, login.status());
        assertEquals(Json.parseObject("{\"ok\":true,\"name\":\"joe\",\"roles\":[\"staff\"]}"), login.json());
        String cookie = cookieOf(login);
        assertTrue(login.header("Set-Cookie").contains("HttpOnly"));

        JsonNode session = send("GET", "/_session", null, "Cookie", cookie).json();
        assertEquals("joe", session.path("userCtx").path("name").asText());
        assertEquals("cookie", session.path("info").path("authenticated").asText());

        Reply logout = send("DELETE", "/_session", null, "Cookie", cookie);
        assertEquals(200, logout.status());
        assertTrue(logout.header("Set-Cookie").startsWith("AuthSession=;"), logout.header("Set-Cookie"));
    }

    @Test
    void formLoginWithNextRedirectsAndAFailedLoginIs401() throws Exception {
        HttpRequest form = HttpRequest.newBuilder(URI.create(server.uri() + "_session?next=/db"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("name=joe&password=apple")).build();
        HttpResponse<String> redirect = client.send(form, HttpResponse.BodyHandlers.ofString());
        assertEquals(302, redirect.statusCode());
        assertTrue(redirect.headers().firstValue("Location").orElseThrow().endsWith("/db"));
        assertTrue(redirect.headers().firstValue("Set-Cookie").orElseThrow().startsWith("AuthSession="));

        Reply failed = send("POST", "/_session", "{\"name\":\"joe\",\"password\":\"nope\"}");
        assertEquals(401, failed.status());
        assertEquals("unauthorized: Name or password is incorrect.", failed.error());
    }

    @Test
    void sessionRejectsOtherMethodsAndAsksForLoginWithBasicTrue() throws Exception {
        Reply put = send("PUT", "/_session", "{}");
        assertEquals(405, put.status());
        assertEquals("method_not_allowed: Only GET,HEAD,POST,DELETE allowed", put.error());
        Reply basic = send("GET", "/_session?basic=true", null);
        assertEquals(401, basic.status());
        assertEquals("unauthorized: Please login.", basic.error());
        JsonNode anonymous = send("GET", "/_session", null).json();
        assertTrue(anonymous.path("userCtx").path("name").isNull());
    }

    @Test
    void userDocsAreStoredHashedAndTheirUsersCanLogIn() throws Exception {
        JsonNode stored = send("GET", "/_users/org.couchdb.user:joe", null, "Authorization", ADMIN).json();
        assertFalse(stored.has("password"));
        assertEquals("pbkdf2", stored.path("password_scheme").asText());
        assertEquals(1000, stored.path("iterations").asInt());
        assertEquals(200, send("GET", "/_session", null, "Authorization", JOE).status());
    }

    @Test
    void onAPublicUsersDatabaseTheCouchDbPerDocumentRulesApply() throws Exception {
        assertEquals(200, send("PUT", "/_users/_security", "{}", "Authorization", ADMIN).status());

        Reply signup = send("PUT", "/_users/org.couchdb.user:ann",
                "{\"name\":\"ann\",\"type\":\"user\",\"roles\":[],\"password\":\"pw\"}");
        assertEquals(201, signup.status());
        Reply selfPromotion = send("PUT", "/_users/org.couchdb.user:eve",
                "{\"name\":\"eve\",\"type\":\"user\",\"roles\":[\"boss\"],\"password\":\"pw\"}");
        assertEquals(403, selfPromotion.status());
        assertEquals("forbidden: Only _admin may set roles", selfPromotion.error());

        String ann = basic("ann", "pw");
        assertEquals(200, send("GET", "/_users/org.couchdb.user:ann", null, "Authorization", ann).status());
        assertEquals(404, send("GET", "/_users/org.couchdb.user:joe", null, "Authorization", ann).status());
        assertEquals(404, send("GET", "/_users/org.couchdb.user:ann", null).status());
        Reply listing = send("GET", "/_users/_all_docs", null, "Authorization", ann);
        assertEquals(401, listing.status());
        assertEquals("unauthorized: You are not a server admin.", listing.error());
        assertEquals(200, send("GET", "/_users/_all_docs", null, "Authorization", ADMIN).status());
        Reply changes = send("GET", "/_users/_changes", null, "Authorization", ann);
        assertEquals(401, changes.status());
        assertEquals("unauthorized: You are not a server admin.", changes.error());

        Reply notHers = send("PUT", "/_users/org.couchdb.user:joe",
                "{\"name\":\"joe\",\"type\":\"user\",\"roles\":[],\"password\":\"x\"}", "Authorization", ann);
        assertEquals(404, notHers.status());
    }

    /** As CouchDB 3.5 answers, checked against it: [chttpd_auth_lockout] enforce, threshold 5. */
    @Test
    void fiveWrongPasswordsLockTheUserOutFromThatAddressEvenWithTheRightOne() throws Exception {
        for (int attempt = 1; attempt <= 5; attempt++) {
            Reply wrong = send("GET", "/_session", null, "Authorization", basic("joe", "pear"));
            assertEquals(401, wrong.status(), "attempt " + attempt);
            assertEquals("unauthorized: Name or password is incorrect.", wrong.error());
        }
        Reply locked = send("GET", "/_session", null, "Authorization", JOE);
        assertEquals(403, locked.status());
        assertEquals("forbidden: Account is temporarily locked due to multiple authentication failures", locked.error());
        Reply login = send("POST", "/_session", "{\"name\":\"joe\",\"password\":\"apple\"}");
        assertEquals(403, login.status(), "a session login is locked out too");
        assertEquals(200, send("GET", "/_session", null, "Authorization", ADMIN).status(), "other users are not");
        for (int attempt = 1; attempt <= 7; attempt++) {
            assertEquals(401, send("GET", "/_session", null, "Authorization", basic("nobody", "x")).status(),
                    "an unknown name is never locked, so it tells nothing");
        }
    }

    @Test
    void groupsAndRolesInPermissionsGrantStatementsToTheirUsers() throws Exception {
        assertEquals(201, send("PUT", "/news", null, "Authorization", ADMIN).status());
        assertEquals(201, send("PUT", "/_permissions", null, "Authorization", ADMIN).status());
        assertEquals(403, send("GET", "/news/_all_docs", null, "Authorization", JOE).status(), "news is admin-only");

        String readers = "{\"statements\": [{\"resources\": [[\"arbor\", \"database\", \"news\"]], "
                + "\"actions\": [\"database.read_document\"]}]}";
        assertEquals(201, send("PUT", "/_permissions/group:news-readers", readers, "Authorization", ADMIN).status());
        assertEquals(201, send("PUT", "/_permissions/role:staff", "{\"groups\": [\"news-readers\"]}",
                "Authorization", ADMIN).status());
        assertEquals(200, send("GET", "/news/_all_docs", null, "Authorization", JOE).status(),
                "joe's role staff reaches the group");
        assertEquals(403, send("PUT", "/news/d", "{}", "Authorization", JOE).status(), "reading is not writing");

        assertEquals(403, send("PUT", "/_permissions/group:mine", readers, "Authorization", JOE).status(),
                "only server admins write groups");
        Reply malformed = send("PUT", "/_permissions/group:bad", "{\"statements\": [{\"resources\": "
                + "[[\"arbor\", 1.5]], \"actions\": [\"*\"]}]}", "Authorization", ADMIN);
        assertEquals(400, malformed.status());
        assertTrue(malformed.error().startsWith("bad_request: group:bad: resource name"), malformed.error());
        assertEquals(400, send("PUT", "/_permissions/other", "{}", "Authorization", ADMIN).status());

        assertEquals(200, send("PUT", "/_users/_security", "{}", "Authorization", ADMIN).status(),
                "an open _users, where users rewrite their own documents");
        String joeRev = send("GET", "/_users/org.couchdb.user:joe", null, "Authorization", JOE).json().path("_rev").asText();
        Reply selfGranted = send("PUT", "/_users/org.couchdb.user:joe", "{\"_rev\":\"" + joeRev + "\",\"name\":\"joe\","
                + "\"type\":\"user\",\"roles\":[\"staff\"],\"groups\":[\"admins\"],\"password\":\"apple\"}",
                "Authorization", JOE);
        assertEquals(403, selfGranted.status(), "a user cannot give themselves groups");
        assertEquals("forbidden: Only _admin may set groups", selfGranted.error());
        assertEquals(201, send("PUT", "/_users/org.couchdb.user:ann",
                "{\"name\":\"ann\",\"type\":\"user\",\"roles\":[],\"groups\":[\"news-readers\"],\"password\":\"x\"}",
                "Authorization", ADMIN).status());
        assertEquals(200, send("GET", "/news/_all_docs", null, "Authorization", basic("ann", "x")).status(),
                "ann's own group");
        assertEquals(401, send("GET", "/news/_all_docs", null).status(), "nothing for anonymous callers");
    }
}
