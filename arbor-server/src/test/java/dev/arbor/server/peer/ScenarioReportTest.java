package dev.arbor.server.peer;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScenarioReportTest {

    @Test
    void aFailedStepMakesTheReportFailAndShowsItsErrorAndHttpExchanges() {
        String line = """
                {"scenario":"s","ok":false,"steps":[{"name":"first","ok":true,"ms":3},\
                {"name":"second","ok":false,"ms":9,"error":"AssertionError: 409 !== 201",\
                "http":[{"request":"PUT http://127.0.0.1:1/db/doc","status":409}]},\
                {"name":"third","ok":true,"skipped":"not on pouchdb-server"}]}""";
        ScenarioReport report = ScenarioReport.parse("s.js", 1, "noise before\n" + line + "\n", "");

        assertFalse(report.ok());
        assertEquals(1, report.failed().size());
        assertEquals("second", report.failed().getFirst().name());
        assertEquals(1, report.skipped().size());
        assertTrue(report.describe().contains("FAILED   second"), report.describe());
        assertTrue(report.describe().contains("PUT http://127.0.0.1:1/db/doc"), report.describe());
    }

    @Test
    void aScriptThatPrintsNoReportFailsWithItsRawOutput() {
        ScenarioReport report = ScenarioReport.parse("s.js", 1, "", "Error: Cannot find module 'pouchdb'");

        assertFalse(report.ok());
        assertTrue(report.steps().isEmpty());
        assertTrue(report.describe().contains("Cannot find module 'pouchdb'"));
    }

    @Test
    void aZeroExitWithEveryStepPassedIsOk() {
        ScenarioReport report = ScenarioReport.parse("s.js", 0,
                "{\"scenario\":\"s\",\"ok\":true,\"steps\":[{\"name\":\"a\",\"ok\":true}]}\n", "");

        assertTrue(report.ok());
    }

    @Test
    void aNonZeroExitFailsEvenWhenTheReportClaimsSuccess() {
        ScenarioReport report = ScenarioReport.parse("s.js", 3,
                "{\"scenario\":\"s\",\"ok\":true,\"steps\":[{\"name\":\"a\",\"ok\":true}]}\n", "");

        assertFalse(report.ok());
    }
}
