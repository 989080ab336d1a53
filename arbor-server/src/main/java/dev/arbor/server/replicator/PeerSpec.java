package dev.arbor.server.replicator;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.core.error.ArborException;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/**
 * One end of a replication as a {@code _replicate} body or a {@code _replicator} document names it:
 * a database of this server by name, or a database at a URL.
 *
 * <p>CouchDB 3 only takes URLs (it dropped local names in 3.0); Arbor also takes a bare name, as
 * CouchDB 1.x and PouchDB-server do, because an embedded server replicating between its own databases
 * should not have to call itself over HTTP.
 */
public sealed interface PeerSpec {

    /** How the peer shows in {@code _active_tasks} and {@code _scheduler}: credentials masked as CouchDB masks them. */
    String display();

    /** A database of this server. */
    record Local(String name) implements PeerSpec {
        @Override
        public String display() {
            return name;
        }
    }

    /**
     * A database at {@code server} (its root URL, without user info) named {@code dbName}.
     *
     * @param username          null for anonymous
     * @param pinnedCertificate for {@code https}: the SHA-256 fingerprint of the one certificate trusted instead of
     *                          the certificate authorities (a self-signed Arbor server's); null for none
     */
    record Remote(URI server, String dbName, String username, String password, String pinnedCertificate)
            implements PeerSpec {
        @Override
        public String display() {
            String root = server.toString();
            if (username != null) {
                root = server.getScheme() + "://" + username + ":*****@" + root.substring(server.getScheme().length() + 3);
            }
            return root + encodeSegment(dbName) + "/";
        }

        @Override
        public String toString() {
            // Never print the password: specs end up in logs.
            return "Remote[" + display() + "]";
        }
    }

    /**
     * Reads {@code source} or {@code target}: a string (a name or a URL), or an object with {@code url}
     * and optionally {@code headers.Authorization} (Basic) or {@code auth.basic.{username,password}}, and Arbor's
     * {@code pinned_certificate} (a SHA-256 fingerprint, for an {@code https} peer with a self-signed certificate).
     * User info in the URL logs in too; an explicit header or auth object wins over it.
     */
    static PeerSpec parse(JsonNode node, String field) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            throw new ArborException.BadRequest("bad_request", "Missing `" + field + "`");
        }
        if (node.isTextual()) {
            return parseLocation(node.textValue(), null, null, field);
        }
        if (!node.isObject() || !node.path("url").isTextual()) {
            throw new ArborException.BadRequest("bad_request", "`" + field + "` must be a database name, a URL, or an object with a `url`");
        }
        String username = null;
        String password = null;
        JsonNode basic = node.path("auth").path("basic");
        if (basic.isObject()) {
            username = requireText(basic.get("username"), field + ".auth.basic.username");
            password = requireText(basic.get("password"), field + ".auth.basic.password");
        }
        JsonNode authorization = headerIgnoringCase(node.path("headers"), "Authorization");
        if (authorization != null) {
            String[] credentials = basicCredentials(authorization.asText(), field);
            username = credentials[0];
            password = credentials[1];
        }
        PeerSpec peer = parseLocation(node.get("url").textValue(), username, password, field);
        JsonNode pin = node.get("pinned_certificate");
        if (pin == null || pin.isNull()) {
            return peer;
        }
        if (!(peer instanceof Remote remote) || !pin.isTextual()) {
            throw new ArborException.BadRequest("bad_request", "`" + field
                    + ".pinned_certificate` is the SHA-256 fingerprint of an https peer's certificate");
        }
        return new Remote(remote.server(), remote.dbName(), remote.username(), remote.password(), pin.textValue());
    }

    private static PeerSpec parseLocation(String location, String username, String password, String field) {
        String lower = location.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
            if (username != null) {
                throw new ArborException.BadRequest("bad_request", "`" + field + "` names a local database: credentials make no sense there");
            }
            return new Local(location);
        }
        URI uri;
        try {
            uri = new URI(location);
        } catch (URISyntaxException e) {
            throw new ArborException.BadRequest("bad_request", "`" + field + "` is not a valid URL: " + e.getReason());
        }
        if (uri.getHost() == null) {
            throw new ArborException.BadRequest("bad_request", "`" + field + "` is not a valid URL: no host");
        }
        if (username == null && uri.getRawUserInfo() != null) {
            String info = uri.getRawUserInfo();
            int colon = info.indexOf(':');
            username = decode(colon < 0 ? info : info.substring(0, colon));
            password = colon < 0 ? "" : decode(info.substring(colon + 1));
        }
        String rawPath = uri.getRawPath() == null ? "" : uri.getRawPath();
        String trimmed = rawPath.endsWith("/") ? rawPath.substring(0, rawPath.length() - 1) : rawPath;
        int slash = trimmed.lastIndexOf('/');
        String rawName = trimmed.substring(slash + 1);
        if (rawName.isEmpty()) {
            throw new ArborException.BadRequest("bad_request", "`" + field + "` URL names no database");
        }
        try {
            URI server = new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), null, null, null)
                    .resolve(trimmed.substring(0, slash + 1));
            return new Remote(server, decode(rawName), username, password, null);
        } catch (URISyntaxException e) {
            throw new ArborException.BadRequest("bad_request", "`" + field + "` is not a valid URL: " + e.getReason());
        }
    }

    private static JsonNode headerIgnoringCase(JsonNode headers, String name) {
        if (!headers.isObject()) {
            return null;
        }
        for (var entry : headers.properties()) {
            if (entry.getKey().equalsIgnoreCase(name)) {
                return entry.getValue();
            }
        }
        return null;
    }

    /** The remote client signs requests itself, so a header is only taken when it is Basic and can be decoded. */
    private static String[] basicCredentials(String header, String field) {
        if (!header.regionMatches(true, 0, "Basic ", 0, 6)) {
            throw new ArborException.BadRequest("bad_request", "`" + field + "` headers: only Basic Authorization is supported");
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ArborException.BadRequest("bad_request", "`" + field + "` headers: Authorization is not valid Base64");
        }
        int colon = decoded.indexOf(':');
        return colon < 0 ? new String[] {decoded, ""} : new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
    }

    private static String requireText(JsonNode node, String name) {
        if (node == null || !node.isTextual()) {
            throw new ArborException.BadRequest("bad_request", "`" + name + "` must be a string");
        }
        return node.textValue();
    }

    private static String decode(String text) {
        // URLDecoder reads '+' as a space, which in a URL path or user info it is not.
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String encodeSegment(String name) {
        return java.net.URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
