package dev.arbor.bench.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The SHA-256 of each data file, so a run can prove it measured the published workload. The
 * N = 100,000 sums are those of WORKLOAD.md (gen.js's output); the N = 10,000 sums (the quick run,
 * and the warm-up set) are gen.js's output with N and the proportional counts of {@link Scale#of}.
 */
public final class ReferenceSums {
    private static final Map<Integer, Map<String, String>> SUMS = Map.of(
            Scale.FULL_DOCS, ordered(
                    "d8dbcb0770a6fb2cfd6dbc1b440b98efb0d9bdd46df1e6bedab3a5dfff343f1c",
                    "9e81af49d26e62f7e0b26dd95b5157956beab7e2112acb2ffdaf3482815dd430",
                    "fa322fdd50bf0889c4a17409a0254720bfd0a328d6b566a2e4bec90492040450",
                    "dd905f13830c6af978a7b30f20127ca3e485dcfd90a8a22d8b4364d8f1a0b0b7",
                    "96100c41507e6927438edb318ac5e2ab709bd4594d73ccaa3dbabaa26e42d2e9"),
            Scale.QUICK_DOCS, ordered(
                    "a922d9f011f48098a64445ed627ab80a555c6e212b2adbeedfde04ece53e040f",
                    "22199bd81bc6a6683f6d399ed384c80a53a0b8542e1298bbb6faa89b985a8747",
                    "d22fb09da9346221b36fd9c7df8ab3f46a0bef640f77a5411c99e616a07fac23",
                    "1ce66fcb275cdeecb4d4ce494305aa6410cbf5a59863bc848acab0765079d0c4",
                    "64798fabc80e5863835b8c398de1045522c09c7dadd463cc700cc29bf2052481"));

    private ReferenceSums() {}

    /** File name to hex SHA-256, in {@link DataGenerator#FILES} order; empty when no reference exists for N. */
    public static Optional<Map<String, String>> forDocs(int docs) {
        return Optional.ofNullable(SUMS.get(docs));
    }

    /** The files of {@code dir} whose sum differs from the reference (missing files included). */
    public static List<String> mismatches(Path dir, Map<String, String> expected) {
        return expected.entrySet().stream()
                .filter(e -> !Files.isRegularFile(dir.resolve(e.getKey())) || !sha256(dir.resolve(e.getKey())).equals(e.getValue()))
                .map(Map.Entry::getKey)
                .toList();
    }

    public static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int read; (read = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, read);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static Map<String, String> ordered(String... sums) {
        Map<String, String> byFile = new LinkedHashMap<>();
        for (int i = 0; i < sums.length; i++) {
            byFile.put(DataGenerator.FILES.get(i), sums[i]);
        }
        return java.util.Collections.unmodifiableMap(byFile);
    }
}
