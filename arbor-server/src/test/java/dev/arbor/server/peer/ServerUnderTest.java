package dev.arbor.server.peer;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The server a peer script talks to, as the scripts receive it (environment variables read by
 * {@code src/test/node/lib/scenario.js}).
 *
 * @param kind     {@code arbor} or {@code pouchdb-server}; the scripts skip the few CouchDB-only checks
 *                 pouchdb-server is known to fail
 * @param url      base URL on a loopback address, without a trailing slash
 * @param user     admin name, or null when the server needs no login (pouchdb-server's admin party)
 * @param password the admin's password, or null
 */
public record ServerUnderTest(String kind, String url, String user, String password) {

    public ServerUnderTest {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(url, "url");
        if (!url.startsWith("http://127.0.0.1:") && !url.startsWith("http://localhost:") && !url.startsWith("http://[::1]:")) {
            throw new IllegalArgumentException("peer tests talk to loopback servers only, not " + url);
        }
    }

    Map<String, String> environment() {
        Map<String, String> env = new HashMap<>();
        env.put("PEER_SERVER_KIND", kind);
        env.put("PEER_SERVER_URL", url);
        if (user != null) {
            env.put("PEER_USER", user);
            env.put("PEER_PASSWORD", password == null ? "" : password);
        }
        return env;
    }
}
