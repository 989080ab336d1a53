package dev.arbor.server.peer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.core.json.Json;

import java.util.ArrayList;
import java.util.List;

/**
 * What one scenario script reported: its verdict, each step's outcome and, for failed steps, the
 * error and the HTTP exchanges that led to it. A script that printed no report (it crashed, or was
 * killed) is a failed report carrying its raw output.
 */
public record ScenarioReport(String script, int exitCode, boolean ok, List<Step> steps, String stdout, String stderr) {

    /** One step: passed, failed (with error and recent HTTP exchanges, pretty-printed), or skipped for a reason. */
    public record Step(String name, boolean ok, String skipped, String error, String http) {}

    public ScenarioReport {
        steps = List.copyOf(steps);
    }

    static ScenarioReport parse(String script, int exitCode, String stdout, String stderr) {
        JsonNode report = lastJsonLine(stdout);
        if (report == null) {
            return new ScenarioReport(script, exitCode, false, List.of(), stdout, stderr);
        }
        List<Step> steps = new ArrayList<>();
        for (JsonNode s : report.path("steps")) {
            steps.add(new Step(s.path("name").asText(), s.path("ok").asBoolean(),
                    s.hasNonNull("skipped") ? s.get("skipped").asText() : null,
                    s.hasNonNull("error") ? s.get("error").asText() : null,
                    s.has("http") ? s.get("http").toPrettyString() : null));
        }
        boolean ok = exitCode == 0 && report.path("ok").asBoolean(false) && steps.stream().allMatch(Step::ok);
        return new ScenarioReport(script, exitCode, ok, steps, stdout, stderr);
    }

    private static JsonNode lastJsonLine(String stdout) {
        String[] lines = stdout.strip().split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            String line = lines[i].strip();
            if (line.startsWith("{")) {
                try {
                    return Json.MAPPER.readTree(line);
                } catch (java.io.IOException | RuntimeException e) {
                    return null;
                }
            }
        }
        return null;
    }

    public List<Step> failed() {
        return steps.stream().filter(s -> !s.ok()).toList();
    }

    public List<Step> skipped() {
        return steps.stream().filter(s -> s.skipped() != null).toList();
    }

    /** The failure message a test shows: each failed step with its error and HTTP exchanges, or the raw output. */
    public String describe() {
        StringBuilder out = new StringBuilder(script).append(" exited ").append(exitCode);
        if (steps.isEmpty()) {
            return out.append(" without a report.\nstdout:\n").append(stdout).append("\nstderr:\n").append(stderr).toString();
        }
        out.append("; ").append(failed().size()).append(" of ").append(steps.size()).append(" steps failed\n");
        for (Step step : steps) {
            out.append(step.ok() ? (step.skipped() != null ? "  skipped  " : "  passed   ") : "  FAILED   ").append(step.name()).append('\n');
        }
        for (Step step : failed()) {
            out.append("\n== ").append(step.name()).append('\n').append(step.error()).append('\n');
            if (step.http() != null) {
                out.append("HTTP exchanges of the step, oldest first:\n").append(step.http()).append('\n');
            }
        }
        if (!stderr.isBlank()) {
            out.append("\nstderr:\n").append(stderr);
        }
        return out.toString();
    }
}
