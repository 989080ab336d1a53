package dev.arbor.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** What the figures were measured on, read from /proc and /sys where there is one (Linux). */
public record MachineInfo(String cpu, int cores, String memory, String disk, String os, String java, String node) {

    public static MachineInfo detect(Path dataDir) {
        return new MachineInfo(detectCpu(), Runtime.getRuntime().availableProcessors(), detectMemory(), disk(dataDir),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                command("node", "--version"));
    }

    private static String detectCpu() {
        return lines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown CPU");
    }

    private static String detectMemory() {
        return lines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
                .map(l -> String.format(Locale.ROOT, "%.1f GiB", Long.parseLong(l.replaceAll("\\D", "")) / 1024.0 / 1024.0))
                .findFirst().orElse("unknown");
    }

    /** The filesystem holding the data directories: device, type, and whether the kernel calls it rotational. */
    private static String disk(Path dir) {
        String absolute = dir.toAbsolutePath().toString();
        String[] best = null;
        for (String line : lines(Path.of("/proc/mounts"))) {
            String[] f = line.split(" ");
            if (f.length > 2 && absolute.startsWith(f[1]) && (best == null || f[1].length() > best[1].length())) {
                best = f;
            }
        }
        if (best == null) {
            return "unknown";
        }
        String device = best[0].replaceFirst("^/dev/", "");
        String base = device.replaceFirst("p?\\d+$", "");
        String rotational = lines(Path.of("/sys/block", base, "queue", "rotational")).stream().findFirst()
                .map(r -> r.trim().equals("1") ? ", rotational" : ", non-rotational").orElse("");
        return best[0] + " (" + best[2] + rotational + ") mounted on " + best[1];
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    static String command(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : "unavailable";
        } catch (IOException e) {
            return "unavailable";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unavailable";
        }
    }
}
