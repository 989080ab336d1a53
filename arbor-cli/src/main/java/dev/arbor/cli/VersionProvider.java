package dev.arbor.cli;

import picocli.CommandLine.IVersionProvider;

/** {@code arbor --version}: Arbor's version, and which Java runs it (the first thing to know in a bug report). */
public final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {
                "arbor " + ArborVersion.current(),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ") at "
                        + System.getProperty("java.home")
        };
    }
}
