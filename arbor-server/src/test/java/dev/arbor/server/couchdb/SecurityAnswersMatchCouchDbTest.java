package dev.arbor.server.couchdb;

import dev.arbor.testkit.CouchDbPeer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Authentication and authorisation: who a request is, and what it may see, as CouchDB 3.5 decides. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecurityAnswersMatchCouchDbTest {
    CouchDbDifferential both;

    @BeforeAll
    void start(@TempDir Path dir) {
        assumeTrue(CouchDbPeer.available(), CouchDbPeer.unavailableReason());
        both = CouchDbDifferential.start(dir);
    }

    @AfterAll
    void stop() {
        if (both != null) {
            both.close();
        }
    }

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

    @Test
    void wrongBasicCredentialsAreRefused() {
        both.sendWithHeaders("GET", "/_session", null, CouchDbDifferential.basic("nobody", "x")).assertSameShape()
                .assertSameValue("/reason");
    }
}
