package dev.arbor.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
        for (String command : List.of("init", "status", "info", "compact", "db", "put", "get", "delete", "list", "changes",
                "serve", "replicate", "test", "bench", "example", "install")) {
            assertTrue(result.stdout().contains("\n  " + command + " "), command + " in\n" + result.stdout());
        }
    }

    /** The script runs some commands itself, before this program; help must list those too, and only real ones. */
    @Test
    void helpListsEveryCommandTheArborScriptHandlesItself() throws Exception {
        String script = Files.readString(Path.of("..", "arbor"));
        Matcher cases = Pattern.compile("(?m)^    ([a-z]+)\\)$").matcher(script);
        String help = arbor().run("--help").stdout();
        int found = 0;
        while (cases.find()) {
            found++;
            assertTrue(help.contains("\n  " + cases.group(1) + " "), cases.group(1) + " in\n" + help);
        }
        assertTrue(found >= 4, "the script's commands (test, bench, example, install, serve) were found: " + found);
    }

    @Test
    void aScriptCommandReachingTheJavaProgramSaysToRunItThroughTheScript() {
        var result = arbor().run("test", "-pl", "arbor-engine");
        assertEquals(2, result.exitCode());
        assertTrue(result.stderr().contains("./arbor test"), result.stderr());
        assertFalse(result.stderr().contains("--db"), "the global options mean nothing to the script's commands");
    }

    @Test
    void serveHelpOffersOnlyTheOptionsThatApplyToServing() {
        var result = arbor().run("serve", "--help");
        assertEquals(0, result.exitCode());
        for (String option : List.of("--host", "--port", "--data", "--help")) {
            assertTrue(result.stdout().contains(option), option + " in\n" + result.stdout());
        }
        for (String option : List.of("--db", "--compact")) {
            assertFalse(result.stdout().contains(option), option + " in\n" + result.stdout());
        }
        var dbGiven = arbor().run("serve", "--db", "notes");
        assertEquals(2, dbGiven.exitCode());
        assertTrue(dbGiven.stderr().contains("--db"), dbGiven.stderr());
    }

    @Test
    void theGlobalOptionsStillApplyToTheOtherCommandsBeforeOrAfterThem() {
        String getHelp = arbor().run("get", "--help").stdout();
        assertTrue(getHelp.contains("--db") && getHelp.contains("--compact") && getHelp.contains("--data"), getHelp);
        CliHarness arbor = arbor();
        arbor.ok("init");
        assertEquals("missing", arbor.run("get", "a").error().get("reason").asText());
        assertEquals("Database does not exist.", arbor.run("--db", "nope", "get", "a").error().get("reason").asText());
        assertEquals("Database does not exist.", arbor.run("get", "a", "--db", "nope").error().get("reason").asText());
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
