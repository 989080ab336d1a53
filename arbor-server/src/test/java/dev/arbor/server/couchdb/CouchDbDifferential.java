package dev.arbor.server.couchdb;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.core.json.Json;
import dev.arbor.testkit.CouchDbPeer;

import java.nio.file.Path;
import java.util.Map;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The same request sent to a real CouchDB and to Arbor, and their answers compared: the status, and the
 * shape of the JSON body (the same members, recursively, arrays of the same length, values of the same
 * JSON type), with the {@code error} token compared exactly. Values that differ by nature between two
 * servers (revisions of different histories, uuids, sequences, timestamps) are not compared; a test that
 * needs a value equal says so with {@link Answers#assertSameValue}.
 */
public final class CouchDbDifferential implements AutoCloseable {
    private final CouchDbPeer couch;
    private final ServedArbor arbor;

    private CouchDbDifferential(CouchDbPeer couch, ServedArbor arbor) {
        this.couch = couch;
        this.arbor = arbor;
    }

    public static CouchDbDifferential start(Path dir) {
        CouchDbPeer couch = CouchDbPeer.start(dir.resolve("couchdb"));
        try {
            return new CouchDbDifferential(couch, ServedArbor.start(dir.resolve("arbor")));
        } catch (RuntimeException e) {
            couch.close();
            throw e;
        }
    }

    public CouchDbPeer couch() {
        return couch;
    }

    public ServedArbor arbor() {
        return arbor;
    }

    /** Sends the request to both, as the admin. */
    public Answers send(String method, String path, String body) {
        return new Answers(method + " " + path, couch.request(method, path, body), arbor.request(method, path, body));
    }

    /** Sends the request to both, anonymously. */
    public Answers sendAnonymous(String method, String path, String body) {
        return new Answers(method + " " + path, couch.request(method, path, body, false), arbor.request(method, path, body, false));
    }

    /**
     * Sends the request to both with exactly these headers (no credentials unless given): for what the
     * admin and anonymous forms cannot say, such as a malformed {@code Authorization} header or another user.
     */
    public Answers sendWithHeaders(String method, String path, String body, Map<String, String> headers) {
        return new Answers(method + " " + path + " " + headers,
                raw(couch.url(), method, path, body, headers), raw(arbor.url(), method, path, body, headers));
    }

    /** Like {@link #sendWithHeaders}, but each server gets its own body (one naming its own revision, say). */
    public Answers sendEach(String method, String path, String couchBody, String arborBody, Map<String, String> headers) {
        return new Answers(method + " " + path + " " + headers,
                raw(couch.url(), method, path, couchBody, headers), raw(arbor.url(), method, path, arborBody, headers));
    }

    private static CouchDbPeer.Response raw(String base, String method, String path, String body, Map<String, String> headers) {
        return CouchDbPeer.send(base, method, path, body, headers);
    }

    /** {@code Basic} credentials for {@code name:password}, as a header map for {@link #sendWithHeaders}. */
    public static Map<String, String> basic(String name, String password) {
        return CouchDbPeer.basicAuth(name, password);
    }

    /** Sends the request to both and asserts the same status and body shape. */
    public Answers assertSame(String method, String path, String body) {
        return send(method, path, body).assertSameShape();
    }

    /** CouchDB's answer and Arbor's to one request. */
    public record Answers(String request, CouchDbPeer.Response couch, CouchDbPeer.Response arbor) {
        public Answers assertSameShape() {
            assertEquals(couch.status(), arbor.status(), () -> describe("status"));
            List<String> differences = new ArrayList<>();
            compare("$", parse(couch.body()), parse(arbor.body()), differences);
            if (!differences.isEmpty()) {
                fail(describe(String.join("; ", differences)));
            }
            return this;
        }

        /** The value at a JSON pointer ({@code /reason}) is equal on both. */
        public Answers assertSameValue(String pointer) {
            assertEquals(parse(couch.body()).at(pointer), parse(arbor.body()).at(pointer), () -> describe(pointer));
            return this;
        }

        public JsonNode couchJson() {
            return parse(couch.body());
        }

        public JsonNode arborJson() {
            return parse(arbor.body());
        }

        private String describe(String what) {
            return request + ": " + what + "\n  couchdb " + couch.status() + " " + abbreviate(couch.body())
                    + "\n  arbor   " + arbor.status() + " " + abbreviate(arbor.body());
        }
    }

    private static JsonNode parse(String body) {
        try {
            return body == null || body.isBlank() ? Json.object() : Json.parse(body);
        } catch (RuntimeException notJson) {
            return Json.object().put("(not JSON)", body.length());
        }
    }

    private static void compare(String at, JsonNode couch, JsonNode arbor, List<String> differences) {
        if (couch.getNodeType() != arbor.getNodeType()) {
            differences.add(at + ": " + couch.getNodeType() + " vs " + arbor.getNodeType());
            return;
        }
        if (couch.isObject()) {
            TreeSet<String> couchKeys = names(couch);
            TreeSet<String> arborKeys = names(arbor);
            if (!couchKeys.equals(arborKeys)) {
                differences.add(at + ": members " + couchKeys + " vs " + arborKeys);
            }
            for (String key : couchKeys) {
                if (arbor.has(key)) {
                    if (key.equals("error") && !couch.get(key).equals(arbor.get(key))) {
                        differences.add(at + ".error: " + couch.get(key) + " vs " + arbor.get(key));
                    }
                    compare(at + "." + key, couch.get(key), arbor.get(key), differences);
                }
            }
        } else if (couch.isArray()) {
            if (couch.size() != arbor.size()) {
                differences.add(at + ": " + couch.size() + " elements vs " + arbor.size());
            }
            for (int i = 0; i < Math.min(couch.size(), arbor.size()); i++) {
                compare(at + "[" + i + "]", couch.get(i), arbor.get(i), differences);
            }
        }
    }

    private static TreeSet<String> names(JsonNode object) {
        TreeSet<String> names = new TreeSet<>();
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    private static String abbreviate(String body) {
        return body == null ? "" : body.length() > 600 ? body.substring(0, 600) + "…" : body;
    }

    @Override
    public void close() {
        try {
            arbor.close();
        } finally {
            couch.close();
        }
    }
}
