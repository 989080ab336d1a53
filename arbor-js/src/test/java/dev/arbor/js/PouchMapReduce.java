package dev.arbor.js;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.core.json.Json;
import dev.arbor.testkit.NodePackages;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * PouchDB's map/reduce (temporary views on an in-memory database) run through Node.js, for the
 * cross-check with Arbor's: the packages of {@code src/test/node/mapreduce}, installed once per lock-file
 * version by {@link NodePackages}, and its {@code crosscheck.js}.
 */
public final class PouchMapReduce {
    private final NodePackages packages;

    private PouchMapReduce(NodePackages packages) {
        this.packages = packages;
    }

    public static PouchMapReduce install() {
        Path module = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
        // Other modules' tests (the engine's view cross-check) use this module's scripts from beside them.
        Path sources = Files.isDirectory(module.resolve("src/test/node/mapreduce")) ? module.resolve("src/test/node/mapreduce")
                : module.resolveSibling("arbor-js").resolve("src/test/node/mapreduce");
        return new PouchMapReduce(NodePackages.install(sources, "mapreduce"));
    }

    /** Runs the cross-check script on {@code input} and returns its output (see crosscheck.js). */
    public JsonNode run(JsonNode input, Path workDir) {
        return Json.parse(packages.run("crosscheck.js", Json.bytes(input), workDir));
    }
}
