package dev.arbor.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * A database's URL taken apart as {@code Arbor.open(url)} reads it, whatever the scheme (http, https, ws, wss): the
 * server's URL and the database's name, its last path segment, percent-decoded ({@code a%2Fb} is {@code a/b}; a
 * {@code +} stays a plus, as CouchDB's database names allow it).
 */
record DatabaseUrl(URI server, String name) {

    /** {@code location} as a database's URL. */
    static DatabaseUrl ofDatabase(String location) {
        URI uri = server(location);
        String rawPath = uri.getRawPath() == null ? "" : uri.getRawPath();
        String trimmed = rawPath.endsWith("/") ? rawPath.substring(0, rawPath.length() - 1) : rawPath;
        int slash = trimmed.lastIndexOf('/');
        String rawName = trimmed.substring(slash + 1);
        if (rawName.isEmpty()) {
            throw new IllegalArgumentException("the URL names no database: " + redacted(uri));
        }
        String name = URLDecoder.decode(rawName.replace("+", "%2B"), StandardCharsets.UTF_8);
        return new DatabaseUrl(uri.resolve(trimmed.substring(0, slash + 1)), name);
    }

    /** {@code location} as a server's URL: it must parse and name a host. */
    static URI server(String location) {
        try {
            URI uri = new URI(location);
            if (uri.getHost() == null) {
                throw new IllegalArgumentException("not a server URL (no host): " + uri.getScheme() + "://…");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a valid URL: " + e.getReason(), e);
        }
    }

    /** The URL without its credentials, for errors. */
    private static String redacted(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + uri.getRawPath();
    }
}
