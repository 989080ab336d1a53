package dev.arbor.core.rev;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The binary form of a {@link RevTree}, written on every document write, so it is built for size:
 * about 17 bytes a revision (one header byte and a 16-byte MD5 hash).
 *
 * <pre>
 * tree   := version(1 byte, = 1) count(varint) node*        nodes in the tree's (pos, hash) order
 * node   := header(1 byte) link-data hash-data
 * header := bit 0 available, bit 1 deleted,
 *           bits 2-3 hash kind: 0 = 32 lowercase hex chars, as 16 raw bytes
 *                               1 = other even-length lowercase hex: varint byte count, raw bytes
 *                               2 = anything else: varint byte count, UTF-8 bytes
 *           bits 4-5 link: 0 = a root: varint (pos - previous node's pos, 0 before the first node)
 *                          1 = child of the previous node: no data
 *                          2 = child of an earlier node: varint (index - parent index)
 * </pre>
 *
 * A child's pos is its parent's plus one, so only roots store one; in a linear history every node
 * after the first is "child of the previous node".
 */
final class RevTreeCodec {
    private static final byte VERSION = 1;
    private static final int HASH_MD5_HEX = 0;
    private static final int HASH_HEX = 1;
    private static final int HASH_UTF8 = 2;
    private static final int LINK_ROOT = 0;
    private static final int LINK_PREVIOUS = 1;
    private static final int LINK_EARLIER = 2;
    private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private RevTreeCodec() {}

    static byte[] encode(RevTree tree) {
        int n = tree.size();
        Output out = new Output(8 + n * 18);
        out.write(VERSION);
        out.writeVarint(n);
        long previousPos = 0;
        for (int i = 0; i < n; i++) {
            String hash = tree.hashAt(i);
            int hashKind = isLowercaseHex(hash) ? (hash.length() == 32 ? HASH_MD5_HEX : HASH_HEX) : HASH_UTF8;
            int parent = tree.parentAt(i);
            int link = parent < 0 ? LINK_ROOT : parent == i - 1 ? LINK_PREVIOUS : LINK_EARLIER;
            out.write(tree.flagsAt(i) | hashKind << 2 | link << 4);
            if (link == LINK_ROOT) {
                out.writeVarint(tree.positionAt(i) - previousPos);
            } else if (link == LINK_EARLIER) {
                out.writeVarint(i - parent);
            }
            previousPos = tree.positionAt(i);
            switch (hashKind) {
                case HASH_MD5_HEX -> out.writeHex(hash);
                case HASH_HEX -> {
                    out.writeVarint(hash.length() / 2);
                    out.writeHex(hash);
                }
                default -> {
                    byte[] utf8 = hash.getBytes(StandardCharsets.UTF_8);
                    out.writeVarint(utf8.length);
                    out.write(utf8);
                }
            }
        }
        return out.toByteArray();
    }

    static RevTree decode(byte[] bytes) {
        Input in = new Input(bytes);
        if (in.read() != VERSION) {
            throw corrupt("unknown format version");
        }
        long count = in.readVarint();
        if (count == 0) {
            return RevTree.empty();
        }
        // Every node takes at least two bytes, which bounds what a corrupt count can make us allocate.
        if (count > bytes.length / 2) {
            throw corrupt("node count larger than the data");
        }
        int n = (int) count;
        long[] positions = new long[n];
        String[] hashes = new String[n];
        byte[] flags = new byte[n];
        int[] parents = new int[n];
        for (int i = 0; i < n; i++) {
            int header = in.read();
            int hashKind = header >> 2 & 3;
            int link = header >> 4 & 3;
            if (header >> 6 != 0 || hashKind == 3) {
                throw corrupt("bad node header");
            }
            flags[i] = (byte) (header & 3);
            if (link == LINK_ROOT) {
                parents[i] = -1;
                positions[i] = (i == 0 ? 0 : positions[i - 1]) + in.readVarint();
                if (positions[i] < 1) {
                    throw corrupt("position below 1");
                }
            } else {
                long distance = link == LINK_PREVIOUS ? 1 : in.readVarint();
                if (distance < 1 || distance > i || (link == LINK_EARLIER && distance < 2)) {
                    throw corrupt("bad parent reference");
                }
                parents[i] = i - (int) distance;
                positions[i] = positions[parents[i]] + 1;
            }
            hashes[i] = switch (hashKind) {
                case HASH_MD5_HEX -> in.readHex(16);
                case HASH_HEX -> in.readHex(in.readLength());
                default -> in.readUtf8(in.readLength());
            };
            if (i > 0 && RevTree.compare(positions[i - 1], hashes[i - 1], positions[i], hashes[i]) >= 0) {
                throw corrupt("nodes out of order");
            }
        }
        if (!in.atEnd()) {
            throw corrupt("trailing bytes");
        }
        return new RevTree(positions, hashes, flags, parents);
    }

    /**
     * Whether encoded tree bytes are one linear history (one root, each later node the child of the one before):
     * then the tree has one leaf and no conflicts. Reads only the node headers and lengths.
     */
    static boolean isSinglePath(byte[] bytes) {
        Input in = new Input(bytes);
        if (in.read() != VERSION) {
            throw corrupt("unknown format version");
        }
        long n = in.readVarint();
        for (long i = 0; i < n; i++) {
            int header = in.read();
            int link = header >> 4 & 3;
            if (i > 0 && link != LINK_PREVIOUS) {
                return false;
            }
            if (link == LINK_ROOT) {
                in.readVarint();
            }
            in.skip((header >> 2 & 3) == HASH_MD5_HEX ? 16 : in.readLength());
        }
        return true;
    }

    private static boolean isLowercaseHex(String hash) {
        if (hash.length() % 2 != 0) {
            return false;
        }
        for (int i = 0; i < hash.length(); i++) {
            char c = hash.charAt(i);
            if (!(c >= '0' && c <= '9') && !(c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    private static IllegalArgumentException corrupt(String why) {
        return new IllegalArgumentException("corrupt revision tree: " + why);
    }

    private static final class Output {
        private byte[] buffer;
        private int length;

        Output(int capacity) {
            buffer = new byte[capacity];
        }

        void write(int b) {
            ensure(1);
            buffer[length++] = (byte) b;
        }

        void write(byte[] bytes) {
            ensure(bytes.length);
            System.arraycopy(bytes, 0, buffer, length, bytes.length);
            length += bytes.length;
        }

        void writeVarint(long value) {
            ensure(10);
            while ((value & ~0x7FL) != 0) {
                buffer[length++] = (byte) (value & 0x7F | 0x80);
                value >>>= 7;
            }
            buffer[length++] = (byte) value;
        }

        void writeHex(String hex) {
            ensure(hex.length() / 2);
            for (int i = 0; i < hex.length(); i += 2) {
                buffer[length++] = (byte) (nibble(hex.charAt(i)) << 4 | nibble(hex.charAt(i + 1)));
            }
        }

        /** The value of a lowercase hex digit (the caller checked it is one). */
        private static int nibble(char c) {
            return c <= '9' ? c - '0' : c - 'a' + 10;
        }

        private void ensure(int more) {
            if (length + more > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
            }
        }

        byte[] toByteArray() {
            return length == buffer.length ? buffer : Arrays.copyOf(buffer, length);
        }
    }

    private static final class Input {
        private final byte[] bytes;
        private int offset;

        Input(byte[] bytes) {
            this.bytes = bytes;
        }

        int read() {
            if (offset >= bytes.length) {
                throw corrupt("truncated");
            }
            return bytes[offset++] & 0xFF;
        }

        long readVarint() {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                int b = read();
                value |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    if (value < 0) {
                        throw corrupt("varint out of range");
                    }
                    return value;
                }
            }
            throw corrupt("varint too long");
        }

        /** A hash's byte count: 0 for the empty hash of a rev such as {@code "1-"}, which CouchDB accepts. */
        int readLength() {
            long length = readVarint();
            if (length < 0 || length > bytes.length - offset) {
                throw corrupt("bad hash length");
            }
            return (int) length;
        }

        String readHex(int byteCount) {
            if (byteCount > bytes.length - offset) {
                throw corrupt("truncated");
            }
            // Hex digits are Latin-1, which Java strings store one byte a char: building the text as
            // bytes spares the char[] copy and compression new String(char[]) would do.
            byte[] chars = new byte[byteCount * 2];
            for (int i = 0; i < byteCount; i++) {
                int b = bytes[offset++] & 0xFF;
                chars[2 * i] = HEX_DIGITS[b >> 4];
                chars[2 * i + 1] = HEX_DIGITS[b & 0xF];
            }
            return new String(chars, StandardCharsets.ISO_8859_1);
        }

        String readUtf8(int byteCount) {
            String text = new String(bytes, offset, byteCount, StandardCharsets.UTF_8);
            offset += byteCount;
            return text;
        }

        void skip(int byteCount) {
            if (byteCount > bytes.length - offset) {
                throw corrupt("truncated");
            }
            offset += byteCount;
        }

        boolean atEnd() {
            return offset == bytes.length;
        }
    }
}
