package dev.arbor.server.couchdb;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

/** {@code _changes} with a design filter that throws answers CouchDB 3.5's error, not a 200 cut off mid-body. */
class ChangesAnswersMatchCouchDbTest extends AnswersMatchCouchDb {
    @Override
    void prepare(Path dir) {
        both.assertSame("PUT", "/f", null);
        both.assertSame("POST", "/f/_bulk_docs", "{\"docs\":[{\"_id\":\"a\"},{\"_id\":\"b\"},{\"_id\":\"c\"}]}");
        both.assertSame("PUT", "/f/_design/d", "{\"filters\":{"
                + "\"always\":\"function(doc, req) { throw new Error('boom'); }\","
                + "\"onB\":\"function(doc, req) { if (doc._id == 'b') { throw 'bad'; } return true; }\","
                + "\"fine\":\"function(doc, req) { return doc._id != 'b'; }\"}}");
    }

    @Test
    void aFilterThatThrowsIsA500InEveryFeedThatHasChangesToFilter() {
        for (String feed : new String[] {"normal", "longpoll", "continuous"}) {
            both.assertSame("GET", "/f/_changes?filter=d/always&feed=" + feed + "&timeout=500", null);
            both.assertSame("GET", "/f/_changes?filter=d/onB&feed=" + feed + "&timeout=500", null);
        }
        both.assertSame("POST", "/f/_changes?filter=d/always", "{}");
    }

    @Test
    void aFilterThatDoesNotThrowStillStreams() {
        // Sequences are compared by value elsewhere: here only that the same documents come through.
        var answers = both.send("GET", "/f/_changes?filter=d/fine", null);
        org.junit.jupiter.api.Assertions.assertEquals(answers.couch().status(), answers.arbor().status());
        answers.assertSameValue("/results/0/id").assertSameValue("/results/1/id").assertSameValue("/results/2/id");
    }
}
