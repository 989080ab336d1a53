package dev.arbor.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
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
    private static final Pattern GENERATED = Pattern.compile("created 'admin' with password (\\S+)");

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void arborAdminOnALaterStartResetsTheGeneratedPasswordAndSaysSo() throws Exception {
        Path data = dir.resolve("data");
        // A small iteration count keeps the hashing of this test cheap; serve reads it from the data's arbor.ini.
        Files.createDirectories(data);
        Files.writeString(data.resolve("arbor.ini"), "[chttpd_auth]\niterations = 1000\n");

        String generatedPassword;
        try (ServeProcess first = serve(data, null)) {
            Matcher generated = GENERATED.matcher(first.output());
            assertTrue(generated.find(), first.output());
            generatedPassword = generated.group(1);
            assertEquals(200, sessionStatus(first.uri(), "admin", generatedPassword));
        }
        try (ServeProcess second = serve(data, "admin:secret")) {
            assertTrue(second.output().contains("ARBOR_ADMIN reset the password of admin 'admin'"), second.output());
            assertFalse(second.output().contains("secret"), second.output());
            assertEquals(200, sessionStatus(second.uri(), "admin", "secret"));
            assertEquals(401, sessionStatus(second.uri(), "admin", generatedPassword));
        }
        try (ServeProcess third = serve(data, "admin:secret")) {
            assertTrue(third.output().contains("'admin' as ARBOR_ADMIN gives it, password unchanged"), third.output());
        }
        String ini = Files.readString(data.resolve("arbor.ini"));
        assertTrue(ini.contains("admin = -pbkdf2:sha256-"), ini);
        assertFalse(ini.contains("admin = secret"), ini);
    }

    private ServeProcess serve(Path data, String arborAdmin) throws IOException {
        return ServeProcess.start(data, arborAdmin == null ? Map.of() : Map.of("ARBOR_ADMIN", arborAdmin));
    }

    private int sessionStatus(URI server, String name, String password) throws Exception {
        String basic = Base64.getEncoder().encodeToString((name + ":" + password).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(server.resolve("/_session")).header("Authorization", "Basic " + basic).build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
