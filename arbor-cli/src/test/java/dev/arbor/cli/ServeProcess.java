package dev.arbor.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code arbor serve} in a child process of its own, with an environment of the test's choosing (settings such as
 * {@code ARBOR_ADMIN} are read from the environment): what it printed up to its "Stop with Ctrl-C" line, and where it
 * listens. Closing it stops it with SIGTERM, as Ctrl-C would.
 */
record ServeProcess(Process process, String output, URI uri) implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on (\\S+)");

    /** Starts serve on a free port over {@code data}, with no ARBOR_ variables but {@code env}'s. */
    static ServeProcess start(Path data, Map<String, String> env) throws IOException {
        Process process = launch(data, env);
        List<String> lines = new ArrayList<>();
        var reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            lines.add(line);
            if (line.startsWith("Stop with Ctrl-C")) {
                String output = String.join("\n", lines);
                Matcher listening = LISTENING.matcher(output);
                assertTrue(listening.find(), output);
                return new ServeProcess(process, output, URI.create(listening.group(1)));
            }
        }
        process.destroy();
        throw new AssertionError("serve ended before it was ready:\n" + String.join("\n", lines));
    }

    /** Runs serve over {@code data} expecting it to refuse to start: its exit code and everything it printed. */
    static CliHarness.Result refusal(Path data, Map<String, String> env) throws IOException, InterruptedException {
        Process process = launch(data, env);
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "serve ends by itself when it cannot start:\n" + output);
        return new CliHarness.Result(process.exitValue(), "", output);
    }

    private static Process launch(Path data, Map<String, String> env) throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", classpath, Main.class.getName(),
                "serve", "--port", "0", "--data", data.toString()).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("ARBOR_"));
        builder.environment().putAll(env);
        return builder.start();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "serve stops on SIGTERM"); // the timeout only ends a hung stop
    }
}
