package dev.arbor.server.auth;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AdminsTest {
    private final PasswordHasher hasher = new PasswordHasher("sha256", 500);

    @TempDir
    Path dir;

    private Admins load(String arborAdmin) {
        EditableIniFile ini = EditableIniFile.load(dir.resolve("arbor.ini"));
        Admins admins = Admins.load(ini, hasher, arborAdmin);
        ini.saveIfChanged();
        return admins;
    }

    private String file() throws Exception {
        return Files.readString(dir.resolve("arbor.ini"));
    }

    @Test
    void firstStartWithArborAdminCreatesThatAdminHashed() throws Exception {
        Admins admins = load("root:s3cret:with:colons");
        assertEquals(new Admins.Startup.Created("root"), admins.startup());
        assertTrue(hasher.verify("s3cret:with:colons", admins.hashOf("root").orElseThrow()));
        assertTrue(file().contains("[admins]"));
        assertTrue(file().matches("(?s).*root = -pbkdf2:sha256-[0-9a-f]{64},[0-9a-f]{32},500.*"), file());
        assertFalse(file().contains("s3cret"));
    }

    @Test
    void firstStartWithoutArborAdminGeneratesAPasswordThatWorksAndIsNotStored() throws Exception {
        Admins admins = load(null);
        var generated = assertInstanceOf(Admins.Startup.Generated.class, admins.startup());
        assertEquals("admin", generated.name());
        assertTrue(generated.password().length() >= 20);
        assertTrue(hasher.verify(generated.password(), admins.hashOf("admin").orElseThrow()));
        assertFalse(file().contains(generated.password()));
    }

    @Test
    void laterStartsWithoutArborAdminKeepTheAdminsUntouched() throws Exception {
        load("root:one");
        String before = file();
        Admins again = load(null);
        assertEquals(new Admins.Startup.Existing(), again.startup());
        assertEquals(java.util.Set.of("root"), again.names());
        assertEquals(before, file());
    }

    @Test
    void arborAdminAfterAGeneratedPasswordResetsThatAdminsPassword() throws Exception {
        var generated = assertInstanceOf(Admins.Startup.Generated.class, load(null).startup());
        Admins again = load("admin:secret");
        assertEquals(new Admins.Startup.PasswordReset("admin"), again.startup());
        assertEquals(java.util.Set.of("admin"), again.names());
        assertTrue(hasher.verify("secret", again.hashOf("admin").orElseThrow()));
        assertFalse(hasher.verify(generated.password(), again.hashOf("admin").orElseThrow()));
        assertFalse(file().contains("secret"));
        // The reset is stored: the next start without ARBOR_ADMIN keeps it.
        assertTrue(hasher.verify("secret", load(null).hashOf("admin").orElseThrow()));
    }

    @Test
    void arborAdminNamingANewAdminAddsItBesideTheExistingOnes() {
        load("root:one");
        Admins again = load("other:two");
        assertEquals(new Admins.Startup.Created("other"), again.startup());
        assertEquals(java.util.Set.of("root", "other"), again.names());
        assertTrue(hasher.verify("one", again.hashOf("root").orElseThrow()));
        assertTrue(hasher.verify("two", again.hashOf("other").orElseThrow()));
    }

    @Test
    void arborAdminWithTheCurrentPasswordChangesNothing() throws Exception {
        load("root:one");
        String before = file();
        Admins again = load("root:one");
        assertEquals(new Admins.Startup.Unchanged("root"), again.startup());
        assertEquals(before, file(), "the stored hash (and its salt) is kept");
    }

    @Test
    void arborAdminNamingAPlainTextAdminOfTheFileWithItsPasswordLeavesItHashed() throws Exception {
        Files.writeString(dir.resolve("arbor.ini"), "[admins]\nops = pw\n");
        Admins admins = load("ops:pw");
        assertEquals(new Admins.Startup.Unchanged("ops"), admins.startup());
        assertTrue(file().contains("ops = -pbkdf2:sha256-"), file());
    }

    @Test
    void plainTextAdminsWrittenByAnOperatorAreHashedOnStartKeepingCommentsAndOtherSections() throws Exception {
        Files.writeString(dir.resolve("arbor.ini"), """
                ; my settings
                [chttpd]
                port = 5984

                [admins]
                ; the ops account
                ops = plain text pw
                """);
        Admins admins = load(null);
        assertEquals(new Admins.Startup.Existing(), admins.startup());
        assertTrue(hasher.verify("plain text pw", admins.hashOf("ops").orElseThrow()));
        String text = file();
        assertFalse(text.contains("plain text pw"), text);
        assertTrue(text.contains("; my settings") && text.contains("; the ops account") && text.contains("port = 5984"), text);
        assertTrue(text.contains("ops = -pbkdf2:sha256-"), text);
    }

    @Test
    void malformedArborAdminIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> load("no-colon"));
        assertThrows(IllegalArgumentException.class, () -> load(":pw"));
        assertThrows(IllegalArgumentException.class, () -> load("name:"));
        // Names the ini file would read back as another key.
        for (String name : List.of("a=b", " root", "root ", ";root", "[root")) {
            var e = assertThrows(IllegalArgumentException.class, () -> load(name + ":pw"), name);
            assertTrue(e.getMessage().contains("ARBOR_ADMIN"), e.getMessage());
        }
        assertFalse(Files.exists(dir.resolve("arbor.ini")), "a refused ARBOR_ADMIN writes nothing");
    }

    @Test
    void theCookieSecretIsGeneratedOnceAndKept() {
        EditableIniFile ini = EditableIniFile.load(dir.resolve("arbor.ini"));
        String secret = AuthSettings.load(ini).secret();
        ini.saveIfChanged();
        assertTrue(secret.matches("[0-9a-f]{32}"));
        assertEquals(secret, AuthSettings.load(EditableIniFile.load(dir.resolve("arbor.ini"))).secret());
    }

    @Test
    void settingsAreReadUnderCouchDbsNames() throws Exception {
        Files.writeString(dir.resolve("arbor.ini"), """
                [chttpd_auth]
                secret = abc
                timeout = 60
                iterations = 1234
                pbkdf2_prf = sha512
                [couchdb]
                default_security = everyone
                """);
        AuthSettings settings = AuthSettings.load(EditableIniFile.load(dir.resolve("arbor.ini")));
        assertEquals(new AuthSettings("abc", 60, 1234, "sha512", AuthSettings.DefaultSecurity.EVERYONE), settings);
    }

    @Test
    void permissionStatementsAreReadFromTheConfigurationAndMalformedOnesRefusedNamingTheKey() throws Exception {
        Files.writeString(dir.resolve("arbor.ini"), """
                [chttpd_auth]
                secret = abc
                [permissions]
                default = [{"resources": [["arbor", "database", "news"]], "actions": ["database.read_document"]}]
                authenticated = [{"resources": [["arbor", "database", "*"]], "actions": ["database.*"]}]
                """);
        AuthSettings settings = AuthSettings.load(EditableIniFile.load(dir.resolve("arbor.ini")));
        assertTrue(settings.defaultPermissions().allowed(dev.arbor.api.permission.ResourceName.document("news", "d"),
                dev.arbor.api.permission.Action.DATABASE_READ_DOCUMENT));
        assertTrue(settings.authenticatedPermissions().allowed(dev.arbor.api.permission.ResourceName.database("x"),
                dev.arbor.api.permission.Action.DATABASE_COMPACT));

        for (String[] bad : new String[][] {
                {"default = [{\"resources\": [[\"arbor\", 2.5]], \"actions\": [\"*\"]}]", "[permissions] default: resource name"},
                {"authenticated = {\"resources\": []}", "[permissions] authenticated must be a JSON array"},
                {"default = [{\"resources\": [[\"arbor\"]], \"actions\": [\"fly\"]}]", "unknown action \"fly\""},
                {"default = [not json", "[permissions] default is not JSON"}}) {
            Files.writeString(dir.resolve("arbor.ini"), "[chttpd_auth]\nsecret = abc\n[permissions]\n" + bad[0] + "\n");
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> AuthSettings.load(EditableIniFile.load(dir.resolve("arbor.ini"))));
            assertTrue(refused.getMessage().contains(bad[1]), bad[0] + " -> " + refused.getMessage());
        }
    }
}
