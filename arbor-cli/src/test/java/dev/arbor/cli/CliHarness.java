package dev.arbor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.core.json.Json;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs the arbor command in-process against one data directory and captures what it prints. */
final class CliHarness {
    private final Path dataDir;

    CliHarness(Path dataDir) {
        this.dataDir = dataDir;
    }

    Path dataDir() {
        return dataDir;
    }

    /** What one run printed and how it exited. */
    record Result(int exitCode, String stdout, String stderr) {
        JsonNode json() {
            return Json.parse(stdout);
        }

        /** The CouchDB error body on stderr (its last line: anything before it is a hint for people). */
        JsonNode error() {
            String[] lines = stderr.strip().split("\n");
            return Json.parse(lines[lines.length - 1]);
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\nstdout: " + stdout + "\nstderr: " + stderr;
        }
    }

    Result run(String... args) {
        return runWithStdin("", args);
    }

    Result runWithStdin(String stdin, String... args) {
        return runAs(false, stdin, args);
    }

    /** Runs with {@code --data} set to this harness's directory and stdout seen as a terminal or not. */
    Result runAs(boolean terminal, String stdin, String... args) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        List<String> argv = new ArrayList<>(List.of("--data", dataDir.toString()));
        argv.addAll(List.of(args));
        var io = new Io(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                terminal);
        int exitCode = Main.run(io, argv.toArray(String[]::new));
        return new Result(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Runs a command that must succeed and returns its JSON result. */
    JsonNode ok(String... args) {
        Result result = run(args);
        if (result.exitCode() != 0) {
            throw new AssertionError("arbor " + String.join(" ", args) + " failed: " + result);
        }
        return result.json();
    }
}
