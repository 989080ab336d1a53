package dev.arbor.wire;

import dev.arbor.core.error.ArborException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class HttpStatusTest {
    private static final List<ArborException> ONE_OF_EACH_KIND = List.of(
            new ArborException.BadRequest("bad_request", "Invalid rev format"),
            new ArborException.Unauthorized("You are not a server admin."),
            new ArborException.Forbidden("You are not allowed to access this db."),
            new ArborException.NotFound("missing"),
            new ArborException.Conflict(),
            new ArborException.PreconditionFailed("file_exists", "The database could not be created, the file already exists."),
            ArborException.TooLarge.document("big"),
            new ArborException.QueryFailed("invalid_value", "builtin _sum function requires map values to be numbers"),
            new ArborException.Internal("disk full", null));

    @Test
    void eachKindIsAnsweredWithCouchDbsStatus() {
        assertEquals(List.of(400, 401, 403, 404, 409, 412, 413, 500, 500),
                ONE_OF_EACH_KIND.stream().map(HttpStatus::of).toList());
    }

    /** What the server answers, the client reads back as the same kind with the same token and reason. */
    @Test
    void theClientReadsEachAnswerBackAsItsKind() {
        for (ArborException sent : ONE_OF_EACH_KIND) {
            if (sent instanceof ArborException.QueryFailed || sent instanceof ArborException.Internal) {
                continue; // a 500 is an Internal on the client, whatever the token
            }
            ArborException read = CouchErrors.from(HttpStatus.of(sent), sent.error(), sent.reason());
            assertSame(sent.getClass(), read.getClass(), sent.error());
            assertEquals(sent.reason(), read.reason(), sent.error());
            assertEquals(HttpStatus.of(sent), HttpStatus.of(read), sent.error());
        }
    }
}
