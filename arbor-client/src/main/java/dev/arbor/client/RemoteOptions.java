package dev.arbor.client;

import java.net.http.HttpClient;
import java.time.Duration;

/**
 * How a {@link RemoteStorage} talks to its server.
 *
 * @param username       who to log in as; null means anonymous (or the URL's userinfo, when it has one)
 * @param password       the password of {@code username}
 * @param auth           {@link Auth#BASIC} sends the credentials on every request; {@link Auth#COOKIE} logs in
 *                       once with {@code POST /_session} and sends the {@code AuthSession} cookie, logging in
 *                       again when the server answers 401 (the session expired)
 * @param httpVersion    the HTTP version to ask for; null picks HTTP/2 for {@code https} (negotiated, with a
 *                       fall-back to HTTP/1.1) and HTTP/1.1 for plain {@code http}, where HTTP/2 would need an
 *                       {@code h2c} upgrade that CouchDB and most of its look-alikes do not speak
 * @param connectTimeout how long to wait for a connection to open
 * @param pinnedCertificate for {@code https}: the SHA-256 fingerprint ({@code AB:CD:...}, colons and case optional)
 *                       of the one certificate the server may present, trusted instead of the certificate
 *                       authorities (a self-signed server's, as {@code arbor serve} prints it); null verifies the
 *                       server's certificate against the JDK's trusted authorities and its host name
 */
public record RemoteOptions(String username, String password, Auth auth, HttpClient.Version httpVersion,
                            Duration connectTimeout, String pinnedCertificate) {

    public enum Auth { BASIC, COOKIE }

    public static final RemoteOptions DEFAULT = new RemoteOptions(null, null, Auth.BASIC, null, Duration.ofSeconds(10), null);

    public RemoteOptions {
        auth = auth == null ? Auth.BASIC : auth;
        connectTimeout = connectTimeout == null ? Duration.ofSeconds(10) : connectTimeout;
    }

    public RemoteOptions credentials(String user, String pass) { return new RemoteOptions(user, pass, auth, httpVersion, connectTimeout, pinnedCertificate); }
    public RemoteOptions auth(Auth value) { return new RemoteOptions(username, password, value, httpVersion, connectTimeout, pinnedCertificate); }
    public RemoteOptions httpVersion(HttpClient.Version value) { return new RemoteOptions(username, password, auth, value, connectTimeout, pinnedCertificate); }
    public RemoteOptions connectTimeout(Duration value) { return new RemoteOptions(username, password, auth, httpVersion, value, pinnedCertificate); }
    public RemoteOptions pinnedCertificate(String sha256) { return new RemoteOptions(username, password, auth, httpVersion, connectTimeout, sha256); }

    @Override
    public String toString() {
        // Never print the password (options end up in logs and exception messages).
        return "RemoteOptions[username=" + username + ", auth=" + auth + ", httpVersion=" + httpVersion
                + ", connectTimeout=" + connectTimeout + ", pinnedCertificate=" + pinnedCertificate + "]";
    }
}
