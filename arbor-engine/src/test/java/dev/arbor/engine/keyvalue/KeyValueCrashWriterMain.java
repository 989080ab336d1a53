package dev.arbor.engine.keyvalue;

import dev.arbor.Arbor;
import dev.arbor.ArborOptions;
import dev.arbor.options.KeyValueOptions;
import dev.arbor.api.Database;
import dev.arbor.api.keyvalue.KeyValuePersistence;
import dev.arbor.api.keyvalue.KeyValueStore;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The child process of {@link KeyValueCrashTest}: opens the storage in {@code args[0]} with durable
 * commits and the key-value persistence {@code args[1]} ({@code immediate}, or {@code lazy:N} for N
 * changes and an hour's delay), then sets {@code k0, k1, ...} to their index until killed, printing
 * {@code ack <i>} (flushed) after each set returned.
 */
public final class KeyValueCrashWriterMain {
    private KeyValueCrashWriterMain() {}

    public static void main(String[] args) throws IOException {
        Thread.ofPlatform().daemon().start(() -> {
            try {
                while (System.in.read() != -1) {
                    // the parent keeps stdin open while it lives
                }
            } catch (IOException ignored) {
                // treated as the parent going away
            }
            Runtime.getRuntime().halt(3);
        });
        KeyValuePersistence persistence = args[1].equals("immediate") ? KeyValuePersistence.IMMEDIATE
                : KeyValuePersistence.lazy(Integer.parseInt(args[1].substring("lazy:".length())), Duration.ofHours(1));
        Database db = Arbor.open(Path.of(args[0]), Arbor.DEFAULT_DATABASE,
                ArborOptions.DEFAULT.keyValue(KeyValueOptions.DEFAULT.persistence(persistence)));
        KeyValueStore kv = db.keyValue().orElseThrow();
        FileOutputStream out = new FileOutputStream(FileDescriptor.out);
        out.write("ready\n".getBytes(StandardCharsets.UTF_8));
        for (long i = 0; ; i++) {
            kv.set("k" + i, i);
            out.write(("ack " + i + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }
}
