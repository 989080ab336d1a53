package dev.arbor.bench.data;

import java.nio.file.Path;
import java.util.List;

/**
 * Finds or makes the data set of a given size under a cache directory, and proves it is the
 * published one before a run uses it.
 */
public final class DataSets {
    private DataSets() {}

    /** What a run measured against: where the files are and whether their sums were checked. */
    public record Prepared(Scale scale, Path dir, boolean verified) {
        public String describe() {
            return verified
                    ? "N=" + scale.docs() + ", SHA-256 of every file checked against the reference sums"
                    : "N=" + scale.docs() + ", generated fresh (no reference sums exist for this N)";
        }
    }

    /**
     * The data set of {@code scale} in {@code cacheRoot/n<N>}: reused when its sums match the
     * reference, regenerated otherwise. Throws if freshly generated files still do not match, since
     * then the generator (or the JVM's number printing) has drifted from gen.js.
     */
    public static Prepared ensure(Scale scale, Path cacheRoot) {
        Path dir = cacheRoot.resolve("n" + scale.docs());
        var expected = ReferenceSums.forDocs(scale.docs());
        if (expected.isEmpty()) {
            DataGenerator.write(scale, dir);
            return new Prepared(scale, dir, false);
        }
        if (!ReferenceSums.mismatches(dir, expected.get()).isEmpty()) {
            DataGenerator.write(scale, dir);
            List<String> wrong = ReferenceSums.mismatches(dir, expected.get());
            if (!wrong.isEmpty()) {
                throw new IllegalStateException("generated data differs from gen.js's for " + wrong + " in " + dir);
            }
        }
        return new Prepared(scale, dir, true);
    }

    /** Checks an existing data set again (before each run): throws if a file changed since it was made. */
    public static void verify(Prepared data) {
        if (!data.verified()) {
            return;
        }
        List<String> wrong = ReferenceSums.mismatches(data.dir(), ReferenceSums.forDocs(data.scale().docs()).orElseThrow());
        if (!wrong.isEmpty()) {
            throw new IllegalStateException("data files changed since they were checked: " + wrong + " in " + data.dir());
        }
    }
}
