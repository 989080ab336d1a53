package dev.arbor.core.mango;

import com.fasterxml.jackson.databind.JsonNode;
import dev.arbor.core.json.Json;
import dev.arbor.testkit.NodePackages;

import java.nio.file.Path;

/**
 * PouchDB's in-memory selector matcher ({@code pouchdb-selector-core}) run through Node.js, for tests that
 * compare Arbor's Mango results with PouchDB's: the packages of {@code src/test/node/mango}, installed once
 * per lock-file version by {@link NodePackages}, and its {@code crosscheck.js}.
 */
final class PouchSelectorCore {
    private final NodePackages packages;

    private PouchSelectorCore(NodePackages packages) {
        this.packages = packages;
    }

    static PouchSelectorCore install() {
        Path sources = Path.of(System.getProperty("basedir", ".")).resolve("src/test/node/mango").toAbsolutePath().normalize();
        return new PouchSelectorCore(NodePackages.install(sources, "mango"));
    }

    /** Runs the cross-check script on {@code input} and returns its output (see crosscheck.js). */
    JsonNode run(JsonNode input, Path workDir) {
        return Json.parse(packages.run("crosscheck.js", Json.bytes(input), workDir));
    }
}
