package dev.arbor.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code arbor serve} in its own process, as the README's tour runs it: a first start without
 * {@code ARBOR_ADMIN}, then {@code ARBOR_ADMIN=admin:secret ./arbor serve} on the same data, after which
 * {@code curl -u admin:secret} must work. ARBOR_ADMIN is read from the environment, hence the child process.
 */
class ServeAdminTest {
    private static final Pattern LISTENING = Pattern.compile("listening on (\\S+)");
    private static final Pattern GENERATED = Pattern.compile("created 'admin' with password (\\S+)");

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    /** What a start printed up to its "Stop with Ctrl-C" line, and where it listens. */
    private record Started(Process process, String output, URI uri) implements AutoCloseable {
        @Override
        public void close() throws InterruptedException {
            process.destroy();
            assertTrue(process.waitFor(120, TimeUnit.SECONDS), "serve stops on SIGTERM"); // the timeout only ends a hung stop
        }
    }

    @Test
    void arborAdminOnALaterStartResetsTheGeneratedPasswordAndSaysSo() throws Exception {
        Path data = dir.resolve("data");
        // A small iteration count keeps the hashing of this test cheap; serve reads it from the data's arbor.ini.
        Files.createDirectories(data);
        Files.writeString(data.resolve("arbor.ini"), "[chttpd_auth]\niterations = 1000\n");

        String generatedPassword;
        try (Started first = serve(data, null)) {
            Matcher generated = GENERATED.matcher(first.output());
            assertTrue(generated.find(), first.output());
            generatedPassword = generated.group(1);
            assertEquals(200, sessionStatus(first.uri(), "admin", generatedPassword));
        }
        try (Started second = serve(data, "admin:secret")) {
            assertTrue(second.output().contains("ARBOR_ADMIN reset the password of admin 'admin'"), second.output());
            assertFalse(second.output().contains("secret"), second.output());
            assertEquals(200, sessionStatus(second.uri(), "admin", "secret"));
            assertEquals(401, sessionStatus(second.uri(), "admin", generatedPassword));
        }
        try (Started third = serve(data, "admin:secret")) {
            assertTrue(third.output().contains("'admin' as ARBOR_ADMIN gives it, password unchanged"), third.output());
        }
        String ini = Files.readString(data.resolve("arbor.ini"));
        assertTrue(ini.contains("admin = -pbkdf2:sha256-"), ini);
        assertFalse(ini.contains("admin = secret"), ini);
    }

    private Started serve(Path data, String arborAdmin) throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", classpath, Main.class.getName(),
                "serve", "--port", "0", "--data", data.toString()).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("ARBOR_"));
        if (arborAdmin != null) {
            env.put("ARBOR_ADMIN", arborAdmin);
        }
        Process process = builder.start();
        List<String> lines = new ArrayList<>();
        var reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            lines.add(line);
            if (line.startsWith("Stop with Ctrl-C")) {
                String output = String.join("\n", lines);
                Matcher listening = LISTENING.matcher(output);
                assertTrue(listening.find(), output);
                return new Started(process, output, URI.create(listening.group(1)));
            }
        }
        process.destroy();
        throw new AssertionError("serve ended before it was ready:\n" + String.join("\n", lines));
    }

    private int sessionStatus(URI server, String name, String password) throws Exception {
        String basic = Base64.getEncoder().encodeToString((name + ":" + password).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(server.resolve("/_session")).header("Authorization", "Basic " + basic).build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
