package dev.arbor.client.http;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class UrlEncodingTest {
    @Test
    void everythingOutsideTheUnreservedSetIsEscapedAsUtf8() {
        assertEquals("a0_%24%28%29%2B-%2Fz", UrlEncoding.encode("a0_$()+-/z"));
        assertEquals("%C3%A9%20%3F%23%F0%9F%98%80", UrlEncoding.encode("é ?#\uD83D\uDE00"));
    }

    @Test
    void designAndLocalIdsKeepTheirSlashAndOtherSlashesAreData() {
        assertEquals("_design/app%2Fx", UrlEncoding.docPath("_design/app/x"));
        assertEquals("_local/cp", UrlEncoding.docPath("_local/cp"));
        assertEquals("a%2Fb", UrlEncoding.docPath("a/b"));
        assertEquals("_design%2F", UrlEncoding.docPath("_design/"), "no name after the prefix: the id is data");
    }

    @Test
    void attachmentNamesKeepTheirSlashesAsPathSeparators() {
        assertEquals("dir/file%20one.txt", UrlEncoding.attachmentPath("dir/file one.txt"));
    }
}
