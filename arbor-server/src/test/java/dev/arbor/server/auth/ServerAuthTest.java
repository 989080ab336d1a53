package dev.arbor.server.auth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.Arbor;
import dev.arbor.api.Storage;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import dev.arbor.server.http.Access;
import dev.arbor.server.http.UserCtx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The parts wired together over a real (in-memory) storage: Basic and cookie auth, and {@code /_session}. */
class ServerAuthTest {
    @TempDir
    Path dir;

    private Storage storage;
    private ServerAuth auth;

    @BeforeEach
    void start() throws Exception {
        // Few iterations keep the suite fast; the cost of the real default is documented in PasswordHasher.
        Files.writeString(dir.resolve("arbor.ini"), "[chttpd_auth]\niterations = 1000\n");
        storage = Arbor.inMemoryStorage();
        auth = ServerAuth.open(dir, storage, "root:rootpw");
        ObjectNode joe = Json.parseObject("""
                {"_id":"org.couchdb.user:joe","name":"joe","type":"user","roles":["staff"],"password":"apple"}""");
        storage.database("_users").put(auth.usersDatabase().prepareWrite(
                new UserCtx("root", List.of("_admin")), storage.database("_users").getSecurity(), joe, null));
    }

    @AfterEach
    void stop() {
        storage.close();
    }

    private static String basic(String name, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((name + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void firstStartStoresTheAdminHashedAndCreatesUsersAdminOnly() throws Exception {
        String ini = Files.readString(dir.resolve("arbor.ini"));
        assertTrue(ini.contains("root = -pbkdf2:sha256-"), ini);
        assertFalse(ini.contains("rootpw"));
        assertTrue(ini.matches("(?s).*secret = [0-9a-f]{32}.*"), ini);
        assertEquals(Json.parseObject("{\"members\":{\"roles\":[\"_admin\"]},\"admins\":{\"roles\":[\"_admin\"]}}"),
                storage.database("_users").getSecurity());
    }

    @Test
    void aRestartWithArborAdminLogsInWithItsPasswordWhateverTheLastStartStored() throws Exception {
        Path fresh = Files.createDirectory(dir.resolve("fresh"));
        Files.writeString(fresh.resolve("arbor.ini"), "[chttpd_auth]\niterations = 1000\n");
        try (Storage other = Arbor.inMemoryStorage()) {
            // The README's order: a first start without ARBOR_ADMIN generates admin's password ...
            ServerAuth first = ServerAuth.open(fresh, other, null);
            var generated = (Admins.Startup.Generated) first.admins().startup();
            // ... and the next start with ARBOR_ADMIN=admin:secret makes that the password.
            ServerAuth second = ServerAuth.open(fresh, other, "admin:secret");
            assertEquals(new Admins.Startup.PasswordReset("admin"), second.admins().startup());
            assertEquals(new UserCtx("admin", List.of("_admin")), second.authenticate(basic("admin", "secret"), null));
            assertThrows(ArborException.Unauthorized.class,
                    () -> second.authenticate(basic("admin", generated.password()), null));
            assertEquals(new Admins.Startup.Unchanged("admin"), ServerAuth.open(fresh, other, "admin:secret").admins().startup());
        }
    }

    @Test
    void basicAuthIdentifiesAdminsAndUsers() {
        assertEquals(new UserCtx("root", List.of("_admin")), auth.authenticate(basic("root", "rootpw"), null));
        assertEquals(new UserCtx("joe", List.of("staff")), auth.authenticate(basic("joe", "apple"), null));
        // Again, now from the verified-password cache: same answer.
        assertEquals(new UserCtx("joe", List.of("staff")), auth.authenticate(basic("joe", "apple"), null));
    }

    @Test
    void wrongOrUnknownCredentialsAre401WithCouchDbsReason() {
        for (String header : List.of(basic("joe", "pear"), basic("nobody", "x"), basic("root", ""))) {
            var e = assertThrows(ArborException.Unauthorized.class, () -> auth.authenticate(header, null));
            assertEquals("unauthorized", e.error());
            assertEquals("Name or password is incorrect.", e.reason());
        }
    }

    @Test
    void noCredentialsOrAnotherSchemeIsAnonymousAndBadBase64Is400() {
        assertEquals(UserCtx.ANONYMOUS, auth.authenticate(null, null));
        assertEquals(UserCtx.ANONYMOUS, auth.authenticate(basic("_", "_"), null));
        assertEquals(UserCtx.ANONYMOUS, auth.authenticate("Bearer abc", null));
        assertEquals(UserCtx.ANONYMOUS, auth.authenticate("Basic: " + basic("joe", "apple").substring(6), null));
        assertEquals(UserCtx.ANONYMOUS, auth.authenticate("basic " + basic("joe", "apple").substring(6), null));
        assertThrows(ArborException.BadRequest.class, () -> auth.authenticate("Basic %%%", null));
        assertThrows(ArborException.BadRequest.class, () -> auth.authenticate("Basic YWRtaW4", null));
        assertThrows(ArborException.BadRequest.class, () -> auth.authenticate("Basic YWRtaW46c2VjcmV0===", null));
    }

    @Test
    void loginSetsACookieThatAuthenticatesLaterRequests() {
        var reply = auth.sessions().login("application/json",
                "{\"name\":\"joe\",\"password\":\"apple\"}".getBytes(StandardCharsets.UTF_8), null, null, false, null);
        assertEquals(200, reply.status());
        assertEquals(Json.parseObject("{\"ok\":true,\"name\":\"joe\",\"roles\":[\"staff\"]}"), reply.body());
        String cookie = reply.setCookie().substring(0, reply.setCookie().indexOf(';'));
        var authentication = auth.authenticator().authenticate(null, "other=1; " + cookie, false, null);
        assertEquals(new UserCtx("joe", List.of("staff")), authentication.user());
        assertEquals(Authenticator.Handler.COOKIE, authentication.handler());
        assertNull(authentication.refreshedCookie());
    }

    @Test
    void aValidCookieWinsOverBasicCredentialsAndABadCookieFallsBackToThem() {
        var reply = auth.sessions().login("application/x-www-form-urlencoded",
                "name=joe&password=apple".getBytes(StandardCharsets.UTF_8), null, null, false, null);
        String cookie = reply.setCookie().substring(0, reply.setCookie().indexOf(';'));
        assertEquals("joe", auth.authenticate(basic("root", "rootpw"), cookie).name());
        String forged = "AuthSession=" + Base64.getUrlEncoder().withoutPadding()
                .encodeToString("joe:7FFFFFFF:0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8));
        assertEquals("root", auth.authenticate(basic("root", "rootpw"), forged).name());
        assertEquals(UserCtx.ANONYMOUS, auth.authenticate(null, forged));
    }

    @Test
    void cookiesExpireAfterTheTimeoutAndAreReissuedPastHalfTheirLife() throws Exception {
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        ServerAuth early = ServerAuth.open(dir, storage, null, Clock.fixed(start, ZoneOffset.UTC));
        String cookie = cookieOf(early.sessions().login("application/json",
                "{\"name\":\"joe\",\"password\":\"apple\"}".getBytes(StandardCharsets.UTF_8), null, null, false, null));
        var midlife = ServerAuth.open(dir, storage, null, Clock.fixed(start.plusSeconds(400), ZoneOffset.UTC))
                .authenticator().authenticate(null, cookie, false, null);
        assertEquals("joe", midlife.user().name());
        assertTrue(midlife.refreshedCookie().startsWith("AuthSession="), midlife.refreshedCookie());
        var late = ServerAuth.open(dir, storage, null, Clock.fixed(start.plusSeconds(600), ZoneOffset.UTC));
        assertEquals(UserCtx.ANONYMOUS, late.authenticate(null, cookie));
        // The reissued cookie carries the session on from the refresh.
        assertEquals("joe", late.authenticate(null, midlife.refreshedCookie().substring(0, midlife.refreshedCookie().indexOf(';'))).name());
    }

    @Test
    void failedLoginIs401AndClearsTheCookie() {
        var reply = auth.sessions().login("application/json",
                "{\"name\":\"joe\",\"password\":\"nope\"}".getBytes(StandardCharsets.UTF_8), null, null, false, null);
        assertEquals(401, reply.status());
        assertEquals(Json.parseObject("{\"error\":\"unauthorized\",\"reason\":\"Name or password is incorrect.\"}"), reply.body());
        assertTrue(reply.setCookie().startsWith("AuthSession=;"));
    }

    @Test
    void loginWithNextRedirects() {
        var reply = auth.sessions().login("application/json",
                "{\"username\":\"joe\",\"password\":\"apple\"}".getBytes(StandardCharsets.UTF_8), "/app", null, false, null);
        assertEquals(302, reply.status());
        assertEquals("/app", reply.location());
    }

    @Test
    void loginBodiesMustNameOneUser() {
        var none = assertThrows(ArborException.BadRequest.class, () -> auth.sessions().login("application/json",
                "{\"password\":\"apple\"}".getBytes(StandardCharsets.UTF_8), null, null, false, null));
        assertEquals("request body must contain a username", none.reason());
        var two = assertThrows(ArborException.BadRequest.class, () -> auth.sessions().login("application/json",
                "{\"name\":\"joe\",\"username\":\"ann\"}".getBytes(StandardCharsets.UTF_8), null, null, false, null));
        assertEquals("request body contains different usernames", two.reason());
    }

    @Test
    void sessionInfoShowsTheUserCtxAndHandler() {
        var anonymous = auth.sessions().info(Authenticator.Authentication.ANONYMOUS, false);
        assertEquals(Json.parseObject("""
                {"ok":true,"userCtx":{"name":null,"roles":[]},
                 "info":{"authentication_handlers":["cookie","default"]}}"""), anonymous.body());
        var joe = auth.authenticator().authenticate(basic("joe", "apple"), null, false, null);
        var info = auth.sessions().info(joe, false).body();
        assertEquals("default", info.get("info").get("authenticated").textValue());
        assertEquals("joe", info.get("userCtx").get("name").textValue());
        var e = assertThrows(ArborException.Unauthorized.class,
                () -> auth.sessions().info(Authenticator.Authentication.ANONYMOUS, true));
        assertEquals("Please login.", e.reason());
    }

    @Test
    void logoutClearsTheCookie() {
        var reply = auth.sessions().logout(null, false);
        assertEquals(200, reply.status());
        assertEquals(Json.parseObject("{\"ok\":true}"), reply.body());
        assertTrue(reply.setCookie().contains("Max-Age=0"));
    }

    @Test
    void aPasswordChangeTakesEffectAtOnce() {
        assertEquals("joe", auth.authenticate(basic("joe", "apple"), null).name());
        var users = storage.database("_users");
        ObjectNode current = users.get("org.couchdb.user:joe");
        ObjectNode edit = current.deepCopy().put("password", "pear");
        users.put(auth.usersDatabase().prepareWrite(new UserCtx("joe", List.of("staff")), Json.object(), edit, current));
        assertThrows(ArborException.Unauthorized.class, () -> auth.authenticate(basic("joe", "apple"), null));
        assertEquals("joe", auth.authenticate(basic("joe", "pear"), null).name());
    }

    @Test
    void authorizeUsesTheStoredSecurity() {
        storage.createDatabase("db");
        auth.databaseCreated(storage.database("db"));
        UserCtx joe = auth.authenticate(basic("joe", "apple"), null);
        assertThrows(ArborException.Forbidden.class, () -> auth.authorize(joe, "db", Access.READ));
        assertThrows(ArborException.Unauthorized.class, () -> auth.authorize(UserCtx.ANONYMOUS, "db", Access.READ));
        auth.authorize(auth.authenticate(basic("root", "rootpw"), null), "db", Access.DB_ADMIN);
    }

    private static String cookieOf(SessionService.Reply reply) {
        return reply.setCookie().substring(0, reply.setCookie().indexOf(';'));
    }
}
