package dev.arbor.bench.data;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A port of shared/bench/gen.js that writes byte-identical files (checked against
 * {@link ReferenceSums}). Every draw from the generator happens in gen.js's order, including the
 * left-to-right evaluation of {@code word()[0].toUpperCase() + word().slice(1) + ' ' + word()},
 * which takes three different words.
 */
public final class DataGenerator {
    public static final String DOCS = "docs.jsonl";
    public static final String W2 = "w2.jsonl";
    public static final String W3_IDS = "w3_ids.txt";
    public static final String W4_IDS = "w4_ids.txt";
    public static final String W10A = "w10a.jsonl";
    public static final List<String> FILES = List.of(DOCS, W2, W3_IDS, W4_IDS, W10A);

    private static final String[] SYLLABLES = {"ka", "lo", "mi", "ra", "te", "su", "no", "vi", "ze", "da",
            "po", "ri", "gu", "fe", "ha", "ju", "xo", "be", "ne", "ti"};
    private static final String[] TYPES = {"user", "order", "product", "event", "review"};
    private static final long EPOCH_2020_MS = Instant.parse("2020-01-01T00:00:00Z").toEpochMilli();
    private static final int FIVE_YEARS_S = 5 * 365 * 86400;
    /** Date.prototype.toISOString: always milliseconds, always Z. */
    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final Mulberry32 rnd = new Mulberry32(20240601);
    private final List<String> words = makeWords();
    private final List<String> cities = makeCities(words);

    private DataGenerator() {}

    /** Writes the five files of {@code scale} into {@code dir} (created if needed). */
    public static void write(Scale scale, Path dir) {
        try {
            Files.createDirectories(dir);
            new DataGenerator().writeAll(scale, dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void writeAll(Scale scale, Path dir) throws IOException {
        int n = scale.docs();
        try (var out = writer(dir, DOCS)) {
            for (int i = 1; i <= n; i++) {
                line(out, makeDoc("doc-" + pad(i)).toJson());
            }
        }
        try (var out = writer(dir, W2)) {
            for (int i = 1; i <= scale.w2Writes(); i++) {
                line(out, makeDoc("w2-" + pad(i)).toJson());
            }
        }
        try (var out = writer(dir, W3_IDS)) {
            for (int i = 0; i < scale.w3Reads(); i++) {
                line(out, "doc-" + pad(1 + rnd.nextInt(n)));
            }
        }
        // W4: the first ids of a seeded Fisher-Yates permutation of 1..N, so they are distinct.
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i + 1;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int swap = perm[i];
            perm[i] = perm[j];
            perm[j] = swap;
        }
        try (var out = writer(dir, W4_IDS)) {
            for (int i = 0; i < scale.w4Updates(); i++) {
                line(out, "doc-" + pad(perm[i]));
            }
        }
        try (var out = writer(dir, W10A)) {
            for (int i = 1; i <= scale.w10Writes(); i++) {
                line(out, makeDoc("http-" + pad(i)).toJson());
            }
        }
    }

    private GeneratedDoc makeDoc(String id) {
        int tagCount = 1 + rnd.nextInt(4);
        List<String> tags = new ArrayList<>(tagCount);
        for (int i = 0; i < tagCount; i++) {
            tags.add(word());
        }
        int wordCount = 12 + rnd.nextInt(24);
        List<String> text = new ArrayList<>(wordCount);
        for (int i = 0; i < wordCount; i++) {
            text.add(word());
        }
        String type = TYPES[rnd.nextInt(5)];
        String name = capitalInitial(word()) + word().substring(1) + " " + word();
        int age = rnd.nextInt(100);
        String city = cities.get(rnd.nextInt(50));
        double score = Math.round(rnd.next() * 1e8) / 1e4;
        boolean active = rnd.next() < 0.5;
        String created = ISO_MILLIS.format(Instant.ofEpochMilli(EPOCH_2020_MS + rnd.nextInt(FIVE_YEARS_S) * 1000L));
        int nestedA = rnd.nextInt(10000);
        String nestedB = word() + "-" + word();
        return new GeneratedDoc(id, type, name, age, city, tags, score, active, created, nestedA, nestedB,
                String.join(" ", text));
    }

    private String word() {
        return words.get(rnd.nextInt(words.size()));
    }

    /** {@code w[0].toUpperCase()}: only the first letter, which alone is kept from this word. */
    private static String capitalInitial(String word) {
        return word.substring(0, 1).toUpperCase(Locale.ROOT);
    }

    private static List<String> makeWords() {
        Mulberry32 r = new Mulberry32(7);
        Set<String> seen = new HashSet<>();
        List<String> words = new ArrayList<>(500);
        while (words.size() < 500) {
            int syllables = 2 + (int) Math.floor(r.next() * 3);
            StringBuilder w = new StringBuilder();
            for (int i = 0; i < syllables; i++) {
                w.append(SYLLABLES[(int) Math.floor(r.next() * SYLLABLES.length)]);
            }
            if (seen.add(w.toString())) {
                words.add(w.toString());
            }
        }
        return List.copyOf(words);
    }

    private static List<String> makeCities(List<String> words) {
        List<String> cities = new ArrayList<>(50);
        for (int i = 0; i < 50; i++) {
            String w = words.get((i * 7) % 500);
            cities.add(capitalInitial(w) + w.substring(1) + " City " + String.format(Locale.ROOT, "%02d", i));
        }
        return List.copyOf(cities);
    }

    private static String pad(int i) {
        return String.format(Locale.ROOT, "%06d", i);
    }

    private static BufferedWriter writer(Path dir, String file) throws IOException {
        return Files.newBufferedWriter(dir.resolve(file), StandardCharsets.UTF_8);
    }

    /** gen.js joins lines with '\n' and ends the file with one. */
    private static void line(BufferedWriter out, String text) throws IOException {
        out.write(text);
        out.write('\n');
    }
}
