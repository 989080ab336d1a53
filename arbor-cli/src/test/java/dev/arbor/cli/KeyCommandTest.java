package dev.arbor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.core.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every command opens a storage encrypted by {@code [encryption]} of its {@code arbor.ini}; {@code key list} shows the
 * keys and {@code key rotate} replaces one, everything still reading after.
 */
class KeyCommandTest {

    @Test
    void commandsReadAndWriteAnEncryptedStorageAndAKeyRotates(@TempDir Path dir) throws IOException {
        CliHarness arbor = new CliHarness(dir.resolve("data"));
        Files.createDirectories(arbor.dataDir());
        Path keyFile = dir.resolve("keys").resolve("master.key");
        Files.writeString(arbor.dataDir().resolve("arbor.ini"), "[encryption]\nkey_file = " + keyFile + "\n");

        arbor.ok("init", "--db", "news");
        arbor.ok("put", "--db", "news", "today", "{\"title\":\"PLAINTEXTPROBE\"}");
        assertTrue(Files.exists(keyFile), "the master key was made outside the data directory on first use");
        assertEquals(Json.parse("{\"keys\":[\"default\"],\"databases\":{\"news\":\"default\"}}"), arbor.ok("key", "list"));

        JsonNode rotated = arbor.ok("key", "rotate", "default");
        assertEquals(2, rotated.path("sealing").asInt(), rotated.toString());
        assertEquals(1, rotated.path("retired").path(0).asInt(), rotated.toString());
        assertTrue(rotated.path("rewritten").asLong() > 0, rotated.toString());
        assertEquals("PLAINTEXTPROBE", arbor.ok("get", "--db", "news", "today").path("title").asText());

        // Without the key the storage does not open, and says why.
        Files.writeString(arbor.dataDir().resolve("arbor.ini"), "");
        var refused = arbor.run("get", "--db", "news", "today");
        assertNotEquals(0, refused.exitCode());
        assertTrue(refused.stderr().contains("encryption_key_missing"), refused.stderr());
    }

    @Test
    void aKeyThatDoesNotExistIsNotFound(@TempDir Path dir) throws IOException {
        CliHarness arbor = new CliHarness(dir.resolve("data"));
        Files.createDirectories(arbor.dataDir());
        Files.writeString(arbor.dataDir().resolve("arbor.ini"), "[encryption]\nkey_file = " + dir.resolve("k") + "\n");
        arbor.ok("init", "--db", "news");
        var result = arbor.run("key", "rotate", "nosuchkey");
        assertNotEquals(0, result.exitCode());
        assertTrue(result.stderr().contains("not_found"), result.stderr());
    }
}
