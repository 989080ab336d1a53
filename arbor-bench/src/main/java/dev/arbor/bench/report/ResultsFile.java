package dev.arbor.bench.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** docs/bench/results.jsonl: every figure of the latest run, one JSON object per line, so others can redo the tables. */
public final class ResultsFile {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ResultsFile() {}

    public static void write(Path file, List<ResultRow> rows) {
        StringBuilder out = new StringBuilder();
        for (ResultRow r : rows) {
            ObjectNode o = MAPPER.createObjectNode();
            o.put("workload", r.workload());
            o.put("system", r.system());
            o.put("metric", r.metric());
            if (r.value() == null) o.putNull("value"); else o.put("value", r.value());
            o.put("unit", r.unit());
            o.put("run", r.run());
            o.put("n", r.n());
            o.put("commit", r.commit());
            o.put("date", r.date());
            o.put("status", r.status().name().toLowerCase(java.util.Locale.ROOT));
            if (r.count() == null) o.putNull("count"); else o.put("count", r.count());
            if (r.note() == null) o.putNull("note"); else o.put("note", r.note());
            out.append(o).append('\n');
        }
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
