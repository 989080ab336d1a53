package dev.arbor.server.couchdb;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** Mango: _find and _index answer as CouchDB 3.5 does. */
class MangoAnswersMatchCouchDbTest extends AnswersMatchCouchDb {
    @Test
    void findNeverAnswersDesignDocuments() {
        both.assertSame("PUT", "/designs", null);
        both.assertSame("POST", "/designs/_bulk_docs", "{\"docs\":[{\"_id\":\"a\",\"type\":\"x\",\"n\":1},{\"_id\":\"b\",\"type\":\"y\",\"n\":2},"
                + "{\"_id\":\"_design/foo\",\"type\":\"x\",\"n\":3,\"views\":{}}]}");
        both.assertSame("POST", "/designs/_find", "{\"selector\":{\"type\":\"x\"},\"fields\":[\"_id\"]}").assertSameValue("/docs");
        both.assertSame("POST", "/designs/_find", "{\"selector\":{\"_id\":{\"$gt\":null}},\"fields\":[\"_id\"]}").assertSameValue("/docs");
    }

    @Test
    void aSortNoIndexGivesIsNoUsableIndex() {
        both.assertSame("PUT", "/sorts", null);
        both.assertSame("POST", "/sorts/_bulk_docs", "{\"docs\":[{\"_id\":\"a\",\"type\":\"x\",\"n\":1}]}");
        both.assertSame("POST", "/sorts/_find", "{\"selector\":{\"type\":\"x\"},\"sort\":[\"type\"]}").assertSameValue("");
        both.assertSame("POST", "/sorts/_index", "{\"index\":{\"fields\":[\"type\"]},\"name\":\"t\",\"ddoc\":\"t\"}");
        both.assertSame("POST", "/sorts/_find", "{\"selector\":{\"type\":\"x\"},\"sort\":[\"type\"],\"fields\":[\"_id\"]}")
                .assertSameValue("/docs");
    }

    @Test
    void indexesWithTheSameFieldsAndDifferentNamesGetDifferentDesignDocs() {
        both.assertSame("PUT", "/names", null);
        var one = both.assertSame("POST", "/names/_index", "{\"index\":{\"fields\":[\"n\"]},\"name\":\"one\"}");
        var two = both.assertSame("POST", "/names/_index", "{\"index\":{\"fields\":[\"n\"]},\"name\":\"two\"}");
        assertNotEquals(one.arborJson().path("id"), two.arborJson().path("id"));
        both.assertSame("POST", "/names/_index", "{\"index\":{\"fields\":[\"n\"]},\"name\":\"one\"}").assertSameValue("/result");
        both.assertSame("GET", "/names/_index", null);
    }

    @Test
    void aPartialFilterSelectorIsStoredNormalized() {
        both.assertSame("PUT", "/partial", null);
        both.assertSame("POST", "/partial/_index", "{\"index\":{\"fields\":[\"n\"],\"partial_filter_selector\":{\"type\":\"x\"}},"
                + "\"name\":\"p\",\"ddoc\":\"pp\"}").assertSameValue("");
        both.assertSame("GET", "/partial/_design/pp", null).assertSameValue("/views");
        var listed = both.assertSame("GET", "/partial/_index", null);
        assertEquals(listed.couchJson().path("indexes").get(1), listed.arborJson().path("indexes").get(1));
    }
}
