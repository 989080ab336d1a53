package dev.arbor.client.json;

import dev.arbor.core.json.Json;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SeqTokensTest {
    private final SeqTokens seqs = new SeqTokens();

    @Test
    void numbersAreTakenAsTheyAre() {
        assertEquals(42, seqs.number(Json.parse("42")));
        assertEquals("42", seqs.since(42));
    }

    @Test
    void anOpaqueCouchDbSequenceMapsToItsNumericPrefixAndGoesBackAsItsToken() {
        String token = "7-g1AAAACbeJzLYWBgYMpgTmHgz8tPSTV0MDQy1zMAQsMcoEQiQ1L9____szKYE5lzgQLsZqapaUlmqdj04DEpjwVIMjQAqf9QAxkgBqYZGxuZmqRg05MFAL1TJEo";
        assertEquals(7, seqs.number(Json.MAPPER.getNodeFactory().textNode(token)));
        assertEquals(token, seqs.since(7), "the server's own token, so CouchDB resumes exactly there");
    }

    @Test
    void aStringOfDigitsIsANumberWithNoTokenToKeep() {
        assertEquals(12, seqs.number(Json.MAPPER.getNodeFactory().textNode("12")));
        assertEquals("12", seqs.since(12));
    }

    @Test
    void aSequenceWithoutNumericPrefixIsZeroAndAMissingOneToo() {
        assertEquals(0, seqs.number(Json.MAPPER.getNodeFactory().textNode("now")));
        assertEquals(0, seqs.number(null));
        assertEquals(0, seqs.number(Json.parse("null")));
    }

    @Test
    void aNumberNeverSeenAsATokenIsSentAsTheNumber() {
        seqs.number(Json.MAPPER.getNodeFactory().textNode("3-abc"));
        assertEquals("4", seqs.since(4));
    }

    @Test
    void onlyTheMostRecentTokensAreKept() {
        for (int i = 1; i <= 2000; i++) seqs.number(Json.MAPPER.getNodeFactory().textNode(i + "-x" + i));
        assertEquals("1", seqs.since(1), "forgotten: sent as the number");
        assertEquals("2000-x2000", seqs.since(2000));
    }
}
