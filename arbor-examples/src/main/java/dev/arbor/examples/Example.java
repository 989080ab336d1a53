package dev.arbor.examples;

import java.nio.file.Path;

/** A runnable example: works in {@code dataDir} (a fresh directory) and prints what it shows. */
@FunctionalInterface
public interface Example {
    void run(Path dataDir) throws Exception;
}
