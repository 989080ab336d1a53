package dev.arbor.server;

import dev.arbor.core.error.ArborException;
import dev.arbor.server.auth.ConfigFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServerConfigTest {
    @TempDir
    Path data;

    @Test
    void defaultsAreLoopback5984AndSixtyFourMebibytes() {
        ServerConfig config = ServerConfig.load(new ServerConfig.Overrides(null, null, data), Map.of());
        assertEquals("127.0.0.1", config.host());
        assertEquals(5984, config.port());
        assertEquals(64L * 1024 * 1024, config.maxRequestBodyBytes());
        assertEquals(data.toAbsolutePath().normalize(), config.dataDir());
        assertFalse(config.cors().enabled());
    }

    @Test
    void quicIsOffUnlessTheEnvironmentOrTheIniFileNamesAPortAndTheEnvironmentWins() throws Exception {
        assertEquals(java.util.OptionalInt.empty(), ServerConfig.quicPort(data, Map.of()));
        Files.writeString(data.resolve("arbor.ini"), "[arbor]\nquic_port = 5645\n");
        assertEquals(java.util.OptionalInt.of(5645), ServerConfig.quicPort(data, Map.of()));
        assertEquals(java.util.OptionalInt.of(0), ServerConfig.quicPort(data, Map.of("ARBOR_QUIC_PORT", "0")));
    }

    @Test
    void aQuicPortOutOfRangeIsRefusedNamingWhereItCameFrom() throws Exception {
        Files.writeString(data.resolve("arbor.ini"), "[arbor]\nquic_port = 70000\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServerConfig.quicPort(data, Map.of()));
        assertTrue(e.getMessage().contains("quic_port") && e.getMessage().contains("0..65535"), e.getMessage());
    }

    @Test
    void flagsBeatEnvironmentWhichBeatsTheIniFile() throws Exception {
        Files.writeString(data.resolve("arbor.ini"), """
                ; CouchDB-style names
                [httpd]
                bind_address = 0.0.0.0
                port = 7000
                max_http_request_size = 1000
                shutdown_timeout = 5
                """);
        ServerConfig fromIni = ServerConfig.load(new ServerConfig.Overrides(null, null, data), Map.of());
        assertEquals("0.0.0.0", fromIni.host());
        assertEquals(7000, fromIni.port());
        assertEquals(1000, fromIni.maxRequestBodyBytes());
        assertEquals(Duration.ofSeconds(5), fromIni.shutdownTimeout());

        ServerConfig fromEnv = ServerConfig.load(new ServerConfig.Overrides(null, null, data),
                Map.of("ARBOR_PORT", "7001", "ARBOR_HOST", "::1"));
        assertEquals(7001, fromEnv.port());
        assertEquals("::1", fromEnv.host());
        assertEquals(1000, fromEnv.maxRequestBodyBytes());

        ServerConfig fromFlags = ServerConfig.load(new ServerConfig.Overrides("localhost", 7002, data),
                Map.of("ARBOR_PORT", "7001"));
        assertEquals(7002, fromFlags.port());
        assertEquals("localhost", fromFlags.host());
    }

    @Test
    void dataDirectoryComesFromEnvironmentWhenNoFlagGivesIt() {
        ServerConfig config = ServerConfig.load(ServerConfig.Overrides.NONE, Map.of("ARBOR_DATA", data.toString()));
        assertEquals(data.toAbsolutePath().normalize(), config.dataDir());
    }

    @Test
    void corsTurnsOnFromTheIniFileWithItsOrigins() throws Exception {
        Files.writeString(data.resolve("arbor.ini"), """
                [httpd]
                enable_cors = true
                [cors]
                origins = http://a.example, http://b.example
                credentials = true
                """);
        ServerConfig config = ServerConfig.load(new ServerConfig.Overrides(null, null, data), Map.of());
        assertTrue(config.cors().enabled());
        assertTrue(config.cors().credentials());
        assertEquals(2, config.cors().origins().size());
    }

    @Test
    void aBadValueNamesWhereItCameFrom() throws Exception {
        Files.writeString(data.resolve("arbor.ini"), "[httpd]\nport = lots\n");
        var fromIni = assertThrows(IllegalArgumentException.class,
                () -> ServerConfig.load(new ServerConfig.Overrides(null, null, data), Map.of()));
        assertTrue(fromIni.getMessage().contains("[httpd] port"), fromIni.getMessage());
        var fromEnv = assertThrows(IllegalArgumentException.class,
                () -> ServerConfig.load(new ServerConfig.Overrides(null, null, data), Map.of("ARBOR_PORT", "x")));
        assertTrue(fromEnv.getMessage().contains("ARBOR_PORT"), fromEnv.getMessage());
    }

    @Test
    void theMemoryBudgetOfDesignFunctionsComesFromQueryServerConfigInBytesAndIsCouchjsHeapByDefault() throws Exception {
        assertEquals(64L << 20, ServerConfig.load(new ServerConfig.Overrides(null, null, data), Map.of()).designFunctionMemoryBudget());

        Files.writeString(data.resolve("arbor.ini"), "[query_server_config]\nmemory_budget = 1048576\n");

        assertEquals(1 << 20, ServerConfig.load(new ServerConfig.Overrides(null, null, data), Map.of()).designFunctionMemoryBudget());
    }

    @Test
    void aMemoryBudgetThatIsNotAPositiveByteCountIsRefusedNamingTheSetting() throws Exception {
        for (String value : new String[] {"0", "-1", "64MiB"}) {
            Files.writeString(data.resolve("arbor.ini"), "[query_server_config]\nmemory_budget = " + value + "\n");

            var refused = assertThrows(IllegalArgumentException.class,
                    () -> ServerConfig.load(new ServerConfig.Overrides(null, null, data), Map.of()));

            assertTrue(refused.getMessage().contains("memory_budget"), refused.getMessage());
        }
    }

    @Test
    void aMemoryBudgetSetThroughTheNodeConfigAppliesAtRestartAndAnUnreadableOneIsRefused() {
        NodeConfig config = ConfigFile.open(data);

        config.set("query_server_config", "memory_budget", "1048576");

        assertEquals(NodeConfig.Applies.RESTART, config.applies("query_server_config", "memory_budget"));
        assertThrows(ArborException.BadRequest.class, () -> config.set("query_server_config", "memory_budget", "lots"));
        assertEquals("1048576", config.get("query_server_config", "memory_budget").orElseThrow());
    }
}
