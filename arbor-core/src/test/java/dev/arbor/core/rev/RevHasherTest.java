package dev.arbor.core.rev;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Revision ids pinned to what CouchDB 3.5 answered for the same edits (see RevIdsMatchCouchDbTest for the live check). */
class RevHasherTest {

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static RevHasher.Attachment att(String name, String type, String data) throws Exception {
        byte[] md5 = MessageDigest.getInstance("MD5").digest(data.getBytes(StandardCharsets.ISO_8859_1));
        return new RevHasher.Attachment(name, type, md5);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{\"a\":1}|23202479633c2b380f79507a776743d5",
            "{\"a\":1.0}|8a159b695bf2bd957f1a435bfd6e1739",
            "{\"a\":1e2}|fcb573f41c731df1c79b9d2a8111e8e7",
            "{\"a\":1E+2}|fcb573f41c731df1c79b9d2a8111e8e7",
            "{\"a\":100.0}|fcb573f41c731df1c79b9d2a8111e8e7",
            "{\"a\":-0}|dcf485487e051d7f9b7c62bd4265a425",
            "{\"a\":-0.0}|79e62e17829588afea5328e32c7e34af",
            "{\"a\":0.0}|f8fc1b07134fb0e1af62a5cb42046ee1",
            "{\"a\":123456789012345678901234567890}|da1bd830ce681811ea5692e0ec6bd683",
            "{\"a\":1.5e300}|ac8024c72765d58696e7b746d49f882a",
            "{\"a\":9223372036854775807}|729be045ef8a718380903269c1be0189",
            "{\"a\":9223372036854775808}|fc8391bb28fd252fac64877575057bed",
            "{\"a\":-9223372036854775808}|bfe9588fe6abc84c376c342a4dd6c2ef",
            "{\"a\":-9223372036854775809}|d7430b145a784f813a500d355bd26d42",
            "{\"a\":4.9e-324}|f482c46cb65c44053c2de1cce02e45bc",
    })
    void firstRevisionOfABodyIsCouchDbs(String body, String couchDbHash) {
        assertEquals(couchDbHash, RevHasher.newRevHash(false, null, json(body), List.of()));
    }

    @Test
    void deletedBodyKeepsItsMembersAndAnArrayOfSmallIntegersIsAString() {
        assertEquals("c058ca73363f3dcb113e5cd28c96f64e",
                RevHasher.newRevHash(true, null, json("{\"x\":{\"y\":[1,2]}}"), List.of()));
    }

    @Test
    void deleteOnAParentHashesAnEmptyBodyAndTheParentsSixteenBytes() {
        assertEquals("b4e3122af5f2ab3ae9bbd74527a6aa04",
                RevHasher.newRevHash(true, Rev.parse("1-23202479633c2b380f79507a776743d5"), json("{}"), List.of()));
    }

    @Test
    void attachmentsAreHashedInReverseOfTheDocumentsOrder() throws Exception {
        RevHasher.Attachment b = att("b.bin", "application/octet-stream", "\0\1\2");
        RevHasher.Attachment a = att("a.bin", "application/octet-stream", "\3\4\5");
        String first = RevHasher.newRevHash(false, null, json("{\"x\":1}"), List.of(b, a));
        assertEquals("30738c2736540720a58a747e268797f6", first);
        // A standalone PUT puts the new attachment first (chttpd_db), then the others in their order.
        RevHasher.Attachment c = att("c.bin", "image/png", "xyz");
        assertEquals("c84bb363fcf22be94481c364df1d0321",
                RevHasher.newRevHash(false, new Rev(1, first), json("{\"x\":1}"), List.of(c, b, a)));
        assertEquals("f4da78a1df9282b08c1c7de2d60df598", RevHasher.newRevHash(true, null, json("{}"), List.of(a)));
    }

    @Test
    void attachmentDigestStringGivesItsSixteenBytes() throws Exception {
        byte[] md5 = MessageDigest.getInstance("MD5").digest(json("xyz"));
        assertArrayEquals(md5, RevHasher.Attachment.of("n", "t", "md5-" + Base64.getEncoder().encodeToString(md5)).md5());
    }

    @Test
    void revIdsOfThirtyTwoHexDigitsAreSixteenBytesOthersTheirText() {
        HexFormat hex = HexFormat.of();
        assertEquals("23202479633c2b380f79507a776743d5", hex.formatHex(RevHasher.revIdBytes("23202479633C2B380F79507A776743D5")));
        assertArrayEquals(json("abc"), RevHasher.revIdBytes("abc"));
        assertArrayEquals(json("g".repeat(32)), RevHasher.revIdBytes("g".repeat(32)));
        assertEquals("ff".repeat(16), hex.formatHex(RevHasher.revIdBytes("-" + "0".repeat(30) + "1")));
    }

    @Test
    void termBytesAreErlangsExternalFormat() {
        // term_to_binary([false, 0, 0, {[{<<"a">>, [1, 300, <<"é">>]}]}, []], [{minor_version, 1}])
        byte[] expected = {(byte) 131, 108, 0, 0, 0, 5,
                100, 0, 5, 'f', 'a', 'l', 's', 'e',
                97, 0,
                97, 0,
                104, 1, 108, 0, 0, 0, 1,
                104, 2, 109, 0, 0, 0, 1, 'a',
                108, 0, 0, 0, 3, 97, 1, 98, 0, 0, 1, 44, 109, 0, 0, 0, 2, (byte) 0xC3, (byte) 0xA9, 106,
                106,
                106,
                106};
        assertArrayEquals(expected, RevHasher.termBytes(false, null, json("{\"a\":[1,300,\"é\"]}"), List.of()));
    }

    @Test
    void everyPartOfTheEditChangesTheHash() throws Exception {
        Rev parent = Rev.parse("1-967a00dff5e02add41819138abb3284d");
        byte[] body = json("{\"a\":1}");
        List<RevHasher.Attachment> atts = List.of(att("x", "text/plain", "x"));
        String base = RevHasher.newRevHash(false, parent, body, atts);

        assertNotEquals(base, RevHasher.newRevHash(true, parent, body, atts));
        assertNotEquals(base, RevHasher.newRevHash(false, null, body, atts));
        assertNotEquals(base, RevHasher.newRevHash(false, new Rev(2, parent.hash()), body, atts));
        assertNotEquals(base, RevHasher.newRevHash(false, Rev.parse("1-other"), body, atts));
        assertNotEquals(base, RevHasher.newRevHash(false, parent, json("{\"a\":2}"), atts));
        assertNotEquals(base, RevHasher.newRevHash(false, parent, body, List.of()));
        assertNotEquals(base, RevHasher.newRevHash(false, parent, body, List.of(att("x", "text/plain", "y"))));
    }

    @Test
    void escapesAndWhitespaceDoNotChangeTheTerm() {
        assertArrayEquals(RevHasher.termBytes(false, null, json("{\"s\":\"é\ud83d\ude00/\\\"\\n\"}"), List.of()),
                RevHasher.termBytes(false, null, json("{\"s\":\"\\u00e9\\ud83d\\ude00\\/\\\"\\n\"}"), List.of()));
        assertArrayEquals(RevHasher.termBytes(false, null, json("{\"a\":[1,{\"b\":[]},-2.5e3,null]}"), List.of()),
                RevHasher.termBytes(false, null, json(" {\n \"a\" : [ 1 ,\t{ \"b\" : [ ] } , -2.5e3 , null ] }\r\n"), List.of()));
    }
}
