package dev.arbor.bench.keyvalue;

import dev.arbor.bench.system.SqliteStore;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The key-value table an application would write on SQLite: {@code kv(key TEXT PRIMARY KEY, value INTEGER)} in WAL
 * mode, a set and an increment each one upsert statement in its own commit (the increment with {@code RETURNING},
 * so it is atomic and returns the new value like Arbor's). Each thread has its own connection, as SQLite wants;
 * concurrent writers wait on the busy timeout.
 */
public final class SqliteKeyValue implements KeyValueTarget {
    private final String url;
    private final SqliteStore.Synchronous synchronous;
    private final List<Session> sessions = new CopyOnWriteArrayList<>();
    private final ThreadLocal<Session> session = ThreadLocal.withInitial(this::openSession);

    private record Session(Connection connection, PreparedStatement set, PreparedStatement get, PreparedStatement increment) {}

    public SqliteKeyValue(Path dir, SqliteStore.Synchronous synchronous) {
        this.url = "jdbc:sqlite:" + dir.resolve("kv.db");
        this.synchronous = synchronous;
        session.get(); // creates the table now, so a failure shows at open
    }

    private Session openSession() {
        try {
            Connection c = DriverManager.getConnection(url);
            try (Statement st = c.createStatement()) {
                st.execute("PRAGMA journal_mode=WAL");
                st.execute("PRAGMA synchronous=" + synchronous.name());
                st.execute("PRAGMA busy_timeout=60000");
                st.execute("CREATE TABLE IF NOT EXISTS kv(key TEXT PRIMARY KEY, value INTEGER)");
            }
            Session s = new Session(c,
                    c.prepareStatement("INSERT INTO kv(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value"),
                    c.prepareStatement("SELECT value FROM kv WHERE key = ?"),
                    c.prepareStatement("INSERT INTO kv(key, value) VALUES (?, 1) ON CONFLICT(key) DO UPDATE SET value = value + 1 RETURNING value"));
            sessions.add(s);
            return s;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void set(String key, long value) {
        Session s = session.get();
        try {
            s.set.setString(1, key);
            s.set.setLong(2, value);
            s.set.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public OptionalLong get(String key) {
        Session s = session.get();
        try {
            s.get.setString(1, key);
            try (ResultSet rs = s.get.executeQuery()) {
                return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public long increment(String key) {
        Session s = session.get();
        try {
            s.increment.setString(1, key);
            try (ResultSet rs = s.increment.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("the upsert returned no row for " + key);
                }
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        for (Session s : sessions) {
            try {
                s.connection.close();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
