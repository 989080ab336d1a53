package dev.arbor.server.couchdb;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.core.json.Json;
import dev.arbor.testkit.CouchDbPeer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One server of an interop pair (the real CouchDB or Arbor), spoken to over HTTP as the admin both share,
 * with what the replication proofs need beyond {@link CouchDbPeer#request}: binary attachment bodies, ids
 * that must be escaped in a path, and answers that must succeed.
 */
record Side(String name, String url, HttpClient http) {
    private static final String AUTH = "Basic " + Base64.getEncoder().encodeToString(
            (CouchDbPeer.ADMIN + ":" + CouchDbPeer.PASSWORD).getBytes(StandardCharsets.UTF_8));

    static Side couch(CouchDbPeer couch) {
        return new Side("couchdb", couch.url(), client());
    }

    static Side arbor(ServedArbor arbor) {
        return new Side("arbor", arbor.url(), client());
    }

    private static HttpClient client() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** {@code http://admin:secret@host:port/db}: how a replication names this side's database. */
    String dbUrl(String db) {
        return url.replace("://", "://" + CouchDbPeer.ADMIN + ":" + CouchDbPeer.PASSWORD + "@") + "/" + db;
    }

    /** The path of a document: its id escaped as one segment, except the {@code _design/} prefix. */
    static String docPath(String db, String id) {
        if (id.startsWith("_design/") || id.startsWith("_local/")) {
            int slash = id.indexOf('/');
            return "/" + db + "/" + id.substring(0, slash + 1) + segment(id.substring(slash + 1));
        }
        return "/" + db + "/" + segment(id);
    }

    static String segment(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    CouchDbPeer.Response request(String method, String path, String body) {
        HttpResponse<byte[]> r = send(method, path, body, "application/json");
        return new CouchDbPeer.Response(r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
    }

    /** A request that must succeed (2xx); its JSON answer. */
    JsonNode json(String method, String path, String body) {
        CouchDbPeer.Response r = request(method, path, body);
        assertTrue(r.status() / 100 == 2, () -> name + " " + method + " " + path + ": " + r.status() + " " + r.body());
        return Json.parse(r.body());
    }

    JsonNode get(String path) {
        return json("GET", path, null);
    }

    /** The bytes of an attachment (or any body), which must be there. */
    byte[] bytes(String path) {
        HttpResponse<byte[]> r = send("GET", path, null, "*/*");
        assertTrue(r.statusCode() == 200, () -> name + " GET " + path + ": " + r.statusCode());
        return r.body();
    }

    private HttpResponse<byte[]> send(String method, String path, String body, String accept) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(120))
                .header("Authorization", AUTH).header("Accept", accept)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(name + " " + method + " " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
