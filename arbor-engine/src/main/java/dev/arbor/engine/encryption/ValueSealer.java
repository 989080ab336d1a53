package dev.arbor.engine.encryption;

import dev.arbor.core.error.ArborException;
import dev.arbor.engine.kv.Space;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sealed form of a stored value: {@code format (1) ‖ summary (1) ‖ key number (4) ‖ nonce (12) ‖ AES-256-GCM
 * ciphertext ‖ tag (16)}, 34 bytes more than the value. The space's name, the summary and the value's key are the
 * associated data, so a sealed value copied under another key or into another space, or given another summary, fails
 * to open instead of passing for the value there. The summary is the space's {@link Space#summaryOf summary} of the
 * value (0 for spaces without one), kept readable so scans that need only it open nothing; a scan that reads it
 * alone does not check the tag, so an altered summary misleads what counts with it (live counts) until the value is
 * next read.
 *
 * <p>Nonces never repeat under a key: 8 bytes drawn at random when the sealer is made, then advanced by one every
 * 2<sup>32</sup> values, followed by a 4-byte counter. Two sealers (two runs of the process) repeat a nonce only if
 * their random prefixes fall within the number of 2<sup>32</sup>-value blocks either used of each other: about
 * 2<sup>-64</sup> per pair of runs. Random 96-bit nonces would cost a {@link SecureRandom} call per value.
 *
 * <p>Threads: any. Ciphers are pooled, since making one costs more than sealing a document and a thread-local would
 * make one per virtual thread.
 */
final class ValueSealer {
    static final byte FORMAT = 1;
    static final int HEADER = 1 + 1 + 4 + 12;
    private static final int KEY_NUMBER_AT = 2;
    private static final int NONCE_AT = 6;
    static final int TAG_BYTES = 16;

    private final long noncePrefix = new SecureRandom().nextLong();
    private final AtomicLong counter = new AtomicLong();
    private final ConcurrentLinkedQueue<Cipher> ciphers = new ConcurrentLinkedQueue<>();
    private final java.util.Map<Space, byte[]> spaceNames = new java.util.concurrent.ConcurrentHashMap<>();

    byte[] seal(Keyring.DataKey key, Space space, byte[] rowKey, byte[] plain) {
        byte[] out = new byte[HEADER + plain.length + TAG_BYTES];
        out[0] = FORMAT;
        out[1] = (byte) (space.hasSummary() ? space.summaryOf(plain) : 0);
        writeInt(out, KEY_NUMBER_AT, key.number());
        long n = counter.getAndIncrement();
        writeLong(out, NONCE_AT, noncePrefix + (n >>> 32));
        writeInt(out, NONCE_AT + 8, (int) n);
        Cipher cipher = cipher();
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key.secret(), new GCMParameterSpec(128, out, NONCE_AT, 12));
            associate(cipher, space, out[1], rowKey);
            cipher.doFinal(plain, 0, plain.length, out, HEADER);
            ciphers.offer(cipher);
            return out;
        } catch (GeneralSecurityException e) {
            throw new ArborException.Internal("cannot encrypt a value: " + e.getMessage(), e);
        }
    }

    /**
     * The value {@code sealed} holds.
     *
     * @throws ArborException.Internal when it does not open: its key is not in the keyring, or it was altered or moved
     */
    byte[] open(Keyring keyring, Space space, byte[] rowKey, byte[] sealed) {
        if (sealed.length < HEADER + TAG_BYTES || sealed[0] != FORMAT) {
            throw damaged(space, "not a sealed value", null);
        }
        int number = keyNumber(sealed);
        Keyring.DataKey key = keyring.key(number);
        if (key == null) {
            throw damaged(space, "sealed under key " + number + ", which the keyring does not hold", null);
        }
        Cipher cipher = cipher();
        try {
            cipher.init(Cipher.DECRYPT_MODE, key.secret(), new GCMParameterSpec(128, sealed, NONCE_AT, 12));
            associate(cipher, space, sealed[1], rowKey);
            byte[] plain = new byte[sealed.length - HEADER - TAG_BYTES];
            cipher.doFinal(sealed, HEADER, sealed.length - HEADER, plain, 0);
            ciphers.offer(cipher);
            return plain;
        } catch (AEADBadTagException e) {
            throw damaged(space, "it fails its authentication tag (altered, or moved from another key)", e);
        } catch (GeneralSecurityException e) {
            throw new ArborException.Internal("cannot decrypt a value: " + e.getMessage(), e);
        }
    }

    /** The number of the key {@code sealed} was sealed with. */
    static int keyNumber(byte[] sealed) {
        int at = KEY_NUMBER_AT;
        return ((sealed[at] & 0xFF) << 24) | ((sealed[at + 1] & 0xFF) << 16) | ((sealed[at + 2] & 0xFF) << 8)
                | (sealed[at + 3] & 0xFF);
    }

    /** The summary byte kept readable in {@code sealed}. */
    static int summary(byte[] sealed) {
        return sealed[1] & 0xFF;
    }

    /**
     * One call with {@code space name ‖ 0 ‖ summary ‖ row key}: each call to updateAAD costs more than the bytes it
     * adds.
     */
    private void associate(Cipher cipher, Space space, byte summary, byte[] rowKey) {
        byte[] name = spaceNames.computeIfAbsent(space, s -> (s.name() + "\0").getBytes(StandardCharsets.UTF_8));
        byte[] associated = new byte[name.length + 1 + rowKey.length];
        System.arraycopy(name, 0, associated, 0, name.length);
        associated[name.length] = summary;
        System.arraycopy(rowKey, 0, associated, name.length + 1, rowKey.length);
        cipher.updateAAD(associated);
    }

    private Cipher cipher() {
        Cipher pooled = ciphers.poll();
        if (pooled != null) {
            return pooled;
        }
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new ArborException.Internal("AES-GCM is not available: " + e.getMessage(), e);
        }
    }

    private static ArborException damaged(Space space, String why, Throwable cause) {
        return new ArborException.Internal("an encrypted value in " + space + " cannot be read: " + why, cause);
    }

    private static void writeInt(byte[] out, int at, int value) {
        out[at] = (byte) (value >>> 24);
        out[at + 1] = (byte) (value >>> 16);
        out[at + 2] = (byte) (value >>> 8);
        out[at + 3] = (byte) value;
    }

    private static void writeLong(byte[] out, int at, long value) {
        writeInt(out, at, (int) (value >>> 32));
        writeInt(out, at + 4, (int) value);
    }
}
