package dev.arbor.engine.faults;

import dev.arbor.Arbor;
import dev.arbor.api.Database;
import dev.arbor.core.json.Json;
import org.junit.jupiter.api.Assumptions;
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
import static org.junit.jupiter.api.Assertions.assertFalse;
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
 *
 * <p>A real {@code ENOSPC}, and space coming back to the same process, need a filesystem the test can fill and
 * empty: {@link #writesResumeInTheSameProcessOnceSpaceIsFreed} mounts a small tmpfs in a user and mount namespace
 * of the child's own ({@code unshare --user --map-root-user --mount}, no privilege needed where the kernel allows
 * unprivileged user namespaces; skipped where it does not).
 */
class DiskFullTest {
    /** KiB the child's files may grow to: RocksDB's WAL reaches it after a few hundred small writes. */
    private static final int FILE_SIZE_LIMIT_KIB = 2048;

    /** MiB of the child's tmpfs, and of the ballast that leaves RocksDB only the rest. */
    private static final int TMPFS_MIB = 16;
    private static final int BALLAST_MIB = 12;

    @TempDir
    Path dir;

    @Test
    void writesResumeInTheSameProcessOnceSpaceIsFreed() throws Exception {
        Path mount = Files.createDirectories(dir.resolve("fs"));
        Path copy = dir.resolve("copy");
        Assumptions.assumeTrue(new ProcessBuilder("unshare", "--user", "--map-root-user", "--mount", "bash", "-c",
                        "mount -t tmpfs -o size=1m tmpfs \"$0\"", mount.toString())
                        .redirectErrorStream(true).redirectOutput(dir.resolve("probe.out").toFile()).start().waitFor() == 0,
                "this kernel does not let an unprivileged process mount a tmpfs in a user namespace");
        // Inside the namespace: a 16 MiB tmpfs, 12 MiB of it ballast, the database in the rest.
        String wrapper = "mount -t tmpfs -o size=" + TMPFS_MIB + "m tmpfs \"$1\" && mkdir \"$1/data\""
                + " && head -c " + BALLAST_MIB + "M /dev/zero > \"$1/ballast\" && shift && exec \"$0\" \"$@\"";
        List<String> command = new ArrayList<>(List.of("unshare", "--user", "--map-root-user", "--mount", "bash", "-c",
                wrapper));
        command.add(javaCommand());
        command.add(mount.toString());
        command.addAll(childArguments(mount.resolve("data"), 7, mount.resolve("ballast").toString(), copy.toString()));
        List<String> lines = runChild(command);

        Map<String, String> lastAcked = acknowledged(lines);
        String failed = lines.stream().filter(l -> l.startsWith("FAILED ")).findFirst().orElse(null);
        assertTrue(failed != null, "the storage never refused a write: " + tail(lines));
        assertTrue(failed.startsWith("FAILED Internal internal_server_error disk full: No space left on device"), failed);
        assertFalse(failed.contains("/"), "the reason names no file: " + failed);
        assertTrue(lines.contains("STILL_FAILING 5"), "writes before space returns must fail, not hang: " + lines);
        assertTrue(lines.contains("SPACE_FREED"), String.valueOf(tail(lines)));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("RESUMED ")), "the open database never took a write again: " + tail(lines));
        int ackedBeforeFree = lines.indexOf("SPACE_FREED");
        long ackedAfter = lines.subList(ackedBeforeFree, lines.size()).stream().filter(l -> l.startsWith("ACK ")).count();
        assertTrue(ackedAfter >= DiskFullWriterMain.WRITES_AFTER_RESUME, "writes after space returned: " + ackedAfter);
        assertFalse(lines.stream().anyMatch(l -> l.startsWith("MISSING ")), "lost before the close: " + lines);
        assertTrue(lines.contains("COPIED") && lines.contains("DONE"), String.valueOf(tail(lines)));
        System.out.println("disk full after " + lines.subList(0, ackedBeforeFree).stream().filter(l -> l.startsWith("ACK ")).count()
                + " acknowledged writes (" + failed + "); " + lines.stream().filter(l -> l.startsWith("RESUMED ")).findFirst().orElseThrow()
                + " once space was freed, then " + ackedAfter + " more acknowledged in the same process");

        // Everything acknowledged, before the disk filled and after it was freed, survives a clean reopen.
        assertEveryAcknowledgedWriteIsThere(copy, lastAcked);
    }

    @Test
    void writesFailWithAClearErrorWhenTheDiskFillsAndEveryAcknowledgedWriteSurvivesAReopen() throws Exception {
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        // bash's ulimit -f counts KiB; -S lowers only the soft limit, which an unprivileged process may do.
        List<String> command = new ArrayList<>(List.of("bash", "-c",
                "ulimit -S -f " + FILE_SIZE_LIMIT_KIB + " && exec \"$0\" \"$@\"", javaCommand()));
        command.addAll(childArguments(data, 42));
        List<String> lines = runChild(command);

        Map<String, String> lastAcked = acknowledged(lines);
        String failed = lines.stream().filter(l -> l.startsWith("FAILED ")).findFirst().orElse(null);
        assertTrue(failed != null, "the storage never refused a write: " + lines.subList(Math.max(0, lines.size() - 3), lines.size()));
        assertTrue(lastAcked.size() > 20, "too few writes before the disk filled to prove anything: " + lastAcked.size());
        // A storage failure is a 500 with CouchDB's {"error","reason"}, never a hang or a crash of the process.
        assertTrue(failed.startsWith("FAILED Internal internal_server_error storage error: File too large"), failed);
        assertFalse(failed.contains("/"), "the reason names no file: " + failed);
        assertTrue(lines.contains("STILL_FAILING 5"), "writes after the first failure must fail, not hang: " + lines);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("READS_OK ")), "reads must still answer: " + lines);
        assertTrue(lines.contains("DONE"), String.valueOf(lines));
        System.out.println("disk full after " + lastAcked.size() + " acknowledged documents: " + failed);

        assertEveryAcknowledgedWriteIsThere(data, lastAcked);
    }

    private static void assertEveryAcknowledgedWriteIsThere(Path data, Map<String, String> lastAcked) {
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

    private static Map<String, String> acknowledged(List<String> lines) {
        Map<String, String> lastAcked = new LinkedHashMap<>();
        for (String line : lines) {
            String[] parts = line.split(" ", 4);
            if (parts[0].equals("ACK")) {
                lastAcked.put(parts[1], parts[2]);
            }
        }
        return lastAcked;
    }

    private static List<String> tail(List<String> lines) {
        return lines.subList(Math.max(0, lines.size() - 5), lines.size());
    }

    private static String javaCommand() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** The child JVM's arguments after the java command: options, class, then {@link DiskFullWriterMain}'s own. */
    private List<String> childArguments(Path data, long seed, String... more) throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> args = new ArrayList<>(List.of("-Xmx256m", "-XX:+UseSerialGC",
                "-Djava.library.path=" + nativeLibraryDir(), "-XX:TieredStopAtLevel=1", "-cp", classpath,
                DiskFullWriterMain.class.getName(), data.toString(), Long.toString(seed)));
        args.addAll(List.of(more));
        return args;
    }

    private List<String> runChild(List<String> command) throws Exception {
        Process child = new ProcessBuilder(command)
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
