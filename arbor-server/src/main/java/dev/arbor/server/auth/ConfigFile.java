package dev.arbor.server.auth;

import dev.arbor.core.error.ArborException;
import dev.arbor.server.NodeConfig;
import dev.arbor.server.ServerConfig;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@link NodeConfig} over {@code <data>/arbor.ini}, re-read on each call so that edits by hand show too.
 * Admins set here join at once, hashed before they are stored, as CouchDB hashes them; every other setting
 * Arbor reads is read at start, and a value that would keep the server from starting is refused.
 */
public final class ConfigFile implements NodeConfig {
    /** The settings Arbor reads at start (see {@link ServerConfig} and {@link AuthSettings}). */
    private static final Map<String, Set<String>> READ_AT_START = Map.of(
            "httpd", Set.of("bind_address", "port", "max_http_request_size", "enable_cors", "shutdown_timeout",
                    "access_log", "idle_timeout", "max_http_header_size", "max_requests_per_client",
                    "max_open_changes_feeds"),
            "cors", Set.of("origins", "credentials"),
            "couchdb", Set.of("max_document_size", "max_attachment_size", "default_security"),
            "query_server_config", Set.of("memory_budget"),
            AuthSettings.SECTION, Set.of("secret", "timeout", "iterations", "pbkdf2_prf"));

    private final Path dataDir;
    private final Admins admins;
    private final PasswordHasher hasher;

    ConfigFile(Path dataDir, Admins admins, PasswordHasher hasher) {
        this.dataDir = dataDir;
        this.admins = admins;
        this.hasher = hasher;
    }

    /** The node config of a server without {@link ServerAuth}: the same file, without admins to keep in step. */
    public static NodeConfig open(Path dataDir) {
        return new ConfigFile(dataDir, null, null);
    }

    private EditableIniFile load() {
        return EditableIniFile.load(dataDir.resolve(ServerAuth.INI_FILE));
    }

    @Override
    public synchronized Map<String, Map<String, String>> all() {
        EditableIniFile ini = load();
        Map<String, Map<String, String>> all = new LinkedHashMap<>();
        for (String section : ini.sectionNames()) {
            all.put(section, ini.section(section));
        }
        return all;
    }

    @Override
    public synchronized Optional<String> get(String section, String key) {
        return load().get(section, key);
    }

    @Override
    public synchronized Optional<String> set(String section, String key, String value) {
        EditableIniFile ini = load();
        Optional<String> old = ini.get(section, key);
        boolean isAdmin = section.equals(Admins.SECTION) && admins != null;
        PasswordHash hash = null;
        String stored = value;
        if (isAdmin) {
            hash = PasswordHash.looksHashed(value) ? PasswordHash.parseIniValue(value).orElseThrow(
                    () -> new ArborException.BadRequest("bad_request", "unreadable password hash")) : hasher.hash(value);
            stored = hash instanceof PasswordHash.Pbkdf2 pbkdf2 ? pbkdf2.toIniValue() : value;
        }
        ini.set(section, key, stored);
        ini.saveIfChanged();
        if (applies(section, key) == Applies.RESTART) {
            refuseIfUnstartable(section, key, old);
        }
        if (isAdmin) {
            admins.put(key, hash);
        }
        return old;
    }

    @Override
    public synchronized Optional<String> delete(String section, String key) {
        EditableIniFile ini = load();
        Optional<String> old = ini.get(section, key);
        if (old.isEmpty()) {
            return old;
        }
        ini.remove(section, key);
        ini.saveIfChanged();
        if (section.equals(Admins.SECTION) && admins != null) {
            admins.remove(key);
        }
        return old;
    }

    @Override
    public Applies applies(String section, String key) {
        if (section.equals(Admins.SECTION)) {
            return admins != null ? Applies.NOW : Applies.RESTART;
        }
        return READ_AT_START.getOrDefault(section, Set.of()).contains(key) ? Applies.RESTART : Applies.UNUSED;
    }

    /** Reads the file as the next start will; on failure puts the old value back and refuses the new one. */
    private void refuseIfUnstartable(String section, String key, Optional<String> old) {
        try {
            ServerConfig.load(new ServerConfig.Overrides(null, null, dataDir), Map.of());
            AuthSettings.load(load());
            AuthLockout.Settings.load(load());
        } catch (IllegalArgumentException e) {
            EditableIniFile ini = load();
            old.ifPresentOrElse(value -> ini.set(section, key, value), () -> ini.remove(section, key));
            ini.saveIfChanged();
            throw new ArborException.BadRequest("bad_request", e.getMessage());
        }
    }
}
