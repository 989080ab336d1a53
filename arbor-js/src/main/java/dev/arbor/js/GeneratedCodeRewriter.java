package dev.arbor.js;

import dev.arbor.js.link.MeteredBootstrap;
import org.mozilla.javascript.GeneratedClassLoader;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Routes the string concatenations of the classes Rhino generates through {@link MeteredBootstrap}: Rhino offers no
 * hook into how it compiles {@code +}, and its generated classes pass through {@link JsEngine#createClassLoader} on
 * their way in. Two edits of the constant pool, nothing else:
 * <ul>
 *   <li>the bootstrap class of the invokedynamic call sites ({@code +} is one) becomes MeteredBootstrap;
 *   <li>the static methods Rhino calls for the other concatenations (template literals, a string plus a number)
 *       are looked up in MeteredBootstrap, which has the same ones.
 * </ul>
 * The rest of the class file is copied as it is: nothing in it refers to the constant pool by byte offset. A class
 * with nothing to edit is defined from its own bytes.
 */
final class GeneratedCodeRewriter implements GeneratedClassLoader {
    private static final String RHINO_BOOTSTRAP = "org/mozilla/javascript/optimizer/Bootstrapper";
    private static final String METERED_BOOTSTRAP = MeteredBootstrap.class.getName().replace('.', '/');
    /** The concatenating methods MeteredBootstrap stands in for: owner, name and descriptor. */
    private static final Set<List<String>> CONCATENATIONS = Set.of(
            List.of("org/mozilla/javascript/ScriptRuntime", "concat", "(Ljava/lang/Object;Ljava/lang/Object;)Ljava/lang/Object;"),
            List.of("org/mozilla/javascript/ScriptRuntime", "add",
                    "(Ljava/lang/Object;Ljava/lang/Object;Lorg/mozilla/javascript/Context;)Ljava/lang/Object;"),
            List.of("org/mozilla/javascript/optimizer/OptRuntime", "concat",
                    "(Ljava/lang/Object;Ljava/lang/Object;)Ljava/lang/Object;"),
            List.of("org/mozilla/javascript/optimizer/OptRuntime", "add",
                    "(Ljava/lang/Object;Ljava/lang/Object;Lorg/mozilla/javascript/Context;)Ljava/lang/Object;"),
            List.of("org/mozilla/javascript/optimizer/OptRuntime", "add",
                    "(Ljava/lang/Object;DLorg/mozilla/javascript/Context;)Ljava/lang/Object;"),
            List.of("org/mozilla/javascript/optimizer/OptRuntime", "add",
                    "(DLjava/lang/Object;Lorg/mozilla/javascript/Context;)Ljava/lang/Object;"));

    private static final int UTF8 = 1;
    private static final int CLASS = 7;
    private static final int METHODREF = 10;
    private static final int NAME_AND_TYPE = 12;

    private final GeneratedClassLoader loader;

    GeneratedCodeRewriter(GeneratedClassLoader loader) {
        this.loader = loader;
    }

    @Override
    public Class<?> defineClass(String name, byte[] data) {
        return loader.defineClass(name, rewrite(data));
    }

    @Override
    public void linkClass(Class<?> cl) {
        loader.linkClass(cl);
    }

    /** One constant pool entry: its tag, its bytes after the tag, and for the entries that matter, what it says. */
    private record Entry(int tag, byte[] body, String text, int first, int second) {}

    static byte[] rewrite(byte[] classFile) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
            int magic = in.readInt();
            int version = in.readInt();
            int count = in.readUnsignedShort();
            List<Entry> pool = new ArrayList<>(count + 2);
            pool.add(null); // entries are numbered from 1
            for (int index = 1; index < count; index++) {
                Entry entry = read(in);
                pool.add(entry);
                if (entry.tag() == 5 || entry.tag() == 6) { // a long or a double takes two entries
                    pool.add(null);
                    index++;
                }
            }
            byte[] rest = in.readAllBytes();

            boolean changed = false;
            int meteredClass = -1;
            for (int index = 1; index < pool.size(); index++) {
                Entry entry = pool.get(index);
                if (entry != null && entry.tag() == UTF8 && entry.text().equals(RHINO_BOOTSTRAP)) {
                    pool.set(index, utf8(METERED_BOOTSTRAP));
                    changed = true;
                }
            }
            for (int index = 1; index < pool.size(); index++) {
                Entry entry = pool.get(index);
                if (entry != null && entry.tag() == CLASS && METERED_BOOTSTRAP.equals(pool.get(entry.first()).text())) {
                    meteredClass = index;
                }
            }
            for (int index = 1; index < pool.size(); index++) {
                Entry entry = pool.get(index);
                if (entry == null || entry.tag() != METHODREF) {
                    continue;
                }
                String owner = pool.get(pool.get(entry.first()).first()).text();
                Entry nameAndType = pool.get(entry.second());
                if (nameAndType.tag() != NAME_AND_TYPE || !CONCATENATIONS.contains(List.of(owner,
                        pool.get(nameAndType.first()).text(), pool.get(nameAndType.second()).text()))) {
                    continue;
                }
                if (meteredClass < 0) {
                    pool.add(utf8(METERED_BOOTSTRAP));
                    pool.add(reference(CLASS, pool.size() - 1, -1));
                    meteredClass = pool.size() - 1;
                }
                pool.set(index, reference(METHODREF, meteredClass, entry.second()));
                changed = true;
            }
            if (!changed) {
                return classFile;
            }

            ByteArrayOutputStream bytes = new ByteArrayOutputStream(classFile.length + 128);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(magic);
            out.writeInt(version);
            out.writeShort(pool.size());
            for (int index = 1; index < pool.size(); index++) {
                Entry entry = pool.get(index);
                if (entry != null) {
                    out.writeByte(entry.tag());
                    out.write(entry.body());
                }
            }
            out.write(rest);
            return bytes.toByteArray();
        } catch (IOException | RuntimeException malformed) {
            throw new IllegalStateException("cannot read a class file Rhino generated", malformed);
        }
    }

    private static Entry read(DataInputStream in) throws IOException {
        int tag = in.readUnsignedByte();
        return switch (tag) {
            case UTF8 -> utf8(in.readUTF());
            case CLASS, 8, 16, 19, 20 -> reference(tag, in.readUnsignedShort(), -1); // class, string, method type, module, package
            case 9, METHODREF, 11, NAME_AND_TYPE, 17, 18 -> reference(tag, in.readUnsignedShort(), in.readUnsignedShort());
            case 3, 4 -> new Entry(tag, in.readNBytes(4), null, -1, -1); // int, float
            case 5, 6 -> new Entry(tag, in.readNBytes(8), null, -1, -1); // long, double
            case 15 -> new Entry(tag, in.readNBytes(3), null, -1, -1); // method handle
            default -> throw new IllegalArgumentException("unknown constant pool tag " + tag);
        };
    }

    private static Entry utf8(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length() + 2);
        try {
            new DataOutputStream(bytes).writeUTF(text);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
        return new Entry(UTF8, bytes.toByteArray(), text, -1, -1);
    }

    private static Entry reference(int tag, int first, int second) {
        byte[] body = second < 0 ? new byte[] {(byte) (first >> 8), (byte) first}
                : new byte[] {(byte) (first >> 8), (byte) first, (byte) (second >> 8), (byte) second};
        return new Entry(tag, body, null, first, second);
    }
}
