package dev.arbor.server.couchdb;

import dev.arbor.core.json.Json;
import dev.arbor.testkit.CouchDbPeer;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Authentication and authorisation: who a request is, and what it may see, as CouchDB 3.5 decides. */
class SecurityAnswersMatchCouchDbTest extends AnswersMatchCouchDb {
    private static Map<String, String> authorization(String value) {
        return Map.of("Authorization", value);
    }

    @Test
    void anAuthorizationHeaderThatIsNotExactlyBasicIsNoCredentialAtAll() {
        String adminPair = CouchDbDifferential.basic(CouchDbPeer.ADMIN, CouchDbPeer.PASSWORD).get("Authorization")
                .substring("Basic ".length());
        for (String header : new String[] {"Basic: " + adminPair, "basic " + adminPair, "BASIC " + adminPair,
                "Bearer abc", "Foo", "Basic", "Basic " + java.util.Base64.getEncoder().encodeToString("nocolon".getBytes())}) {
            both.sendWithHeaders("GET", "/_session", null, authorization(header)).assertSameShape()
                    .assertSameValue("/userCtx/name");
            // Anonymous, so refused where anonymous may not go, and served where it may.
            both.sendWithHeaders("GET", "/_all_dbs", null, authorization(header)).assertSameShape();
            both.sendWithHeaders("GET", "/_up", null, authorization(header)).assertSameShape();
        }
    }

    @Test
    void basicCredentialsThatDoNotDecodeAreABadRequest() {
        for (String header : new String[] {"Basic abc", "Basic YWRtaW4", "Basic YWRtaW46c2VjcmV0==="}) {
            both.sendWithHeaders("GET", "/_session", null, authorization(header)).assertSameShape()
                    .assertSameValue("/reason");
        }
        // CouchDB crashes on characters outside the alphabet (500 "badarg"); Arbor gives its 400 for bad base64.
        var garbage = both.arbor().requestWithHeaders("GET", "/_session", authorization("Basic !!!garbage"));
        assertEquals(400, garbage.status(), garbage.body());
    }

    @Test
    void theSchemeIsReadCaseSensitivelyEvenOnAReusedConnection() {
        String pair = CouchDbDifferential.basic(CouchDbPeer.ADMIN, CouchDbPeer.PASSWORD).get("Authorization").substring(6);
        both.sendWithHeaders("GET", "/_session", null, authorization("basic " + pair)).assertSameValue("/userCtx/name");
        both.sendWithHeaders("GET", "/_session", null, authorization("Basic " + pair)).assertSameValue("/userCtx/name");
        both.sendWithHeaders("GET", "/_session", null, authorization("basic " + pair)).assertSameValue("/userCtx/name");
    }

    /**
     * CouchDB 3.5's {@code _users} is admin-only until an admin opens it (CouchDB also needs
     * {@code users_db_security_editable}); once open, a user reads and rewrites only their own document.
     */
    @Test
    void onAnOpenUsersDatabaseAUserReadsAndChangesOnlyTheirOwnDocument() throws InterruptedException {
        String mina = "/_users/org.couchdb.user:mina";
        both.assertSame("PUT", mina, "{\"name\":\"mina\",\"password\":\"pw\",\"roles\":[\"r1\"],\"type\":\"user\"}");
        both.assertSame("PUT", "/_users/org.couchdb.user:otto", "{\"name\":\"otto\",\"password\":\"pw\",\"roles\":[],\"type\":\"user\"}");
        awaitCouchDbLogin("mina", "pw");
        both.sendWithHeaders("GET", mina, null, CouchDbDifferential.basic("mina", "pw")).assertSameShape().assertSameValue("/reason");

        assertEquals(200, both.couch().request("PUT", "/_node/_local/_config/couchdb/users_db_security_editable", "\"true\"").status());
        both.assertSame("PUT", "/_users/_security", "{\"admins\":{\"names\":[],\"roles\":[]},\"members\":{\"names\":[],\"roles\":[]}}");
        var own = both.sendWithHeaders("GET", mina, null, CouchDbDifferential.basic("mina", "pw")).assertSameShape();
        both.sendWithHeaders("GET", "/_users/org.couchdb.user:otto", null, CouchDbDifferential.basic("mina", "pw"))
                .assertSameShape().assertSameValue("/reason");
        both.sendAnonymous("GET", mina, null).assertSameShape();
        String couchRev = own.couchJson().get("_rev").textValue();
        String arborRev = own.arborJson().get("_rev").textValue();
        String promoted = "{\"_rev\":\"%s\",\"name\":\"mina\",\"password\":\"pw\",\"roles\":[\"r1\",\"_admin\"],\"type\":\"user\"}";
        // Only Arbor is asked to promote or rename: CouchDB 3.5 answered both 403 when tried by hand (as its _users
        // rules say), but in these tests, moments after _security changed, it sometimes accepted them (201).
        var promotion = both.arbor().requestWithHeaders("PUT", mina, promoted.formatted(arborRev), CouchDbDifferential.basic("mina", "pw"));
        assertEquals(403, promotion.status(), promotion.body());
        assertEquals("Only _admin may edit roles", Json.parse(promotion.body()).get("reason").textValue());
        String renamed = "{\"_rev\":\"%s\",\"name\":\"mia\",\"password\":\"pw\",\"roles\":[\"r1\"],\"type\":\"user\"}";
        var rename = both.arbor().requestWithHeaders("PUT", mina, renamed.formatted(arborRev), CouchDbDifferential.basic("mina", "pw"));
        assertEquals(403, rename.status(), rename.body());
        both.sendWithHeaders("PUT", "/_users/org.couchdb.user:otto", "{\"name\":\"otto\",\"password\":\"x\",\"roles\":[],\"type\":\"user\"}",
                CouchDbDifferential.basic("mina", "pw")).assertSameShape();
        String newPassword = "{\"_rev\":\"%s\",\"name\":\"mina\",\"password\":\"pw2\",\"roles\":[\"r1\"],\"type\":\"user\"}";
        sendEach("PUT", mina, newPassword, couchRev, arborRev, "mina", "pw").assertSameShape();
        // CouchDB's user cache takes the new password some seconds later under load; Arbor at once.
        var session = both.arbor().requestWithHeaders("GET", "/_session", CouchDbDifferential.basic("mina", "pw2"));
        assertEquals("mina", Json.parse(session.body()).at("/userCtx/name").textValue(), session.body());
    }

    /**
     * Waits until CouchDB's user cache knows a new user: a few tries, fewer than the failed logins that would lock
     * the account, so they are spread out, doubling from a second apart, to leave a busy CouchDB 15 s in all.
     */
    private void awaitCouchDbLogin(String name, String password) throws InterruptedException {
        for (int i = 0; i < 4; i++) {
            Thread.sleep(1000L << i);
            var session = both.sendWithHeaders("GET", "/_session", null, CouchDbDifferential.basic(name, password)).couch();
            if (session.status() == 200) {
                return;
            }
        }
    }

    /** One request whose body names each server's own revision. */
    private CouchDbDifferential.Answers sendEach(String method, String path, String bodyFormat, String couchRev, String arborRev,
                                                 String name, String password) {
        return both.sendEach(method, path, bodyFormat.formatted(couchRev), bodyFormat.formatted(arborRev),
                CouchDbDifferential.basic(name, password));
    }

    @Test
    void wrongBasicCredentialsAreRefused() {
        both.sendWithHeaders("GET", "/_session", null, CouchDbDifferential.basic("nobody", "x")).assertSameShape()
                .assertSameValue("/reason");
    }
}
