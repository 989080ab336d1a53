package dev.arbor.bench.run;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the access log Arbor's server writes to its standard error when started for diagnosis, and sums the requests
 * logged since the last mark by endpoint ({@code _changes}, {@code _revs_diff}, {@code _bulk_get}, {@code _bulk_docs},
 * {@code _local}, ...): how many, and the milliseconds the server spent in them. Off in measured runs (the log costs).
 */
final class ArborRequestLog {
    private static final Pattern LINE = Pattern.compile("method=(\\S+) path=(\\S+) status=(\\d+) bytes=(\\d+) ms=([0-9.]+)");

    private final Path file;
    private long offset;

    ArborRequestLog(Path file) {
        this.file = file;
    }

    void mark() {
        offset = file.toFile().length();
    }

    /** "N requests: _bulk_docs 20 (1234 ms, 5.1 MB), ..." for the lines logged since the mark. */
    String sinceMark() {
        Map<String, long[]> byEndpoint = new TreeMap<>();
        Map<String, Double> millis = new TreeMap<>();
        int requests = 0;
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            in.seek(offset);
            byte[] rest = new byte[(int) Math.max(0, in.length() - offset)];
            in.readFully(rest);
            for (String line : new String(rest, StandardCharsets.UTF_8).split("\n")) {
                Matcher m = LINE.matcher(line);
                if (!m.find()) {
                    continue;
                }
                requests++;
                String endpoint = m.group(1) + " " + endpoint(m.group(2));
                long[] countAndBytes = byEndpoint.computeIfAbsent(endpoint, k -> new long[2]);
                countAndBytes[0]++;
                countAndBytes[1] += Long.parseLong(m.group(4));
                millis.merge(endpoint, Double.parseDouble(m.group(5)), Double::sum);
            }
        } catch (IOException e) {
            return "no access log: " + e.getMessage();
        }
        StringBuilder out = new StringBuilder(requests + " arbor requests:");
        byEndpoint.forEach((endpoint, cb) -> out.append(String.format(Locale.ROOT, " [%s %d, %.0f ms, %.1f MB out]",
                endpoint, cb[0], millis.get(endpoint), cb[1] / 1e6)));
        return out.toString();
    }

    /** The endpoint a path names: its last segment that starts with '_' ({@code /db/_local/id} is {@code _local}), or "doc". */
    static String endpoint(String rawPath) {
        String path = rawPath.contains("?") ? rawPath.substring(0, rawPath.indexOf('?')) : rawPath;
        String[] segments = path.split("/");
        String found = segments.length <= 2 ? "db" : "doc";
        for (String s : segments) {
            if (s.startsWith("_")) {
                found = s;
                if (s.equals("_local")) {
                    break;
                }
            }
        }
        return found;
    }
}
