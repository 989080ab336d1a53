package dev.arbor.bench.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.bench.workload.Measurement;
import dev.arbor.bench.workload.Metric;
import dev.arbor.bench.workload.Status;
import dev.arbor.bench.workload.Workload;

import java.util.Optional;

/**
 * How a measuring process (a forked JVM, or bench.js in Node) hands figures to the harness: one line
 * {@code RESULT {"workload":"W1","metric":"docs_per_s","value":1234.5,"count":100000,"status":"OK","note":null}}
 * per figure on its standard output. Everything else it prints is log.
 */
public final class ResultProtocol {
    public static final String PREFIX = "RESULT ";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ResultProtocol() {}

    public static String encode(Measurement m) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("workload", m.workload().name());
        o.put("metric", m.metric().key);
        if (m.value() == null) o.putNull("value"); else o.put("value", m.value());
        if (m.count() == null) o.putNull("count"); else o.put("count", m.count());
        o.put("status", m.status().name());
        if (m.note() == null) o.putNull("note"); else o.put("note", m.note());
        return PREFIX + o;
    }

    /** The figure on this line, or empty when the line is log. */
    public static Optional<Measurement> decode(String line) {
        if (!line.startsWith(PREFIX)) {
            return Optional.empty();
        }
        try {
            JsonNode o = MAPPER.readTree(line.substring(PREFIX.length()));
            Metric metric = Metric.find(o.path("workload").asText(), o.path("metric").asText());
            return Optional.of(new Measurement(Workload.valueOf(o.path("workload").asText()), metric,
                    o.path("value").isNumber() ? o.path("value").asDouble() : null,
                    o.path("count").isNumber() ? o.path("count").asLong() : null,
                    Status.valueOf(o.path("status").asText()),
                    o.path("note").isTextual() ? o.path("note").asText() : null));
        } catch (Exception e) {
            throw new IllegalArgumentException("malformed result line: " + line, e);
        }
    }
}
