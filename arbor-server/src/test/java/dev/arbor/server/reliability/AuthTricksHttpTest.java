package dev.arbor.server.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.Arbor;
import dev.arbor.api.Storage;
import dev.arbor.core.json.Json;
import dev.arbor.server.ArborServer;
import dev.arbor.server.ServerConfig;
import dev.arbor.server.auth.ServerAuth;
import dev.arbor.server.auth.ServerAuthClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Auth under hostile requests, over raw sockets so nothing normalises the request line on the way: wrong
 * passwords, tampered and expired session cookies, a member trying admin things, and path tricks ({@code ..},
 * encoded slashes, {@code %5Fdesign}) that must never reach what the caller may not.
 */
class AuthTricksHttpTest {
    private static final String ADMIN = basic("root", "rootpw");
    private static final String JOE = basic("joe", "apple");

    @TempDir
    Path dir;
    private ArborServer server;

    private record Reply(int status, String head, String body) {
        JsonNode json() {
            return Json.parse(body);
        }

        String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).strip();
                }
            }
            return null;
        }
    }

    private static String basic(String name, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((name + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private final SettableClock clock = new SettableClock(Instant.parse("2030-01-01T00:00:00Z"));

    /** Wall time that moves only when the test moves it. */
    private static final class SettableClock extends Clock {
        private volatile Instant now;

        SettableClock(Instant start) {
            now = start;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    @BeforeEach
    void start() throws Exception {
        // Cookies live 10 minutes on a clock the test moves: they expire when the test says, not when a busy
        // machine happens to take longer than a short lifetime between the login and the first use.
        Files.writeString(dir.resolve("arbor.ini"), "[chttpd_auth]\niterations = 1000\ntimeout = 600\n");
        Storage storage = Arbor.storage(dir);
        ServerAuth auth = ServerAuthClock.open(dir, storage, "root:rootpw", clock);
        server = ArborServer.builder(ServerConfig.defaults(dir).withPort(0).withAccessLog(false), auth.guard(storage))
                .accessControl(auth).extension(auth.sessionEndpoints()).start();
        assertEquals(201, send("PUT", "/_users/org.couchdb.user:joe",
                "{\"name\":\"joe\",\"type\":\"user\",\"roles\":[\"staff\"],\"password\":\"apple\"}", "Authorization", ADMIN).status());
        assertEquals(201, send("PUT", "/secret", null, "Authorization", ADMIN).status());
        assertEquals(201, send("PUT", "/secret/plans", "{\"top\":true}", "Authorization", ADMIN).status());
        assertEquals(201, send("PUT", "/team", null, "Authorization", ADMIN).status());
        assertEquals(200, send("PUT", "/team/_security", "{\"members\":{\"roles\":[\"staff\"]},\"admins\":{\"names\":[]}}",
                "Authorization", ADMIN).status());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void wrongPasswordsAndUnknownUsersAre401WithoutSayingWhich() throws Exception {
        Reply wrongPassword = send("GET", "/team", null, "Authorization", basic("joe", "pear"));
        Reply noSuchUser = send("GET", "/team", null, "Authorization", basic("nobody", "pear"));
        assertEquals(401, wrongPassword.status());
        assertEquals(401, noSuchUser.status());
        assertEquals(wrongPassword.json(), noSuchUser.json(), "the answer must not tell whether the user exists");
        // Undecodable credentials: CouchDB answers 400; either way nobody is let in.
        int garbled = send("GET", "/team", null, "Authorization", "Basic !!!not-base64").status();
        assertTrue(garbled == 400 || garbled == 401, "garbled Basic credentials got " + garbled);
    }

    @Test
    void aTamperedOrExpiredSessionCookieAuthenticatesNobody() throws Exception {
        Reply login = send("POST", "/_session", "{\"name\":\"joe\",\"password\":\"apple\"}");
        assertEquals(200, login.status());
        String cookie = login.header("Set-Cookie");
        String value = cookie.substring("AuthSession=".length(), cookie.indexOf(';'));
        assertEquals(200, send("GET", "/team", null, "Cookie", "AuthSession=" + value).status());

        // Claim to be the admin with joe's signature: name changed, HMAC kept.
        String decoded = new String(Base64.getUrlDecoder().decode(value), StandardCharsets.ISO_8859_1);
        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("root" + decoded.substring(decoded.indexOf(':'))).getBytes(StandardCharsets.ISO_8859_1));
        for (String bad : List.of(forged, value.substring(0, value.length() - 2) + "AA", "garbage", "")) {
            Reply reply = send("GET", "/secret/plans", null, "Cookie", "AuthSession=" + bad);
            // A well-formed cookie with a wrong HMAC is anonymous (401 here); an undecodable one is CouchDB's 400
            // "Malformed AuthSession cookie. Please clear your cookies.".
            assertTrue(reply.status() == 401 || reply.status() == 400, "cookie " + bad + " got " + reply.status() + " " + reply.body());
            assertFalse(reply.body().contains("\"top\""), "cookie " + bad + " read the secret doc");
        }
        clock.advance(Duration.ofSeconds(600));
        Reply expired = send("GET", "/team", null, "Cookie", "AuthSession=" + value);
        assertEquals(401, expired.status(), "an expired cookie still let joe in: " + expired.body());
    }

    @Test
    void aMemberCanReadAndWriteButNotAdministerTheDatabase() throws Exception {
        assertEquals(201, send("PUT", "/team/note", "{}", "Authorization", JOE).status());
        assertEquals(403, send("PUT", "/team/_security", "{\"members\":{},\"admins\":{\"names\":[\"joe\"]}}",
                "Authorization", JOE).status());
        assertEquals(403, send("PUT", "/team/_design/x", "{}", "Authorization", JOE).status());
        assertEquals(403, send("GET", "/secret/plans", null, "Authorization", JOE).status());
        assertEquals(401, send("DELETE", "/team", null, "Authorization", JOE).status());
        assertEquals(200, send("GET", "/team", null, "Authorization", ADMIN).status(), "the database is still there");
        JsonNode security = send("GET", "/team/_security", null, "Authorization", ADMIN).json();
        assertFalse(security.path("admins").path("names").toString().contains("joe"));
    }

    @Test
    void pathTricksNeverReachAnotherDatabaseOrADesignDoc() throws Exception {
        // Each from joe, a member of team only. None may read secret or _users, or write a design doc.
        for (String path : List.of("/team/../secret/plans", "/team/%2E%2E/secret/plans", "/team%2F..%2Fsecret/plans",
                "/team/..%2Fsecret%2Fplans", "/./secret/plans", "/team/../_users/org.couchdb.user:root",
                "/team/%2e%2e/%2e%2e/secret/plans", "//secret/plans", "/secret%2Fplans", "/team/..;/secret/plans")) {
            Reply reply = send("GET", path, null, "Authorization", JOE);
            assertTrue(reply.status() >= 400, path + " answered " + reply.status() + ": " + reply.body());
            assertFalse(reply.body().contains("\"top\""), path + " leaked the secret doc: " + reply.body());
            assertFalse(reply.body().contains("password_scheme") || reply.body().contains("derived_key"),
                    path + " leaked a user doc: " + reply.body());
        }
        for (String path : List.of("/team/%5Fdesign/x", "/team/%5Fdesign%2Fx", "/team/_design%2Fx", "/team/%5fdesign%2fx")) {
            Reply reply = send("PUT", path, "{\"views\":{}}", "Authorization", JOE);
            // %5Fdesign is not _design (CouchDB compares the raw segment): the doc id is "_design" or "_design/x" by
            // decoding, and either way a member is refused (400 reserved id, 403 design doc, 404 no such doc).
            assertTrue(reply.status() >= 400 && reply.status() < 500, path + " answered " + reply.status() + ": " + reply.body());
        }
        assertEquals(404, send("GET", "/team/_design/x", null, "Authorization", ADMIN).status(), "no design doc was made");
    }

    /** A raw HTTP/1.1 exchange: the request line goes out exactly as written. */
    private Reply send(String method, String path, String json, String... headers) throws Exception {
        StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
        for (int i = 0; i < headers.length; i += 2) {
            request.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        }
        byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
        if (json != null) {
            request.append("Content-Type: application/json\r\n");
        }
        request.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().write(body);
            socket.getOutputStream().flush();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(response.substring(9, 12));
            int split = response.indexOf("\r\n\r\n");
            String head = response.substring(0, split);
            String text = response.substring(split + 4);
            if (head.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked")) {
                text = dechunk(text);
            }
            return new Reply(status, head, text);
        }
    }

    private static String dechunk(String chunked) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (true) {
            int eol = chunked.indexOf("\r\n", at);
            int size = Integer.parseInt(chunked.substring(at, eol).trim(), 16);
            if (size == 0) {
                return out.toString();
            }
            out.append(chunked, eol + 2, eol + 2 + size);
            at = eol + 2 + size + 2;
        }
    }
}
