package dev.arbor.bench.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The data set as read from its files, before any clock starts: doc lines stay JSON text so each
 * system turns them into its own input form (a parsed tree, or raw bytes) outside the timed section.
 */
public record WorkloadData(Scale scale, List<String> docs, List<String> w2Docs, List<String> w3Ids, List<String> w4Ids) {

    public WorkloadData {
        docs = List.copyOf(docs);
        w2Docs = List.copyOf(w2Docs);
        w3Ids = List.copyOf(w3Ids);
        w4Ids = List.copyOf(w4Ids);
    }

    public static WorkloadData read(Path dir) {
        List<String> docs = lines(dir, DataGenerator.DOCS);
        List<String> w2 = lines(dir, DataGenerator.W2);
        List<String> w3 = lines(dir, DataGenerator.W3_IDS);
        List<String> w4 = lines(dir, DataGenerator.W4_IDS);
        Scale scale = new Scale(docs.size(), w2.size(), w3.size(), w4.size(), lines(dir, DataGenerator.W10A).size());
        return new WorkloadData(scale, docs, w2, w3, w4);
    }

    /**
     * The W2 docs again under ids {@code w2c-NNNNNN}, for the concurrent-writers pass: the same bodies,
     * but new documents, so that pass creates as the sequential one did rather than conflicting.
     */
    public List<String> w2ConcurrentDocs() {
        return w2Docs.stream().map(line -> line.replaceFirst("^\\{\"_id\":\"w2-", "{\"_id\":\"w2c-")).toList();
    }

    private static List<String> lines(Path dir, String file) {
        try {
            return Files.readAllLines(dir.resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
