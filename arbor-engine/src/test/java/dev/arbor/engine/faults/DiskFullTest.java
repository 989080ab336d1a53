package dev.arbor.engine.faults;

import dev.arbor.Arbor;
import dev.arbor.api.Database;
import dev.arbor.core.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A full disk, made without privileges: the writer runs in a child JVM whose {@code RLIMIT_FSIZE} is small
 * ({@code ulimit -f}), so a write that would grow a file past it fails with {@code EFBIG} as a full filesystem fails
 * with {@code ENOSPC} (HotSpot ignores the {@code SIGXFSZ} that comes first). RocksDB sees an I/O error on its WAL or
 * an SST, exactly the path of a full disk. Mounting a small filesystem would need root, which CI machines lack; see
 * docs/reliability.md.
 *
 * <p>Then, as after an operator frees space: the data directory reopens without the limit, every acknowledged write
 * is there at its revision with its attachment, and new writes succeed.
 */
class DiskFullTest {
    /** KiB the child's files may grow to: RocksDB's WAL reaches it after a few hundred small writes. */
    private static final int FILE_SIZE_LIMIT_KIB = 2048;

    @TempDir
    Path dir;

    @Test
    void writesFailWithAClearErrorWhenTheDiskFillsAndEveryAcknowledgedWriteSurvivesAReopen() throws Exception {
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        List<String> lines = runChildUnderFileSizeLimit(data, 42);

        Map<String, String> lastAcked = new LinkedHashMap<>();
        String failed = null;
        for (String line : lines) {
            String[] parts = line.split(" ", 4);
            switch (parts[0]) {
                case "ACK" -> lastAcked.put(parts[1], parts[2]);
                case "FAILED" -> failed = line;
                default -> { }
            }
        }
        assertTrue(failed != null, "the storage never refused a write: " + lines.subList(Math.max(0, lines.size() - 3), lines.size()));
        assertTrue(lastAcked.size() > 20, "too few writes before the disk filled to prove anything: " + lastAcked.size());
        // A storage failure is a 500 with CouchDB's {"error","reason"}, never a hang or a crash of the process.
        assertTrue(failed.startsWith("FAILED 500 internal_server_error "), failed);
        assertTrue(lines.contains("STILL_FAILING 5"), "writes after the first failure must fail, not hang: " + lines);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("READS_OK ")), "reads must still answer: " + lines);
        assertTrue(lines.contains("DONE"), String.valueOf(lines));
        System.out.println("disk full after " + lastAcked.size() + " acknowledged documents: " + failed);

        try (Database db = Arbor.open(data)) {
            for (Map.Entry<String, String> ack : lastAcked.entrySet()) {
                var doc = db.get(ack.getKey());
                assertEquals(ack.getValue(), doc.path("_rev").asText(), "acknowledged revision of " + ack.getKey());
                for (var it = doc.path("_attachments").fieldNames(); it.hasNext(); ) {
                    String name = it.next();
                    try (var att = db.getAttachment(ack.getKey(), name, null)) {
                        assertTrue(att.readAllBytes().length >= 1024, "attachment " + name + " of " + ack.getKey());
                    }
                }
            }
            // Space is back: the database takes writes again.
            var ok = db.put(Json.object().put("_id", "after-space-returns").put("n", 1));
            assertEquals("after-space-returns", db.get(ok.id()).path("_id").asText());
            assertTrue(db.info().docCount() >= lastAcked.size());
        }
    }

    /**
     * A directory holding the RocksDB library this JVM loaded, as {@code librocksdbjni.so}: rocksdbjni would otherwise
     * extract its 15 MB library to a temp file in the child, which the file-size limit forbids.
     */
    private Path nativeLibraryDir() throws Exception {
        org.rocksdb.RocksDB.loadLibrary();
        Path loaded = Files.readAllLines(Path.of("/proc/self/maps")).stream()
                .filter(l -> l.contains("librocksdbjni") && l.contains("/"))
                .map(l -> Path.of(l.substring(l.indexOf('/')).strip()))
                .filter(Files::exists)
                .findFirst().orElseThrow(() -> new IllegalStateException("the RocksDB library is not mapped"));
        Path native_ = Files.createDirectories(dir.resolve("native"));
        Files.copy(loaded, native_.resolve("librocksdbjni.so"));
        return native_;
    }

    private List<String> runChildUnderFileSizeLimit(Path data, long seed) throws Exception {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        // bash's ulimit -f counts KiB; -S lowers only the soft limit, which an unprivileged process may do.
        String command = "ulimit -S -f " + FILE_SIZE_LIMIT_KIB + " && exec \"$0\" \"$@\"";
        Process child = new ProcessBuilder("bash", "-c", command, java, "-Xmx256m", "-XX:+UseSerialGC",
                "-Djava.library.path=" + nativeLibraryDir(),
                "-XX:TieredStopAtLevel=1", "-cp", classpath, DiskFullWriterMain.class.getName(), data.toString(),
                Long.toString(seed))
                .redirectError(dir.resolve("child.err").toFile())
                .start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                lines.add(line);
            }
        }
        assertTrue(child.waitFor(5, TimeUnit.MINUTES), "child did not finish");
        assertEquals(0, child.exitValue(), "child failed: " + Files.readString(dir.resolve("child.err")));
        return lines;
    }
}
