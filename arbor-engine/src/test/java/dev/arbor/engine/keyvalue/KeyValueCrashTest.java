package dev.arbor.engine.keyvalue;

import dev.arbor.Arbor;
import dev.arbor.api.Database;
import dev.arbor.api.keyvalue.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The documented loss windows under {@code kill -9}: a child JVM ({@link KeyValueCrashWriterMain}) sets
 * keys until it is killed; then the store holds every acknowledged key in immediate mode, and all but
 * at most {@code maxChanges - 1} of them in lazy mode, always a prefix (commits keep their order).
 */
class KeyValueCrashTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(600) // only ends a hung test: child JVMs start slowly on a busy machine
    void immediateModeLosesNothingAcknowledged() throws Exception {
        for (int run = 0; run < 3; run++) {
            long acknowledged = killWhileWriting("immediate", 150 + 40 * run, run);
            long present = presentPrefix(data("immediate", run), acknowledged);
            assertEquals(acknowledged, Math.min(present, acknowledged), "run " + run + ": every acknowledged set is there");
        }
    }

    @Test
    @Timeout(600) // only ends a hung test: child JVMs start slowly on a busy machine
    void lazyModeLosesAtMostTheUncommittedBufferOfFewerThanMaxChanges() throws Exception {
        int maxChanges = 100;
        for (int run = 0; run < 3; run++) {
            String persistence = "lazy:" + maxChanges;
            long acknowledged = killWhileWriting(persistence, 2_000 + 777 * run, run);
            long present = presentPrefix(data(persistence, run), acknowledged);
            long lost = acknowledged - Math.min(present, acknowledged);
            assertTrue(lost <= maxChanges - 1, "run " + run + ": lost " + lost + " of " + acknowledged + " acknowledged sets");
            assertTrue(present >= maxChanges, "run " + run + ": commits happened at all (" + present + " present)");
        }
    }

    private Path data(String persistence, int run) {
        return dir.resolve("data-" + persistence.replace(':', '-') + "-" + run);
    }

    /** Runs a child until it has acknowledged at least {@code atLeast} sets, kills it, returns how many it acknowledged. */
    private long killWhileWriting(String persistence, int atLeast, int run) throws Exception {
        Path stderr = dir.resolve("child-" + persistence.replace(':', '-') + "-" + run + ".err");
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process child = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "--enable-native-access=ALL-UNNAMED", "-cp", classpath, KeyValueCrashWriterMain.class.getName(),
                data(persistence, run).toString(), persistence)
                .redirectError(stderr.toFile())
                .start();
        AtomicLong acks = new AtomicLong();
        CountDownLatch enough = new CountDownLatch(1);
        Thread reader = Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.startsWith("ack ")) {
                        acks.set(Long.parseLong(line.substring(4)) + 1);
                        if (acks.get() >= atLeast) {
                            enough.countDown();
                        }
                    }
                }
            } catch (IOException ignored) {
                // the pipe breaks when the child is killed; what was read is what counts
            }
        });
        try {
            if (!enough.await(300, TimeUnit.SECONDS)) { // only ends a hung child
                fail("child acknowledged only " + acks.get() + ": " + Files.readString(stderr));
            }
        } finally {
            child.destroyForcibly();
            child.waitFor(120, TimeUnit.SECONDS);
        }
        reader.join(120_000);
        assertEquals(137, child.exitValue(), "killed by SIGKILL: " + Files.readString(stderr));
        return acks.get();
    }

    /** The number of keys k0, k1, ... present without a gap; fails if any acknowledged key appears after a gap. */
    private static long presentPrefix(Path data, long acknowledged) {
        try (Database db = Arbor.open(data)) {
            KeyValueStore kv = db.keyValue().orElseThrow();
            long present = 0;
            while (kv.get("k" + present).isPresent()) {
                assertEquals(present, kv.get("k" + present, Long.class).orElseThrow());
                present++;
            }
            for (long i = present; i < acknowledged + 1000; i++) {
                assertTrue(kv.get("k" + i).isEmpty(), "k" + i + " present after the gap at k" + present);
            }
            return present;
        }
    }
}
