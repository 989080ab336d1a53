package dev.arbor.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client/server examples run as {@code ./arbor example NAME} runs them, each with a real server on a loopback port
 * and a client reaching it over the network, and print what their descriptions promise.
 */
class ClientServerExamplesTest {
    @TempDir
    Path dir;

    private String run(Example example) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            example.run(dir);
        } finally {
            System.setOut(original);
        }
        String output = printed.toString(StandardCharsets.UTF_8);
        original.print(output);
        return output;
    }

    private static void assertPrinted(String output, String line) {
        assertTrue(output.contains(line), "expected \"" + line + "\" in:\n" + output);
    }

    @Test
    void basicServerQueriesTheServersViewCommitsATransactionAndCountsOverTheNetwork() throws Exception {
        String output = run(new BasicServer());
        assertPrinted(output, "server listening on ws://127.0.0.1:");
        assertPrinted(output, "pushed shape 4 with 3 sides");
        assertPrinted(output, "triangles: 3");
        assertPrinted(output, "shapes by sides: [GroupedReduction[key=3, value=3], GroupedReduction[key=4, value=1], "
                + "GroupedReduction[key=5, value=1]]");
        assertPrinted(output, "a transaction committed 2 hexagons; hexagons now: 2");
        assertPrinted(output, "visits counted on the server: 2");
    }

    @Test
    void customApiAnswersByTheCallersPermissionAndWithItsOwnError() throws Exception {
        String output = run(new CustomApi());
        assertPrinted(output, "anonymous ping: Pong[caller=(anonymous)]");
        assertPrinted(output, "anonymous increments: refused, unauthorized");
        assertPrinted(output, "dave ping: Pong[caller=dave]");
        assertPrinted(output, "dave increments: refused, forbidden");
        assertPrinted(output, "carol increments: Counter[counter=visits, value=1]");
        assertPrinted(output, "carol, asynchronously: Counter[counter=visits, value=42]");
        assertPrinted(output, "carol decrementing: the API's error CounterError[reason=a counter only goes up, not by -1]");
    }
}
