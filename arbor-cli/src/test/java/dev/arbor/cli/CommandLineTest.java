package dev.arbor.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line itself: version, usage errors, output format. None of these needs a database. */
class CommandLineTest {
    @TempDir
    Path dir;

    private CliHarness arbor() {
        return new CliHarness(dir.resolve("data"));
    }

    @Test
    void versionNamesArborsVersionAndTheJavaRunningIt() {
        var result = arbor().run("--version");
        assertEquals(0, result.exitCode());
        assertTrue(result.stdout().startsWith("arbor " + ArborVersion.current() + "\n"), result.stdout());
        assertTrue(result.stdout().contains("Java " + System.getProperty("java.version")), result.stdout());
    }

    @Test
    void theVersionIsTheProjectVersionFilledInByTheBuild() {
        assertTrue(ArborVersion.current().matches("\\d+\\.\\d+\\.\\d+.*"), ArborVersion.current());
    }

    @Test
    void noCommandIsAUsageErrorWithExitStatusTwo() {
        var result = arbor().run();
        assertEquals(2, result.exitCode());
        assertTrue(result.stderr().contains("Missing a command"), result.stderr());
        assertTrue(result.stderr().contains("Usage: arbor"), result.stderr());
    }

    @Test
    void anUnknownCommandIsAUsageError() {
        var result = arbor().run("frobnicate");
        assertEquals(2, result.exitCode());
        assertTrue(result.stderr().contains("frobnicate"), result.stderr());
    }

    @Test
    void aMissingArgumentIsAUsageError() {
        var result = arbor().run("get");
        assertEquals(2, result.exitCode());
        assertTrue(result.stderr().contains("ID"), result.stderr());
    }

    @Test
    void aNonNumericLimitIsAUsageError() {
        assertEquals(2, arbor().run("list", "--limit", "many").exitCode());
    }

    @Test
    void dbWithoutASubcommandIsAUsageError() {
        assertEquals(2, arbor().run("db").exitCode());
    }

    @Test
    void helpListsEveryCommand() {
        var result = arbor().run("--help");
        assertEquals(0, result.exitCode());
        for (String command : new String[] {"init", "status", "info", "compact", "db", "put", "get", "delete", "list", "changes"}) {
            assertTrue(result.stdout().contains("  " + command + " "), command);
        }
    }

    @Test
    void jsonIsPrettyForATerminalAndOneLineOtherwiseOrWithCompact() {
        var toProgram = arbor().runAs(false, "", "status");
        assertEquals(1, toProgram.stdout().strip().lines().count(), toProgram.stdout());

        var toPerson = arbor().runAs(true, "", "status");
        assertTrue(toPerson.stdout().strip().lines().count() > 1, toPerson.stdout());

        var compactToPerson = arbor().runAs(true, "", "status", "--compact");
        assertEquals(1, compactToPerson.stdout().strip().lines().count(), compactToPerson.stdout());
        assertFalse(compactToPerson.stdout().isBlank());
    }
}
