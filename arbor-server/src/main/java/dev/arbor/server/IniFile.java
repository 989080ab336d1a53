package dev.arbor.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A CouchDB-style ini file: {@code [section]} headers, {@code key = value} lines, comments starting
 * with {@code ;} or {@code #}. Keys are looked up as {@code section.key}; a later line wins, as in
 * CouchDB's layered ini files.
 */
final class IniFile {
    private final Path path;
    private final Map<String, String> values;

    private IniFile(Path path, Map<String, String> values) {
        this.path = path;
        this.values = values;
    }

    static IniFile empty() {
        return new IniFile(null, Map.of());
    }

    /** Reads {@code path}, or an empty file when there is none. */
    static IniFile read(Path path) {
        if (!Files.isRegularFile(path)) {
            return new IniFile(path, Map.of());
        }
        try {
            return parse(path, Files.readString(path, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    static IniFile parse(Path path, String text) {
        Map<String, String> values = new HashMap<>();
        String section = "";
        int lineNumber = 0;
        for (String raw : text.split("\r?\n")) {
            lineNumber++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith(";") || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                section = line.substring(1, line.length() - 1).strip();
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException((path == null ? "ini" : path) + ":" + lineNumber
                        + ": expected 'key = value' or '[section]', found: " + raw);
            }
            values.put(section + "." + line.substring(0, eq).strip(), line.substring(eq + 1).strip());
        }
        return new IniFile(path, values);
    }

    String get(String section, String key) {
        return values.get(section + "." + key);
    }

    /** Where a value came from, for error messages. */
    String describe(String section, String key) {
        return (path == null ? "ini" : path.toString()) + " [" + section + "] " + key;
    }
}
