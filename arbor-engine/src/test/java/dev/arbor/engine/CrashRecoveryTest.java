package dev.arbor.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.Arbor;
import dev.arbor.api.AllDocsOptions;
import dev.arbor.api.AllDocsResult;
import dev.arbor.api.Database;
import dev.arbor.api.DbInfo;
import dev.arbor.api.GetOptions;
import dev.arbor.api.OpenRev;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A durable write is never lost: a child JVM ({@link CrashWriterMain}) writes continuously and is killed
 * with SIGKILL at a random moment, again and again on the same directory; after each kill the database
 * opens cleanly and holds every write the child acknowledged.
 */
class CrashRecoveryTest {
    private static final int KILLS = 20;
    private static final Pattern ACK = Pattern.compile("ack (\\S+) (\\d+-\\S+) ;");

    @TempDir
    Path dir;

    @Test
    @Timeout(600) // only ends a hung test: child JVMs start slowly on a busy machine
    void everyAcknowledgedWriteSurvivesRepeatedKillNine() throws Exception {
        Path data = dir.resolve("data");
        long seed = System.nanoTime();
        Random random = new Random(seed);
        // The latest acknowledged revision of every doc ever acknowledged, deleted ones included.
        Map<String, String> acknowledged = new LinkedHashMap<>();
        int acknowledgements = 0;

        for (int run = 0; run < KILLS; run++) {
            Path stderr = dir.resolve("child-" + run + ".err");
            Process child = startChild(data, random.nextLong(), "r" + run, stderr);
            List<String> lines = new ArrayList<>();
            CountDownLatch ready = new CountDownLatch(1);
            Thread reader = Thread.ofPlatform().daemon().start(() -> readLines(child, lines, ready));
            try {
                if (!ready.await(120, TimeUnit.SECONDS)) { // only ends a hung child
                    fail("child " + run + " never became ready (seed " + seed + "): " + Files.readString(stderr));
                }
                Thread.sleep(200 + random.nextInt(1301));
            } finally {
                child.destroyForcibly();
                child.waitFor(120, TimeUnit.SECONDS);
            }
            reader.join(120_000);
            assertEquals(137, child.exitValue(),
                    "child " + run + " must die of SIGKILL, not on its own (seed " + seed + "): " + Files.readString(stderr));

            synchronized (lines) {
                for (String line : lines) {
                    Matcher ack = ACK.matcher(line);
                    if (ack.matches()) {
                        acknowledged.put(ack.group(1), ack.group(2));
                        acknowledgements++;
                    }
                }
            }
            assertEveryAcknowledgedWriteIsThere(data, acknowledged, "after kill " + run + " (seed " + seed + ")");
        }
        assertTrue(acknowledgements >= KILLS, "the children wrote something: " + acknowledgements + " acknowledgements");
    }

    private static Process startChild(Path data, long seed, String prefix, Path stderr) throws IOException {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // Surefire may run us from a manifest-only jar; it names the real test classpath in this property.
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", classpath, CrashWriterMain.class.getName(), data.toString(), Long.toString(seed), prefix)
                .redirectError(stderr.toFile())
                .start();
    }

    private static void readLines(Process child, List<String> lines, CountDownLatch ready) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.equals("ready")) ready.countDown();
                synchronized (lines) {
                    lines.add(line);
                }
            }
        } catch (IOException ignored) {
            // the pipe breaks when the child is killed; what was read is what counts
        }
    }

    /**
     * Each acknowledged revision is the doc's only leaf or an ancestor of it: the single writer never makes
     * conflicts, and a later leaf is a write that committed but was killed before its acknowledgement.
     */
    private static void assertEveryAcknowledgedWriteIsThere(Path data, Map<String, String> acknowledged, String when) {
        try (Database db = Arbor.open(data)) {
            for (Map.Entry<String, String> entry : acknowledged.entrySet()) {
                String id = entry.getKey(), rev = entry.getValue();
                List<OpenRev> leaves = db.getOpenRevs(id, null, GetOptions.DEFAULT.revs(true));
                assertEquals(1, leaves.size(), when + ": " + id + " has exactly one leaf, got " + leaves);
                ObjectNode leaf = assertInstanceOf(OpenRev.Found.class, leaves.getFirst(), when + ": " + id).doc();
                assertTrue(isAncestorOrSelf(rev, leaf.get("_revisions")),
                        when + ": " + id + " acknowledged at " + rev + " but its leaf is " + leaf.get("_rev") + " " + leaf.get("_revisions"));
            }
            DbInfo info = db.info();
            AllDocsResult all = db.allDocs(AllDocsOptions.DEFAULT);
            assertEquals(all.rows().size(), info.docCount(), when + ": doc_count against _all_docs rows");
            assertEquals(all.totalRows(), info.docCount(), when + ": doc_count against total_rows");
        }
    }

    private static boolean isAncestorOrSelf(String rev, JsonNode revisions) {
        int dash = rev.indexOf('-');
        int pos = Integer.parseInt(rev.substring(0, dash));
        int index = revisions.get("start").asInt() - pos;
        JsonNode ids = revisions.get("ids");
        return index >= 0 && index < ids.size() && ids.get(index).asText().equals(rev.substring(dash + 1));
    }
}
