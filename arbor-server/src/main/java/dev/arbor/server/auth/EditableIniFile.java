package dev.arbor.server.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An ini file in CouchDB's {@code local.ini} dialect ({@code [section]}, {@code key = value}, {@code ;}
 * comments) that can be edited in place: setting a key rewrites only its line, so an operator's comments
 * and layout survive, as they do when CouchDB hashes the plain-text admins it finds. Not thread-safe: it
 * is read and written once, at start-up.
 */
final class EditableIniFile {
    private final Path path;
    private final List<String> lines;
    private boolean dirty;

    private EditableIniFile(Path path, List<String> lines) {
        this.path = path;
        this.lines = lines;
    }

    /** Reads {@code path}; a missing file is an empty one (created on {@link #saveIfChanged()}). */
    static EditableIniFile load(Path path) {
        try {
            List<String> lines = Files.exists(path)
                    ? new ArrayList<>(Files.readAllLines(path, StandardCharsets.UTF_8))
                    : new ArrayList<>();
            return new EditableIniFile(path, lines);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    Path path() {
        return path;
    }

    /** The value of {@code key} in {@code section}; the last one wins when a key repeats, as in CouchDB. */
    Optional<String> get(String section, String key) {
        return Optional.ofNullable(section(section).get(key));
    }

    /** The keys and values of a section in file order (all sections of that name merged). */
    Map<String, String> section(String section) {
        Map<String, String> values = new LinkedHashMap<>();
        String current = null;
        for (String line : lines) {
            String header = sectionHeader(line);
            if (header != null) {
                current = header;
            } else if (section.equals(current)) {
                String[] entry = entry(line);
                if (entry != null) {
                    values.put(entry[0], entry[1]);
                }
            }
        }
        return values;
    }

    /** The names of the sections, in file order, each once. */
    List<String> sectionNames() {
        java.util.LinkedHashSet<String> names = new java.util.LinkedHashSet<>();
        for (String line : lines) {
            String header = sectionHeader(line);
            if (header != null) {
                names.add(header);
            }
        }
        return List.copyOf(names);
    }

    /** Removes every line setting {@code key} in {@code section}; false when there was none. */
    boolean remove(String section, String key) {
        String current = null;
        boolean removed = false;
        for (int i = 0; i < lines.size(); i++) {
            String header = sectionHeader(lines.get(i));
            if (header != null) {
                current = header;
                continue;
            }
            String[] entry = entry(lines.get(i));
            if (section.equals(current) && entry != null && entry[0].equals(key)) {
                lines.remove(i--);
                removed = true;
            }
        }
        dirty |= removed;
        return removed;
    }

    /** Sets {@code key}, replacing its last line when present, else appending to the section (created if needed). */
    void set(String section, String key, String value) {
        String newLine = key + " = " + value;
        String current = null;
        int lastEntry = -1;
        int sectionEnd = -1;
        for (int i = 0; i < lines.size(); i++) {
            String header = sectionHeader(lines.get(i));
            if (header != null) {
                current = header;
                continue;
            }
            if (section.equals(current)) {
                String trimmed = lines.get(i).strip();
                if (!trimmed.isEmpty()) {
                    sectionEnd = i;
                }
                String[] entry = entry(lines.get(i));
                if (entry != null && entry[0].equals(key)) {
                    lastEntry = i;
                }
            }
        }
        if (lastEntry >= 0) {
            if (!lines.get(lastEntry).equals(newLine)) {
                lines.set(lastEntry, newLine);
                dirty = true;
            }
            return;
        }
        if (sectionEnd < 0) {
            sectionEnd = lastHeaderLine(section);
        }
        if (sectionEnd < 0) {
            if (!lines.isEmpty() && !lines.get(lines.size() - 1).isBlank()) {
                lines.add("");
            }
            lines.add("[" + section + "]");
            lines.add(newLine);
        } else {
            lines.add(sectionEnd + 1, newLine);
        }
        dirty = true;
    }

    /**
     * Writes the file when something was set, atomically (a reader never sees half a file) and, where the
     * file system allows, readable by its owner only: it holds password hashes and the cookie secret.
     */
    void saveIfChanged() {
        if (!dirty) {
            return;
        }
        try {
            Path dir = path.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path temp = Files.createTempFile(dir, ".arbor.ini", ".tmp");
            try {
                restrictToOwner(temp);
                Files.write(temp, lines, StandardCharsets.UTF_8);
                try {
                    Files.move(temp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, path, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temp);
            }
            dirty = false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path, e);
        }
    }

    private static void restrictToOwner(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system (Windows): the directory's ACL applies.
        }
    }

    private int lastHeaderLine(String section) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (section.equals(sectionHeader(lines.get(i)))) {
                return i;
            }
        }
        return -1;
    }

    private static String sectionHeader(String line) {
        String trimmed = line.strip();
        if (trimmed.startsWith("[") && trimmed.endsWith("]")) {
            return trimmed.substring(1, trimmed.length() - 1).strip();
        }
        return null;
    }

    /** {@code [key, value]}, or null for blank lines, comments and lines without {@code =}. */
    private static String[] entry(String line) {
        String trimmed = line.strip();
        if (trimmed.isEmpty() || trimmed.startsWith(";") || trimmed.startsWith("#")) {
            return null;
        }
        int eq = trimmed.indexOf('=');
        if (eq <= 0) {
            return null;
        }
        return new String[] {trimmed.substring(0, eq).strip(), trimmed.substring(eq + 1).strip()};
    }
}
