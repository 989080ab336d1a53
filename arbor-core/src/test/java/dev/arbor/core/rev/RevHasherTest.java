package dev.arbor.core.rev;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RevHasherTest {

    private static final Rev PARENT = Rev.parse("1-967a00dff5e02add41819138abb3284d");
    private static final byte[] BODY = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);

    @Test
    void sameEditOnSameParentGivesSameHash() {
        String first = RevHasher.newRevHash(false, PARENT, BODY, List.of("md5-x"));
        String again = RevHasher.newRevHash(false, Rev.parse(PARENT.toString()), BODY.clone(), List.of("md5-x"));

        assertEquals(first, again);
    }

    @Test
    void hashIsThirtyTwoLowercaseHexChars() {
        String hash = RevHasher.newRevHash(false, null, BODY, List.of());

        assertTrue(hash.matches("[0-9a-f]{32}"), hash);
    }

    @Test
    void everyPartOfTheEditChangesTheHash() {
        String base = RevHasher.newRevHash(false, PARENT, BODY, List.of("md5-x"));

        assertNotEquals(base, RevHasher.newRevHash(true, PARENT, BODY, List.of("md5-x")));
        assertNotEquals(base, RevHasher.newRevHash(false, null, BODY, List.of("md5-x")));
        assertNotEquals(base, RevHasher.newRevHash(false, new Rev(2, PARENT.hash()), BODY, List.of("md5-x")));
        assertNotEquals(base, RevHasher.newRevHash(false, Rev.parse("1-other"), BODY, List.of("md5-x")));
        assertNotEquals(base, RevHasher.newRevHash(false, PARENT, "{\"a\":2}".getBytes(StandardCharsets.UTF_8), List.of("md5-x")));
        assertNotEquals(base, RevHasher.newRevHash(false, PARENT, BODY, List.of()));
        assertNotEquals(base, RevHasher.newRevHash(false, PARENT, BODY, List.of("md5-y")));
    }

    @Test
    void boundariesBetweenInputsCannotBeShifted() {
        String split1 = RevHasher.newRevHash(false, null, "ab".getBytes(StandardCharsets.UTF_8), List.of("c"));
        String split2 = RevHasher.newRevHash(false, null, "a".getBytes(StandardCharsets.UTF_8), List.of("bc"));
        String twoDigests = RevHasher.newRevHash(false, null, BODY, List.of("a", "b"));
        String oneDigest = RevHasher.newRevHash(false, null, BODY, List.of("ab"));

        assertNotEquals(split1, split2);
        assertNotEquals(twoDigests, oneDigest);
    }
}
