package dev.arbor.options;

import dev.arbor.core.error.ArborException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/** The master key in a file of its own: 32 bytes, base64, on one line. Made owner-only on first use if missing. */
record KeyFileVault(Path file) implements VaultKeyStorage {

    @Override
    public java.util.Optional<Path> keyFile() {
        return java.util.Optional.of(file);
    }

    @Override
    public byte[] masterKey(byte[] salt, boolean create) {
        if (!Files.exists(file)) {
            if (!create) {
                throw new ArborException.PreconditionFailed("encryption_key_missing", "This storage is encrypted and its"
                        + " master key file " + file.toAbsolutePath() + " does not exist; nothing was opened or changed.");
            }
            write();
        }
        try {
            String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
            byte[] key = Base64.getDecoder().decode(text);
            if (key.length != 32) {
                throw new IllegalArgumentException(key.length + " bytes");
            }
            return key;
        } catch (IOException | IllegalArgumentException e) {
            throw new ArborException.PreconditionFailed("encryption_key_invalid", "The master key file "
                    + file.toAbsolutePath() + " does not hold a key (32 bytes, base64): " + e.getMessage());
        }
    }

    /** A new random key; refuses to replace a file that appeared meanwhile (another process made the key). */
    private void write() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII,
                    StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.SYNC);
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // Windows: the file inherits its directory's ACL; nothing portable narrows it further.
            }
        } catch (FileAlreadyExistsException raced) {
            // Read the one that is there.
        } catch (IOException e) {
            throw new ArborException.Internal("cannot write the master key file " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String describe() {
        return "key file " + file.toAbsolutePath();
    }
}
