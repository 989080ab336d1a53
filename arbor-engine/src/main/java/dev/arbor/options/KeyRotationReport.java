package dev.arbor.options;

import java.util.List;

/**
 * What a finished key rotation did.
 *
 * @param key       the name of the rotated key
 * @param sealing   the number of the key that seals from now on
 * @param retired   the numbers of the keys it replaced, dropped from the keyring once nothing was sealed under them
 * @param databases the encrypted databases it went through
 * @param rewritten values re-encrypted under the new key
 */
public record KeyRotationReport(String key, int sealing, List<Integer> retired, int databases, long rewritten) {
    public KeyRotationReport {
        retired = List.copyOf(retired);
    }
}
