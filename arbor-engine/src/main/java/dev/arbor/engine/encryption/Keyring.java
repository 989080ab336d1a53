package dev.arbor.engine.encryption;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.core.error.ArborException;
import dev.arbor.options.VaultKeyStorage;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * A storage's data keys, in {@code <data>/keyring.json}, each wrapped (AES-GCM) by the master key from the vault.
 *
 * <p>Keys have names ({@code default}, or one per database or collection) and numbers. A value records the number of
 * the key that sealed it, so a name may have several numbers at once: rotating a name adds a number that seals from
 * then on, while the older ones still open what they sealed until the re-encryption that follows has rewritten it and
 * {@link #retire retires} them. Numbers are never reused.
 *
 * <p>The file is replaced whole (write, fsync, rename, fsync the directory), so a crash leaves the old keyring or the
 * new one. A wrong master key fails on the keyring's check value before anything is opened.
 *
 * <p>Threads: any. Reads of keys are lock-free (a concurrent map); changes are synchronised on this object.
 */
public final class Keyring {
    public static final String FILE_NAME = "keyring.json";
    private static final Pattern KEY_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
    private static final byte[] CHECK = "arbor keyring".getBytes(StandardCharsets.US_ASCII);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A data key: {@code number} seals and opens values, {@code name} says what it is for. */
    public record DataKey(int number, String name, SecretKeySpec secret) {}

    private final Path file;
    private final byte[] salt;
    private final SecretKeySpec master;
    private final Map<Integer, DataKey> byNumber = new ConcurrentHashMap<>();

    private Keyring(Path file, byte[] salt, SecretKeySpec master) {
        this.file = file;
        this.salt = salt;
        this.master = master;
    }

    /** True when the storage in {@code dataDir} is encrypted (has a keyring). */
    public static boolean exists(Path dataDir) {
        return Files.exists(dataDir.resolve(FILE_NAME));
    }

    /**
     * The keyring of the storage in {@code dataDir}, opened with the vault's master key; made (with the master key,
     * if the vault keeps one) when the storage has none yet.
     *
     * @throws ArborException.PreconditionFailed {@code encryption_key_wrong} when the master key does not open it,
     *                                           {@code encryption_key_missing} when the vault has no key; in either case
     *                                           nothing on disk changed
     */
    public static Keyring open(Path dataDir, VaultKeyStorage vault) {
        Path file = dataDir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            byte[] salt = new byte[16];
            RANDOM.nextBytes(salt);
            Keyring created = new Keyring(file, salt, masterKey(vault, salt, true));
            created.save();
            return created;
        }
        JsonNode stored;
        try {
            stored = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new ArborException.Internal("cannot read the keyring " + file + ": " + e.getMessage(), e);
        }
        byte[] salt = decode(stored.path("salt").asText());
        Keyring keyring = new Keyring(file, salt, masterKey(vault, salt, false));
        try {
            if (!Arrays.equals(CHECK, keyring.unwrap(decode(stored.path("check").asText()), "check"))) {
                throw new AEADBadTagException();
            }
        } catch (AEADBadTagException wrongKey) {
            throw new ArborException.PreconditionFailed("encryption_key_wrong", "The master key from the "
                    + vault.describe() + " does not open this storage's keyring " + file.toAbsolutePath()
                    + ": it is not the key the storage was encrypted with. Nothing was opened or changed.");
        }
        for (JsonNode key : stored.path("keys")) {
            int number = key.path("number").asInt();
            String name = key.path("name").asText();
            try {
                byte[] secret = keyring.unwrap(decode(key.path("wrapped").asText()), number + ":" + name);
                keyring.byNumber.put(number, new DataKey(number, name, new SecretKeySpec(secret, "AES")));
            } catch (AEADBadTagException e) {
                throw new ArborException.Internal("the keyring " + file + " is damaged: key " + number
                        + " does not unwrap under the master key that opens the keyring", e);
            }
        }
        return keyring;
    }

    private static SecretKeySpec masterKey(VaultKeyStorage vault, byte[] salt, boolean create) {
        byte[] key = vault.masterKey(salt, create);
        if (key == null || key.length != 32) {
            throw new ArborException.Internal("the " + vault.describe() + " gave no 256-bit master key", null);
        }
        return new SecretKeySpec(key, "AES");
    }

    /** The newest key called {@code name}: the one that seals. Made (and the keyring saved) if there is none. */
    public synchronized DataKey sealing(String name) {
        DataKey newest = newest(name);
        return newest != null ? newest : add(name);
    }

    /** The key numbered {@code number}, or null if there is none (retired, or not of this storage). */
    public DataKey key(int number) {
        return byNumber.get(number);
    }

    /** Adds a key to {@code name} that seals from now on; the older ones still open. Saved before it returns. */
    public synchronized DataKey rotate(String name) {
        return add(name);
    }

    /** Every number of {@code name}'s keys but the newest: those a re-encryption must leave no value under. */
    public synchronized List<Integer> retiring(String name) {
        DataKey newest = newest(name);
        List<Integer> older = new ArrayList<>();
        for (DataKey key : byNumber.values()) {
            if (key.name().equals(name) && key != newest) {
                older.add(key.number());
            }
        }
        older.sort(null);
        return older;
    }

    /** Names with more than one key: rotations begun and not finished (a crash, a close), to resume. */
    public synchronized List<String> unfinishedRotations() {
        Map<String, Integer> counts = new TreeMap<>();
        byNumber.values().forEach(key -> counts.merge(key.name(), 1, Integer::sum));
        return counts.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
    }

    /** Drops {@code numbers}: no value is sealed under them any more. Saved before it returns. */
    public synchronized void retire(List<Integer> numbers) {
        numbers.forEach(byNumber::remove);
        save();
    }

    /** Every key name, sorted. */
    public synchronized List<String> names() {
        return byNumber.values().stream().map(DataKey::name).distinct().sorted().toList();
    }

    public static void validateName(String name) {
        if (name == null || !KEY_NAME.matcher(name).matches()) {
            throw new ArborException.BadRequest("bad_request", "Invalid encryption key name " + name
                    + ": letters, digits, '_', '.' and '-', starting with a letter or digit.");
        }
    }

    private DataKey newest(String name) {
        DataKey newest = null;
        for (DataKey key : byNumber.values()) {
            if (key.name().equals(name) && (newest == null || key.number() > newest.number())) {
                newest = key;
            }
        }
        return newest;
    }

    private DataKey add(String name) {
        validateName(name);
        int number = byNumber.keySet().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        DataKey key = new DataKey(number, name, new SecretKeySpec(secret, "AES"));
        byNumber.put(number, key);
        try {
            save();
        } catch (RuntimeException e) {
            byNumber.remove(number);
            throw e;
        }
        return key;
    }

    private void save() {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", 1);
        root.put("cipher", "AES-256-GCM");
        root.put("salt", Base64.getEncoder().encodeToString(salt));
        root.put("check", Base64.getEncoder().encodeToString(wrap(CHECK, "check")));
        ArrayNode keys = root.putArray("keys");
        byNumber.values().stream().sorted((a, b) -> Integer.compare(a.number(), b.number())).forEach(key -> keys.addObject()
                .put("number", key.number()).put("name", key.name())
                .put("wrapped", Base64.getEncoder().encodeToString(wrap(key.secret().getEncoded(), key.number() + ":" + key.name()))));
        Path temp = file.resolveSibling(FILE_NAME + ".tmp");
        try {
            Files.createDirectories(file.getParent());
            Files.write(temp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
                dir.force(true);
            } catch (IOException notSupported) {
                // Some platforms cannot open a directory to sync it; the rename is then as durable as they allow.
            }
        } catch (IOException e) {
            throw new ArborException.Internal("cannot write the keyring " + file + ": " + e.getMessage(), e);
        }
    }

    /** nonce ‖ AES-GCM(master, plain), with {@code context} as associated data so a wrapped key cannot be swapped. */
    private byte[] wrap(byte[] plain, String context) {
        try {
            byte[] nonce = new byte[12];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, master, new GCMParameterSpec(128, nonce));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plain);
            byte[] out = Arrays.copyOf(nonce, 12 + sealed.length);
            System.arraycopy(sealed, 0, out, 12, sealed.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new ArborException.Internal("cannot wrap a key: " + e.getMessage(), e);
        }
    }

    private byte[] unwrap(byte[] wrapped, String context) throws AEADBadTagException {
        try {
            if (wrapped.length < 12 + 16) {
                throw new AEADBadTagException("too short");
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, master, new GCMParameterSpec(128, wrapped, 0, 12));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(wrapped, 12, wrapped.length - 12);
        } catch (AEADBadTagException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new ArborException.Internal("cannot unwrap a key: " + e.getMessage(), e);
        }
    }

    private static byte[] decode(String base64) {
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            return new byte[0];
        }
    }
}
