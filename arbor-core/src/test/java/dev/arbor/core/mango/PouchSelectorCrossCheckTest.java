package dev.arbor.core.mango;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.core.json.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import static dev.arbor.core.mango.MangoJson.j;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Arbor's selectors against PouchDB's ({@code pouchdb-selector-core} 9, what pouchdb-find matches and sorts
 * with in memory): thousands of seeded random selectors over the same random documents must select the same
 * documents, in the same sort-key order when sorted.
 *
 * <p>PouchDB departs from CouchDB in known ways, where Arbor follows CouchDB. The generator stays out of
 * those areas, so that every remaining disagreement is a bug on one side, and
 * {@link #knownDifferencesFromPouchDb} pins each one so that the list stays true:
 * <ol>
 *   <li>Missing fields under negation: PouchDB's {@code $ne} (and so {@code $not}/{@code $nor} of
 *       {@code $eq}) matches a document without the field; CouchDB requires the field. Negations are
 *       generated only on fields every document has.</li>
 *   <li>{@code $in}/{@code $nin} on {@code null}: PouchDB treats a null field as absent, CouchDB compares it.
 *       Fields that get {@code $in}/{@code $nin} are never null.</li>
 *   <li>Strings: pouchdb-collate orders strings by UTF-16 code units, CouchDB by ICU ({@code "a" < "B"});
 *       {@code $regex} runs on UTF-16 in JavaScript and on UTF-8 bytes in CouchDB's PCRE. Strings are
 *       generated from {@code [a-z0-9]}, where all of these agree.</li>
 *   <li>{@code $exists: false} on a bad path ({@code "a.b"} with {@code a: 5}, {@code "arr.3"} past the end):
 *       true in PouchDB, false in CouchDB. {@code $exists} is generated on object members only.</li>
 *   <li>{@code $all} with one array argument also matches that array in CouchDB; PouchDB looks only for it
 *       as an element. CouchDB's {@code $all} uses exact equality ({@code 1 =/= 1.0}), PouchDB collation.
 *       {@code $all} gets scalar arguments, numbers integral.</li>
 *   <li>An empty {@code $or} matches every document in CouchDB 3.x and none in PouchDB. Never generated.</li>
 *   <li>{@code $elemMatch}: PouchDB decides by the first element's type whether the sub-selector names
 *       fields or applies operators; CouchDB applies it to each element as it is. Arrays are generated either
 *       all scalars or all objects, with sub-selectors to suit.</li>
 *   <li>PouchDB merges the clauses of an {@code $and} on one field, and an {@code $eq} (or the later of two
 *       like operators) then replaces the others: {@code [{"a": {"$lt": -2}}, {"a": 2}]} matches
 *       {@code a: 2}. Each generated conjunction names a field once.</li>
 *   <li>PouchDB's massaging wraps a {@code $ne} argument twice inside nested {@code $and}s, so it never
 *       excludes anything there; only one explicit {@code $and} is generated, at the top.</li>
 *   <li>PouchDB skips an implicit equality with a falsy value ({@code {"$or": [{"$not": {"a": false}}]}},
 *       {@code $elemMatch: {"x": false}}) and fails on a {@code null} inside an argument; implicit
 *       equalities are generated truthy, arguments without nulls.</li>
 *   <li>PouchDB has no {@code $not} under a field ({@code {"a": {"$not": {"$gt": 1}}}}: "unknown operator");
 *       {@code $not} is generated at the selector level only.</li>
 *   <li>Integers beyond 2^53 are doubles in JavaScript. Numbers are small.</li>
 *   <li>{@code $beginsWith} and {@code $keyMapMatch} are CouchDB 3.x operators PouchDB 9 lacks; they are
 *       covered by {@link SelectorMatchTest} only.</li>
 * </ol>
 */
class PouchSelectorCrossCheckTest {
    private static final long SEED = 20240611L;
    private static final int DOCS = 160;
    private static final int SELECTORS = 3000;
    private static final int SORTED = 400;
    private static final JsonNodeFactory F = Json.MAPPER.getNodeFactory();

    /** Every document has these, never null: negations and $in/$nin are safe on them. */
    private static final List<String> PRESENT = List.of("a", "b", "n", "s");
    /** Fields that may be missing or null, or paths into them. */
    private static final List<String> ANY_PATH = List.of("a", "b", "n", "s", "f", "g", "o.x", "o.y", "arr", "arr.0", "arr.1", "items");
    private static final List<String> STRINGS = List.of("", "a", "ab", "abc", "b", "ba", "c", "a1", "0", "10", "9", "z");
    private static final List<String> REGEXES = List.of("^a", "b$", "a.*b", "^$", "1", "^[a-c]+$", "^.b");

    private static PouchSelectorCore pouch;

    @BeforeAll
    static void installPouchDb() {
        pouch = PouchSelectorCore.install();
    }

    @Test
    void randomSelectorsMatchTheSameDocumentsAsPouchDb(@TempDir Path work) {
        Random random = new Random(SEED);
        ArrayNode docs = documents(random);
        List<JsonNode> selectors = new ArrayList<>();
        for (int i = 0; i < SELECTORS; i++) {
            selectors.add(selector(random, 2, new HashSet<>()));
        }
        ArrayNode cases = Json.MAPPER.createArrayNode();
        selectors.forEach(selector -> cases.addObject().<ObjectNode>set("selector", selector).putNull("sort"));
        ObjectNode input = Json.object();
        input.set("docs", docs);
        input.set("cases", cases);
        JsonNode results = pouch.run(input, work);

        List<String> disagreements = new ArrayList<>();
        int nonTrivial = 0;
        for (int i = 0; i < selectors.size(); i++) {
            Selector selector = Selector.parse(selectors.get(i));
            ArrayNode ours = Json.MAPPER.createArrayNode();
            docs.forEach(doc -> { if (selector.matches(doc)) ours.add(doc.get("_id")); });
            if (!ours.isEmpty() && ours.size() < DOCS) nonTrivial++;
            if (!ours.equals(results.get(i))) {
                disagreements.add(Json.text(selectors.get(i)) + "\n  first document in dispute: "
                        + firstDisputed(docs, ours, results.get(i)) + "\n  arbor: " + ours + "\n  pouch: " + results.get(i));
            }
        }
        assertEquals(List.of(), disagreements.subList(0, Math.min(10, disagreements.size())),
                disagreements.size() + " of " + SELECTORS + " selectors disagree");
        // The comparison means something only if most selectors split the documents.
        assertTrue(nonTrivial > SELECTORS / 2, "only " + nonTrivial + " selectors split the documents");
    }

    @Test
    void randomSortedQueriesReturnTheSameSortKeysInTheSameOrderAsPouchDb(@TempDir Path work) {
        Random random = new Random(SEED + 1);
        ArrayNode docs = documents(random);
        List<JsonNode> selectors = new ArrayList<>();
        List<JsonNode> sorts = new ArrayList<>();
        ArrayNode cases = Json.MAPPER.createArrayNode();
        for (int i = 0; i < SORTED; i++) {
            JsonNode selector = selector(random, 1, new HashSet<>());
            List<String> fields = random.nextBoolean() ? List.of(pick(random, List.of("n", "s", "a"))) : List.of("n", "s");
            String direction = random.nextBoolean() ? "asc" : "desc";
            ArrayNode sort = Json.MAPPER.createArrayNode();
            fields.forEach(field -> sort.addObject().put(field, direction));
            selectors.add(selector);
            sorts.add(sort);
            cases.addObject().<ObjectNode>set("selector", selector).set("sort", sort);
        }
        ObjectNode input = Json.object();
        input.set("docs", docs);
        input.set("cases", cases);
        JsonNode results = pouch.run(input, work);

        for (int i = 0; i < SORTED; i++) {
            Selector selector = Selector.parse(selectors.get(i));
            Sort sort = Sort.parse(sorts.get(i));
            List<JsonNode> ours = new ArrayList<>();
            docs.forEach(doc -> { if (selector.matches(doc)) ours.add(doc); });
            ours.sort(sort.comparator());
            List<JsonNode> theirs = new ArrayList<>();
            results.get(i).forEach(id -> theirs.add(docs.get(Integer.parseInt(id.textValue().substring(1)))));
            assertEquals(sortKeys(ours, sort), sortKeys(theirs, sort),
                    Json.text(selectors.get(i)) + " sorted by " + Json.text(sorts.get(i)) + ": " + ours);
        }
    }

    @Test
    void knownDifferencesFromPouchDb(@TempDir Path work) {
        // Each case: selector, document, what CouchDB (and Arbor) answers; PouchDB answers the opposite.
        List<String[]> known = List.of(
                new String[]{"{'a': {'$ne': 1}}", "{'_id': 'd0'}", "false"},
                new String[]{"{'$nor': [{'a': 1}]}", "{'_id': 'd0'}", "false"},
                new String[]{"{'a': {'$in': [null]}}", "{'_id': 'd0', 'a': null}", "true"},
                new String[]{"{'a': {'$nin': [1]}}", "{'_id': 'd0', 'a': null}", "true"},
                new String[]{"{'a': {'$lt': 'B'}}", "{'_id': 'd0', 'a': 'a'}", "true"},
                new String[]{"{'a': 'caf\\u00e9'}", "{'_id': 'd0', 'a': 'cafe\\u0301'}", "true"},
                new String[]{"{'a': {'$regex': '^.$'}}", "{'_id': 'd0', 'a': '\\u00e9'}", "false"},
                new String[]{"{'a.b': {'$exists': false}}", "{'_id': 'd0', 'a': 5}", "false"},
                new String[]{"{'a': {'$all': [[1, 2]]}}", "{'_id': 'd0', 'a': [1, 2]}", "true"},
                new String[]{"{'a': {'$all': [1]}}", "{'_id': 'd0', 'a': [1.0]}", "false"},
                new String[]{"{'$or': []}", "{'_id': 'd0'}", "true"},
                new String[]{"{'a': {'$elemMatch': {'$eq': 5}}}", "{'_id': 'd0', 'a': [{'x': 1}, 5]}", "true"},
                new String[]{"{'$and': [{'a': {'$lt': -2}}, {'a': 2}]}", "{'_id': 'd0', 'a': 2}", "false"},
                new String[]{"{'$or': [{'$not': {'a': false}}]}", "{'_id': 'd0', 'a': 1}", "true"},
                new String[]{"{'$and': [{'$and': [{'a': {'$ne': 1}}, {'b': 1}]}]}", "{'_id': 'd0', 'a': 1, 'b': 1}", "false"},
                new String[]{"{'a': {'$elemMatch': {'x': false}}}", "{'_id': 'd0', 'a': [{'x': 1}]}", "false"},
                new String[]{"{'a': 9007199254740993}", "{'_id': 'd0', 'a': 9007199254740992}", "false"});
        ArrayNode cases = Json.MAPPER.createArrayNode();
        ArrayNode docs = Json.MAPPER.createArrayNode();
        known.forEach(k -> cases.addObject().<ObjectNode>set("selector", j(k[0])).putNull("sort"));
        List<JsonNode> pouchAnswers = new ArrayList<>();
        for (int i = 0; i < known.size(); i++) {
            ObjectNode oneDoc = Json.object();
            oneDoc.set("docs", Json.MAPPER.createArrayNode().add(j(known.get(i)[1])));
            oneDoc.set("cases", Json.MAPPER.createArrayNode().add(cases.get(i)));
            pouchAnswers.add(pouch.run(oneDoc, work).get(0));
        }
        for (int i = 0; i < known.size(); i++) {
            String[] k = known.get(i);
            boolean couch = Boolean.parseBoolean(k[2]);
            assertEquals(couch, MangoJson.matches(k[0], k[1]), "Arbor follows CouchDB on " + k[0]);
            assertEquals(!couch, !pouchAnswers.get(i).isEmpty(), "PouchDB still differs on " + k[0] + " / " + k[1]);
        }
    }

    private static String firstDisputed(ArrayNode docs, JsonNode ours, JsonNode theirs) {
        for (JsonNode doc : docs) {
            boolean inOurs = false;
            boolean inTheirs = false;
            for (JsonNode id : ours) inOurs |= id.equals(doc.get("_id"));
            for (JsonNode id : theirs) inTheirs |= id.equals(doc.get("_id"));
            if (inOurs != inTheirs) return Json.text(doc);
        }
        return "(none)";
    }

    // ---- generators ---------------------------------------------------------------------------------------

    private static ArrayNode documents(Random random) {
        ArrayNode docs = Json.MAPPER.createArrayNode();
        for (int i = 0; i < DOCS; i++) {
            ObjectNode doc = docs.addObject();
            doc.put("_id", String.format("d%03d", i));
            doc.set("a", value(random, 2, false));
            doc.set("b", value(random, 1, false));
            doc.put("n", random.nextInt(11) - 5);
            doc.put("s", pick(random, STRINGS));
            if (random.nextInt(3) > 0) doc.set("f", value(random, 1, true));
            if (random.nextInt(3) == 0) doc.set("g", value(random, 0, true));
            if (random.nextInt(4) > 0) {
                ObjectNode o = doc.putObject("o");
                o.set("x", scalar(random, true));
                if (random.nextBoolean()) o.set("y", value(random, 1, true));
            }
            if (random.nextInt(4) > 0) {
                ArrayNode arr = doc.putArray("arr");
                for (int k = random.nextInt(4); k > 0; k--) arr.add(scalar(random, true));
            }
            if (random.nextInt(4) > 0) {
                ArrayNode items = doc.putArray("items");
                for (int k = random.nextInt(4); k > 0; k--) {
                    ObjectNode item = items.addObject();
                    item.set("x", scalar(random, false));
                    if (random.nextBoolean()) item.set("y", scalar(random, false));
                }
            }
        }
        return docs;
    }

    /** Any JSON value; nested arrays and objects up to {@code depth}. */
    private static JsonNode value(Random random, int depth, boolean nullable) {
        int kind = random.nextInt(depth > 0 ? 8 : 6);
        if (kind == 6) {
            ArrayNode array = Json.MAPPER.createArrayNode();
            for (int k = random.nextInt(4); k > 0; k--) array.add(value(random, depth - 1, true));
            return array;
        }
        if (kind == 7) {
            ObjectNode object = Json.object();
            for (String name : List.of("x", "y")) if (random.nextBoolean()) object.set(name, value(random, depth - 1, true));
            return object;
        }
        return scalar(random, nullable);
    }

    private static JsonNode scalar(Random random, boolean nullable) {
        return switch (random.nextInt(nullable ? 6 : 5)) {
            case 0 -> F.booleanNode(random.nextBoolean());
            case 1, 2 -> F.numberNode(random.nextInt(9) - 4);
            case 3 -> F.numberNode(new java.math.BigDecimal(pick(random, List.of("1.5", "-0.5", "2.25", "0.1"))));
            case 4 -> F.textNode(pick(random, STRINGS));
            default -> F.nullNode();
        };
    }

    /**
     * A random selector. {@code scope} holds the fields (and combinator keys) already used in the
     * enclosing conjunction: PouchDB merges the clauses of an {@code $and} field by field and then lets
     * {@code $eq}, or the last of two like operators, override the others (known difference), so a
     * conjunction names each field once.
     */
    private static JsonNode selector(Random random, int depth, Set<String> scope) {
        int kind = random.nextInt(depth > 0 ? 10 : 6);
        JsonNode generated = switch (kind) {
            case 0, 1, 2 -> {
                String path = fresh(random, ANY_PATH, scope);
                yield path == null ? null : field(path, positive(random, path.equals("items") ? Kind.OBJECTS : pathKind(random)));
            }
            case 3 -> {
                String path = fresh(random, PRESENT, scope);
                yield path == null ? null : field(path, negative(random));
            }
            case 4 -> {
                String first = fresh(random, List.of("a", "n", "s"), scope);
                String second = fresh(random, List.of("f", "o.x", "arr"), scope);
                if (first == null || second == null) yield null;
                ObjectNode implicitAnd = Json.object();
                implicitAnd.set(first, positive(random, Kind.SCALARS));
                implicitAnd.set(second, positive(random, Kind.SCALARS));
                yield implicitAnd;
            }
            case 5 -> {
                String path = fresh(random, List.of("arr", "items"), scope);
                yield path == null ? null : field(path, path.equals("arr") ? elemMatchOnScalars(random) : elemMatchOnObjects(random));
            }
            case 6 -> {
                // One explicit $and, at the top: PouchDB double-wraps $ne inside nested ones (known difference).
                if (depth < 2 || !scope.add("$and")) yield null;
                ObjectNode and = Json.object();
                ArrayNode clauses = and.putArray("$and");
                for (int k = 1 + random.nextInt(2); k > 0; k--) clauses.add(selector(random, depth - 1, scope));
                yield and;
            }
            case 7 -> scope.add("$or") ? combinator("$or", random, depth) : null;
            case 8 -> scope.add("$nor") ? combinator("$nor", random, depth) : null;
            default -> {
                if (!scope.add("$not")) yield null;
                ObjectNode not = Json.object();
                not.set("$not", field(pick(random, PRESENT), positive(random, Kind.SCALARS)));
                yield not;
            }
        };
        if (generated != null) return generated;
        // The conjunction has used up what this kind needs: fall back to a clause that holds for every doc.
        if (scope.add("_id")) return field("_id", Json.object().put("$gte", ""));
        ObjectNode alwaysTrue = Json.object();
        alwaysTrue.putArray(scope.add("$nor") ? "$nor" : "$and");
        return alwaysTrue;
    }

    private static JsonNode combinator(String operator, Random random, int depth) {
        ObjectNode node = Json.object();
        ArrayNode clauses = node.putArray(operator);
        for (int k = 1 + random.nextInt(3); k > 0; k--) {
            // $nor negates: only on fields every document has. Each branch is a conjunction of its own.
            clauses.add(operator.equals("$nor")
                    ? field(pick(random, PRESENT), positive(random, Kind.SCALARS))
                    : selector(random, depth - 1, new HashSet<>()));
        }
        return node;
    }

    private static String fresh(Random random, List<String> options, Set<String> scope) {
        List<String> unused = options.stream().filter(option -> !scope.contains(option)).toList();
        if (unused.isEmpty()) return null;
        String picked = pick(random, unused);
        scope.add(picked);
        return picked;
    }

    /** What the generated condition may assume: scalar values, arrays of scalars, or arrays of objects. */
    private enum Kind { SCALARS, ARRAY, OBJECTS }

    private static Kind pathKind(Random random) {
        return random.nextInt(4) == 0 ? Kind.ARRAY : Kind.SCALARS;
    }

    /** A condition that fails on a missing field in CouchDB and PouchDB alike. */
    private static JsonNode positive(Random random, Kind kind) {
        ObjectNode condition = Json.object();
        switch (random.nextInt(kind == Kind.ARRAY ? 14 : kind == Kind.OBJECTS ? 13 : 11)) {
            case 0 -> { return truthyScalar(random); } // implicit $eq: PouchDB ignores falsy ones (known difference)
            case 1 -> condition.set("$eq", argument(random, 1));
            case 2 -> condition.set("$gt", scalar(random, true));
            case 3 -> condition.set("$gte", scalar(random, true));
            case 4 -> condition.set("$lt", scalar(random, true));
            case 5 -> {
                condition.set("$gte", scalar(random, false));
                condition.set("$lte", scalar(random, false));
            }
            case 6 -> condition.put("$type", pick(random, List.of("null", "boolean", "number", "string", "array", "object")));
            case 7 -> condition.put("$regex", pick(random, REGEXES));
            case 8 -> condition.putArray("$mod").add(2 + random.nextInt(3)).add(random.nextInt(4) - 1);
            case 9 -> condition.put("$exists", true);
            case 10 -> condition.set("$lte", argument(random, 1));
            case 11 -> condition.put("$size", random.nextInt(4));
            case 12 -> {
                ArrayNode all = condition.putArray("$all");
                for (int k = 1 + random.nextInt(2); k > 0; k--) all.add(integerOrString(random));
            }
            default -> condition.set("$allMatch", scalarCondition(random));
        }
        return condition;
    }

    /** A negation, on a field every document has (never null). */
    private static JsonNode negative(Random random) {
        ObjectNode condition = Json.object();
        switch (random.nextInt(3)) {
            case 0 -> condition.set("$ne", scalar(random, false));
            case 1 -> {
                ArrayNode nin = condition.putArray("$nin");
                for (int k = random.nextInt(3); k > 0; k--) nin.add(scalar(random, false));
            }
            default -> {
                ArrayNode in = condition.putArray("$in");
                for (int k = 1 + random.nextInt(3); k > 0; k--) in.add(scalar(random, false));
            }
        }
        return condition;
    }

    private static JsonNode elemMatchOnScalars(Random random) {
        ObjectNode condition = Json.object();
        condition.set("$elemMatch", scalarCondition(random));
        return condition;
    }

    private static JsonNode elemMatchOnObjects(Random random) {
        ObjectNode condition = Json.object();
        ObjectNode sub = condition.putObject("$elemMatch");
        sub.set("x", positive(random, Kind.SCALARS));
        if (random.nextBoolean()) sub.set("y", positive(random, Kind.SCALARS) instanceof ObjectNode o ? o : scalarCondition(random));
        return condition;
    }

    private static ObjectNode scalarCondition(Random random) {
        ObjectNode condition = Json.object();
        condition.set(pick(random, List.of("$gt", "$lte", "$eq")), scalar(random, false));
        if (random.nextBoolean()) condition.set("$type", F.textNode(pick(random, List.of("number", "string"))));
        return condition;
    }

    private static JsonNode truthyScalar(Random random) {
        return switch (random.nextInt(3)) {
            case 0 -> F.booleanNode(true);
            case 1 -> F.numberNode((1 + random.nextInt(4)) * (random.nextBoolean() ? 1 : -1));
            default -> F.textNode(pick(random, STRINGS.subList(1, STRINGS.size())));
        };
    }

    /** A value for a selector argument: PouchDB's selector massaging fails on a null nested in one. */
    private static JsonNode argument(Random random, int depth) {
        int kind = random.nextInt(depth > 0 ? 7 : 5);
        if (kind == 5) {
            ArrayNode array = Json.MAPPER.createArrayNode();
            for (int k = random.nextInt(3); k > 0; k--) array.add(argument(random, depth - 1));
            return array;
        }
        if (kind == 6) {
            ObjectNode object = Json.object();
            for (String name : List.of("x", "y")) if (random.nextBoolean()) object.set(name, argument(random, depth - 1));
            return object;
        }
        return scalar(random, false);
    }

    private static JsonNode integerOrString(Random random) {
        return random.nextBoolean() ? F.numberNode(random.nextInt(9) - 4) : F.textNode(pick(random, STRINGS));
    }

    private static ObjectNode field(String path, JsonNode condition) {
        ObjectNode node = Json.object();
        node.set(path, condition);
        return node;
    }

    private static <T> T pick(Random random, List<T> options) {
        return options.get(random.nextInt(options.size()));
    }

    private static List<String> sortKeys(List<JsonNode> docs, Sort sort) {
        return docs.stream().map(doc -> sort.names().stream()
                .map(name -> String.valueOf(FieldPath.parse(name).lookup(doc))).toList().toString()).toList();
    }
}
