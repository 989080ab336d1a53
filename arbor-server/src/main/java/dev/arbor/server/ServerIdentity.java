package dev.arbor.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * This server's uuid, made once and kept in {@code <data>/server.uuid} so it survives restarts
 * (CouchDB keeps it in its ini file; replicators use it to tell servers apart).
 */
final class ServerIdentity {
    static final String FILE = "server.uuid";
    private static final Pattern UUID = Pattern.compile("[0-9a-f]{32}");

    private ServerIdentity() {}

    static String loadOrCreate(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        try {
            if (Files.isRegularFile(file)) {
                String text = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (!UUID.matcher(text).matches()) {
                    throw new IllegalStateException(file + " does not hold a server uuid (32 hex digits): " + text);
                }
                return text;
            }
            Files.createDirectories(dataDir);
            byte[] bytes = new byte[16];
            new SecureRandom().nextBytes(bytes);
            String uuid = HexFormat.of().formatHex(bytes);
            // Written aside and moved, so a crash never leaves a half-written id behind.
            Path temp = Files.createTempFile(dataDir, FILE, ".tmp");
            Files.writeString(temp, uuid + "\n", StandardCharsets.UTF_8);
            Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return uuid;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write " + file, e);
        }
    }
}
