package dev.arbor.cli;

import dev.arbor.Arbor;
import dev.arbor.api.Storage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code arbor serve} with QUIC asked for in the environment ({@code ARBOR_QUIC_PORT=0}): its banner gives the
 * {@code arbor://} URL with the pin of its self-signed certificate, and a client that copies it in reaches the server.
 */
class ServeQuicTest {
    private static final Pattern URL = Pattern.compile("Arbor\\.storage\\(\"arbor://user:password@(\\S+?)\\?pin=([0-9A-F:]+)\"\\)");

    @TempDir
    Path dir;

    @Test
    void theBannersArborUrlWithItsPinReachesTheServerOverQuic() throws Exception {
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        Files.writeString(data.resolve("arbor.ini"), "[chttpd_auth]\niterations = 1000\n");
        try (ServeProcess serve = ServeProcess.start(data, Map.of("ARBOR_ADMIN", "admin:secret", "ARBOR_QUIC_PORT", "0"))) {
            Matcher printed = URL.matcher(serve.output());
            assertTrue(printed.find(), serve.output());
            try (Storage storage = Arbor.storage("arbor://admin:secret@" + printed.group(1) + "?pin=" + printed.group(2))) {
                storage.createDatabase("over-quic");
                assertTrue(storage.listDatabases().contains("over-quic"));
            }
            assertTrue(Files.exists(data.resolve("tls").resolve("server.crt")), "the self-signed certificate is kept with the data");
        }
    }
}
