package dev.arbor.js.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import dev.arbor.core.error.ArborException;
import dev.arbor.core.json.Json;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;

/**
 * CouchDB's {@code _approx_count_distinct}: a HyperLogLog sketch of the emitted keys with precision 11
 * (2048 registers, about 2.3% standard error), as CouchDB's {@code hyper:new(11)}; rereduce takes the
 * register-wise maximum (union); a query shows the rounded estimate.
 *
 * <p>A reduction is the registers as a {@link BinaryNode}; stored as JSON it becomes a base64 string,
 * which {@link #union} reads back too. Keys are hashed by their JSON text, so {@code 1} and {@code 1.0}
 * are distinct, as CouchDB's hash of the Erlang term makes them. The hash differs from CouchDB's, so
 * estimates agree only within the error bound; small counts are exact in both (linear counting).
 */
public final class ApproxCountDistinct {
    static final int PRECISION = 11;
    static final int REGISTERS = 1 << PRECISION;

    private ApproxCountDistinct() {}

    /** The sketch of these keys. */
    public static JsonNode sketch(List<JsonNode> keys) {
        byte[] registers = new byte[REGISTERS];
        for (JsonNode key : keys) {
            long hash = hash(Json.bytes(key));
            int index = (int) (hash >>> (64 - PRECISION));
            // Rank: position of the first 1 bit in the remaining 53 bits (53 + 1 if all zero).
            long rest = hash << PRECISION;
            int rank = rest == 0 ? 64 - PRECISION + 1 : Long.numberOfLeadingZeros(rest) + 1;
            if (rank > registers[index]) {
                registers[index] = (byte) rank;
            }
        }
        return BinaryNode.valueOf(registers);
    }

    /** The union of sketches made by {@link #sketch} (or their base64 JSON form). */
    public static JsonNode union(List<JsonNode> sketches) {
        byte[] registers = new byte[REGISTERS];
        for (JsonNode sketch : sketches) {
            byte[] other = registers(sketch);
            for (int i = 0; i < REGISTERS; i++) {
                if (other[i] > registers[i]) {
                    registers[i] = other[i];
                }
            }
        }
        return BinaryNode.valueOf(registers);
    }

    /** The estimated number of distinct keys, rounded. */
    public static JsonNode estimate(JsonNode sketch) {
        byte[] registers = registers(sketch);
        double harmonic = 0;
        int zeros = 0;
        for (byte register : registers) {
            harmonic += Math.scalb(1.0, -register);
            if (register == 0) {
                zeros++;
            }
        }
        double m = REGISTERS;
        double alpha = 0.7213 / (1 + 1.079 / m);
        double raw = alpha * m * m / harmonic;
        double estimate = raw <= 2.5 * m && zeros > 0 ? m * Math.log(m / zeros) : raw;
        return ErlangNumbers.integer(java.math.BigInteger.valueOf(Math.round(estimate)));
    }

    private static byte[] registers(JsonNode sketch) {
        byte[] registers;
        if (sketch instanceof BinaryNode binary) {
            registers = binary.binaryValue();
        } else if (sketch.isTextual()) {
            registers = Base64.getDecoder().decode(sketch.textValue());
        } else {
            throw new ArborException.Internal("invalid_value: not an _approx_count_distinct reduction: " + sketch, null);
        }
        if (registers.length != REGISTERS) {
            throw new ArborException.Internal("invalid_value: an _approx_count_distinct reduction has " + REGISTERS
                    + " registers, not " + registers.length, null);
        }
        return registers;
    }

    /** The first 64 bits of the key's MD5: slower than a non-cryptographic hash, but uniform on short keys. */
    private static long hash(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("MD5").digest(bytes);
            return ByteBuffer.wrap(digest).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every JDK", e);
        }
    }
}
