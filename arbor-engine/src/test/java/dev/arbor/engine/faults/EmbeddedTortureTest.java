package dev.arbor.engine.faults;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.Arbor;
import dev.arbor.ArborOptions;
import dev.arbor.options.EncryptionOptions;
import dev.arbor.options.VaultKeyStorage;
import dev.arbor.api.AllDocsOptions;
import dev.arbor.api.ChangesOptions;
import dev.arbor.api.Database;
import dev.arbor.api.DbInfo;
import dev.arbor.api.RevsDiff;
import dev.arbor.api.find.FindRequest;
import dev.arbor.api.find.IndexDefinition;
import dev.arbor.api.view.ViewQuery;
import dev.arbor.api.view.ViewRow;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Embedded-mode torture: {@link EmbeddedTortureMain} in a child JVM writes through {@code Arbor.open(dir)} (single
 * puts and updates, {@code _bulk_docs}, inline attachments, {@code _local} docs, deletes, {@code new_edits=false}
 * conflicts, Mango and view queries that bring their indexes up to date) and is SIGKILLed after a random 0.3–1.3 s,
 * over and over. After each kill, on the same directory:
 * <ul>
 *   <li>every acknowledged revision is in its document's tree ({@code revs_diff} reports none missing);</li>
 *   <li>every acknowledged attachment whose revision still wins reads back with the same SHA-256;</li>
 *   <li>every acknowledged {@code _local} doc is at its revision or a later one;</li>
 *   <li>every {@code _bulk_docs} sent, answered or not, is all there or not at all;</li>
 *   <li>{@code doc_count} equals the {@code _all_docs} rows, and with {@code doc_del_count} the {@code _changes} rows;</li>
 *   <li>the view and the Mango index, caught up after the crash, equal a fresh view and index with the same
 *       definitions built from scratch over the same data.</li>
 * </ul>
 * The same holds encrypted at rest (a master key file outside the data directory): sealing values changes nothing a
 * crash may do. Short (CI): 4 kills of each. Long: {@code -Darbor.embedded.kills=200}; {@code -Darbor.embedded.seed=N} replays a run.
 */
class EmbeddedTortureTest {
    private static final int KILLS = Integer.getInteger("arbor.embedded.kills", 4);

    @TempDir
    Path dir;

    private final Map<String, List<String>> ackedRevs = new HashMap<>();
    private final Map<String, String[]> ackedAttachments = new HashMap<>();
    private final Map<String, Integer> ackedLocal = new HashMap<>();
    private final List<List<String>> bulks = new ArrayList<>();
    private long acknowledged;
    /** The master key file when this run is encrypted, else null. */
    private Path keyFile;

    /** The child's and the verifier's storage options: encrypted with {@code keyFile}, or plain when it is null. */
    static ArborOptions options(Path keyFile) {
        return keyFile == null ? ArborOptions.DEFAULT
                : ArborOptions.DEFAULT.encryption(EncryptionOptions.with(VaultKeyStorage.keyFile(keyFile)));
    }

    @ParameterizedTest(name = "encrypted at rest: {0}")
    @ValueSource(booleans = {false, true})
    void everyAcknowledgedWriteSurvivesSigkillAndIndexesEqualARebuild(boolean encrypted) throws Exception {
        long seed = Long.getLong("arbor.embedded.seed", System.nanoTime());
        Random random = new Random(seed);
        Path data = dir.resolve("data");
        keyFile = encrypted ? dir.resolve("master.key") : null;
        for (int run = 0; run < KILLS; run++) {
            runAndKill(data, random, run, seed);
            try (Database db = Arbor.open(data, Arbor.DEFAULT_DATABASE, options(keyFile))) {
                verify(db, run, seed);
            }
        }
        System.out.printf("embedded torture: %d kills, %d acknowledged writes, %d bulk requests verified (seed %d)%n",
                KILLS, acknowledged, bulks.size(), seed);
    }

    private void runAndKill(Path data, Random random, int run, long seed) throws Exception {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path stderr = dir.resolve("child-" + run + ".err");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", classpath, EmbeddedTortureMain.class.getName(), data.toString(), Long.toString(random.nextLong()),
                "r" + run));
        if (keyFile != null) {
            command.add(keyFile.toString());
        }
        Process child = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        List<String> lines = new ArrayList<>();
        CountDownLatch ready = new CountDownLatch(1);
        Thread reader = Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.equals("READY")) {
                        ready.countDown();
                    }
                    synchronized (lines) {
                        lines.add(line);
                    }
                }
            } catch (java.io.IOException e) {
                // the child died mid-line: what came before is the log
            }
        });
        try {
            if (!ready.await(60, TimeUnit.SECONDS)) {
                fail("child " + run + " never became ready (seed " + seed + "): " + Files.readString(stderr));
            }
            Thread.sleep(300 + random.nextInt(1000));
        } finally {
            child.destroyForcibly();
            child.waitFor(120, TimeUnit.SECONDS);
        }
        reader.join(120_000);
        assertEquals(137, child.exitValue(), "child " + run + " must die of SIGKILL (seed " + seed + "): "
                + Files.readString(stderr));
        synchronized (lines) {
            for (String line : lines) {
                record(line);
            }
        }
    }

    private void record(String line) {
        String[] parts = line.split(" ");
        switch (parts[0]) {
            case "ACK" -> {
                if (parts.length == 3) {
                    ackedRevs.computeIfAbsent(parts[1], k -> new ArrayList<>()).add(parts[2]);
                    acknowledged++;
                }
            }
            case "ATT" -> {
                if (parts.length == 5 && parts[4].length() == 64) {
                    ackedAttachments.put(parts[1], new String[] {parts[2], parts[3], parts[4]});
                }
            }
            case "LOCAL" -> {
                if (parts.length == 3) {
                    ackedLocal.merge(parts[1], Integer.parseInt(parts[2].substring(parts[2].indexOf('-') + 1)), Math::max);
                    acknowledged++;
                }
            }
            case "BULK" -> {
                int n = Integer.parseInt(parts[1]);
                if (parts.length == n + 2) {
                    bulks.add(List.of(parts).subList(2, n + 2));
                }
            }
            default -> { }
        }
    }

    private void verify(Database db, int run, long seed) throws Exception {
        String where = " after kill " + run + " (seed " + seed + ")";
        Map<String, RevsDiff> missing = db.revsDiff(ackedRevs);
        assertTrue(missing.isEmpty(), "acknowledged revisions lost" + where + ": " + missing);

        for (Map.Entry<String, String[]> att : ackedAttachments.entrySet()) {
            JsonNode doc;
            try {
                doc = db.get(att.getKey());
            } catch (ArborException.NotFound e) {
                continue; // deleted later
            }
            if (doc.path("_rev").asText().equals(att.getValue()[0])) {
                byte[] bytes = db.getAttachment(att.getKey(), att.getValue()[1], null).readAllBytes();
                assertEquals(att.getValue()[2], HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)),
                        "attachment of " + att.getKey() + where);
            }
        }
        for (Map.Entry<String, Integer> local : ackedLocal.entrySet()) {
            String rev = db.getLocal(local.getKey()).path("_rev").asText();
            assertTrue(Integer.parseInt(rev.substring(rev.indexOf('-') + 1)) >= local.getValue(),
                    local.getKey() + " went back to " + rev + where);
        }
        // Every document ever written, deleted ones included, is in _changes.
        java.util.Set<String> written = new java.util.HashSet<>();
        db.changes(ChangesOptions.DEFAULT).results().forEach(change -> written.add(change.id()));
        for (List<String> bulk : bulks) {
            long present = bulk.stream().filter(written::contains).count();
            assertTrue(present == 0 || present == bulk.size(), "half a _bulk_docs " + bulk + where);
        }

        DbInfo info = db.info();
        assertEquals(info.docCount(), db.allDocs(AllDocsOptions.DEFAULT).rows().size(), "doc_count" + where);
        assertEquals(info.docCount() + info.docDelCount(), db.changes(ChangesOptions.DEFAULT).results().size(),
                "doc_count + doc_del_count" + where);

        assertIndexesEqualARebuild(db, run, where);
    }

    /**
     * The indexes the child kept up to date, queried after the crash (which catches them up), against twins with
     * the same definitions built from nothing now. The twins are deleted afterwards so later runs do not maintain them.
     */
    private static void assertIndexesEqualARebuild(Database db, int run, String where) {
        EmbeddedTortureMain.ensureIndexes(db);
        String fresh = "fresh-" + run;
        EmbeddedTortureMain.ensureDesign(db, fresh, "by_kind");
        db.createIndex(IndexDefinition.of(EmbeddedTortureMain.INDEX_FIELDS.toArray(String[]::new)).ddoc(fresh + "-mango")
                .name("by-kind"));

        ViewQuery all = ViewQuery.builder().reduce(false).build();
        List<ViewRow> kept = db.query(EmbeddedTortureMain.DDOC, "by_kind", all).rows();
        List<ViewRow> rebuilt = db.query(fresh, "by_kind", all).rows();
        assertEquals(rebuilt, kept, "view rows differ from a rebuild" + where);
        assertEquals(db.query(fresh, "by_kind", ViewQuery.DEFAULT).rows(),
                db.query(EmbeddedTortureMain.DDOC, "by_kind", ViewQuery.DEFAULT).rows(), "view reduce" + where);

        for (int k = 0; k < 4; k++) {
            FindRequest query = FindRequest.of(Json.parseObject("{\"kind\":\"k" + k + "\",\"n\":{\"$gte\":0}}"))
                    .sort(Json.parse("[\"kind\",\"n\"]")).limit(1_000_000);
            List<String> keptIds = ids(db.find(query.useIndex(List.of(EmbeddedTortureMain.DDOC + "-mango"))).docs());
            List<String> rebuiltIds = ids(db.find(query.useIndex(List.of(fresh + "-mango"))).docs());
            assertEquals(rebuiltIds, keptIds, "Mango index rows for k" + k + " differ from a rebuild" + where);
        }
        db.remove("_design/" + fresh, db.get("_design/" + fresh).path("_rev").asText());
        db.remove("_design/" + fresh + "-mango", db.get("_design/" + fresh + "-mango").path("_rev").asText());
    }

    private static List<String> ids(List<com.fasterxml.jackson.databind.node.ObjectNode> docs) {
        return docs.stream().map(d -> d.path("_id").asText() + "@" + d.path("_rev").asText() + "#" + d.path("n").asText()).toList();
    }
}
