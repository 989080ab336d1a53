package dev.arbor.core.rev;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.core.doc.DocumentParser;
import dev.arbor.core.json.Json;
import dev.arbor.testkit.CouchDbPeer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Random JSON bodies get the first revision id a real CouchDB 3.5 gives them, hashed from the bytes Arbor stores
 * for them. Each try sends its bodies to CouchDB in one {@code _bulk_docs}.
 */
@AddLifecycleHook(RevHasherMatchesCouchDbPropertyTest.NeedsCouchDb.class)
class RevHasherMatchesCouchDbPropertyTest {
    private static CouchDbPeer couch;
    private static final AtomicInteger IDS = new AtomicInteger();

    /** Skips with the peer's one line where no CouchDB is installed. */
    public static class NeedsCouchDb implements SkipExecutionHook {
        @Override
        public SkipResult shouldBeSkipped(LifecycleContext context) {
            return CouchDbPeer.available() ? SkipResult.doNotSkip() : SkipResult.skip(CouchDbPeer.unavailableReason());
        }
    }

    private static synchronized CouchDbPeer couch() throws Exception {
        if (couch == null) {
            couch = CouchDbPeer.start(Files.createTempDirectory("revhasher-couchdb"));
            assertEquals(201, couch.request("PUT", "/bodies", null).status());
        }
        return couch;
    }

    @AfterContainer
    static synchronized void stop() {
        if (couch != null) {
            couch.close();
            couch = null;
        }
    }

    @Property(tries = 8, shrinking = net.jqwik.api.ShrinkingMode.OFF)
    void firstRevisionOfARandomBodyIsCouchDbs(@ForAll("batches") List<String> bodies) throws Exception {
        StringBuilder request = new StringBuilder("{\"docs\":[");
        List<String> ids = new ArrayList<>();
        for (String body : bodies) {
            String id = "d" + IDS.incrementAndGet();
            ids.add(id);
            request.append(ids.size() > 1 ? "," : "").append("{\"_id\":\"").append(id).append('"')
                    .append(body.equals("{}") ? "}" : "," + body.substring(1));
        }
        CouchDbPeer.Response response = couch().request("POST", "/bodies/_bulk_docs", request.append("]}").toString());
        assertEquals(201, response.status(), response.body());
        JsonNode results = Json.parse(response.body());
        for (int i = 0; i < bodies.size(); i++) {
            byte[] stored = Json.bytes(Json.parse(bodies.get(i)), DocumentParser::isSpecial);
            String expected = results.get(i).path("rev").asText();
            assertEquals(expected, "1-" + RevHasher.newRevHash(false, null, stored, List.of()),
                    "body " + bodies.get(i) + " stored as " + new String(stored, StandardCharsets.UTF_8));
        }
    }

    @Provide
    Arbitrary<List<String>> batches() {
        return objects(3).list().ofMinSize(100).ofMaxSize(200);
    }

    private Arbitrary<String> objects(int depth) {
        Arbitrary<String> value = depth == 0 ? leaves() : Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, leaves()),
                net.jqwik.api.Tuple.of(1, Arbitraries.lazy(() -> objects(depth - 1))),
                net.jqwik.api.Tuple.of(1, Arbitraries.lazy(() -> arrays(depth - 1))));
        return Arbitraries.maps(keys(), value).ofMaxSize(6).map(members -> {
            StringBuilder json = new StringBuilder("{");
            members.forEach((k, v) -> json.append(json.length() > 1 ? "," : "").append(quote(k)).append(':').append(v));
            return json.append('}').toString();
        });
    }

    private Arbitrary<String> arrays(int depth) {
        Arbitrary<String> element = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(0, 255).map(String::valueOf)),
                net.jqwik.api.Tuple.of(3, leaves()),
                net.jqwik.api.Tuple.of(1, depth == 0 ? leaves() : Arbitraries.lazy(() -> objects(depth - 1))),
                net.jqwik.api.Tuple.of(1, depth == 0 ? leaves() : Arbitraries.lazy(() -> arrays(depth - 1))));
        return element.list().ofMaxSize(6).map(items -> "[" + String.join(",", items) + "]");
    }

    private Arbitrary<String> keys() {
        // Special members are CouchDB's, not the body's: keys never start with an underscore here.
        return text().filter(k -> !k.startsWith("_"));
    }

    private Arbitrary<String> leaves() {
        return Arbitraries.oneOf(
                text().map(RevHasherMatchesCouchDbPropertyTest::quote),
                Arbitraries.of("true", "false", "null", "-0", "0", "1.0", "1e2", "0.0", "-1.5E-3", "2.5e+10"),
                Arbitraries.integers().map(String::valueOf),
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.bigIntegers().between(new java.math.BigInteger("-1" + "0".repeat(40)),
                        new java.math.BigInteger("1" + "0".repeat(40))).map(String::valueOf),
                Arbitraries.doubles().filter(d -> Double.isFinite(d) && d != 0 && Math.abs(d) >= Double.MIN_NORMAL).map(String::valueOf),
                decimals());
    }

    /** Decimal text with a fraction, an exponent or both, within the normal doubles (see RevHasher on the others). */
    private Arbitrary<String> decimals() {
        Arbitrary<String> digits = Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(18);
        return net.jqwik.api.Combinators.combine(
                Arbitraries.of("", "-"), digits, Arbitraries.of("", ".").flatMap(dot -> dot.isEmpty()
                        ? Arbitraries.just("") : digits.map(d -> "." + d)),
                Arbitraries.oneOf(Arbitraries.just(""),
                        Arbitraries.integers().between(-300, 300).map(e -> "e" + e),
                        Arbitraries.integers().between(-30, 30).map(e -> "E+" + Math.abs(e))))
                .as((sign, whole, fraction, exponent) -> sign + stripZeros(whole) + fraction + exponent)
                .filter(t -> (t.contains(".") || t.toLowerCase().contains("e")) && inNormalRange(t)
                        && (t.contains(".") || t.length() < 32));
    }

    private static String stripZeros(String whole) {
        String s = whole.replaceFirst("^0+(?=.)", "");
        return s.isEmpty() ? "0" : s;
    }

    private static boolean inNormalRange(String text) {
        BigDecimal value = new BigDecimal(text);
        if (value.signum() == 0) {
            return !text.startsWith("-"); // -0.0 is stored as 0.0 (see RevHasher)
        }
        double d = Math.abs(value.doubleValue());
        return d >= Double.MIN_NORMAL && d <= Double.MAX_VALUE && !Double.isInfinite(d);
    }

    private Arbitrary<String> text() {
        Arbitrary<Integer> codePoint = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.integers().between(0x20, 0x7E)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0, 0x1F)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0x80, 0xD7FF)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0xE000, 0x10FFFF)));
        return codePoint.list().ofMaxSize(10).map(cps -> {
            StringBuilder s = new StringBuilder();
            cps.forEach(s::appendCodePoint);
            return s.toString();
        });
    }

    /** A JSON string, some characters written as escapes as clients do. */
    private static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        s.codePoints().forEach(cp -> {
            if (cp == '"' || cp == '\\') {
                out.append('\\').appendCodePoint(cp);
            } else if (cp < 0x20 || cp % 7 == 0 && cp > 0x7F && cp < 0x10000) {
                out.append(String.format("\\u%04x", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.append('"').toString();
    }
}
