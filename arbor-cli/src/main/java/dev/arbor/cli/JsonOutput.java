package dev.arbor.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.core.json.Json;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;

/** Writes a command's JSON result to stdout: pretty for a person, compact (one line) for a program. */
public final class JsonOutput {
    private final PrintStream out;
    private final boolean pretty;

    JsonOutput(PrintStream out, boolean pretty) {
        this.out = out;
        this.pretty = pretty;
    }

    /** Something written to a generator as it is read, e.g. the rows of {@code _all_docs}. */
    @FunctionalInterface
    public interface Body {
        void writeTo(JsonGenerator generator) throws IOException;
    }

    public void print(JsonNode value) {
        stream(generator -> generator.writeTree(value));
    }

    /** Writes a value that is produced piece by piece, so no whole result is built in memory. */
    public void stream(Body body) {
        try {
            JsonGenerator generator = Json.MAPPER.createGenerator(out);
            // A failure half-way must not be disguised as a complete answer by closing the open
            // arrays and objects, and stdout stays open for whatever runs next in this process.
            generator.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            generator.disable(JsonGenerator.Feature.AUTO_CLOSE_JSON_CONTENT);
            if (pretty) {
                generator.useDefaultPrettyPrinter();
            }
            try (generator) {
                body.writeTo(generator);
            } finally {
                out.println();
                out.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
