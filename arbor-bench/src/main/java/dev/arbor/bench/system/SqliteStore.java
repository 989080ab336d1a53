package dev.arbor.bench.system;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.arbor.core.json.Json;
import dev.arbor.bench.workload.NotApplicable;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The document store an application would write on SQLite: table {@code docs(id TEXT PRIMARY KEY,
 * rev TEXT, body TEXT)} in WAL mode, the body as JSON text and a CouchDB-like revision
 * {@code <generation>-<md5 of body>}, an update checking the revision it read (optimistic
 * concurrency, as CouchDB's MVCC). Each thread has its own connection, as SQLite wants; concurrent
 * writers wait on SQLite's busy timeout.
 */
public final class SqliteStore implements DocumentStore<ObjectNode> {

    public enum Synchronous { NORMAL, FULL }

    private final String url;
    private final Synchronous synchronous;
    private final List<Session> sessions = new CopyOnWriteArrayList<>();
    private final ThreadLocal<Session> session = ThreadLocal.withInitial(this::openSession);

    public SqliteStore(Path dir, Synchronous synchronous) {
        this.url = "jdbc:sqlite:" + dir.resolve("bench.db");
        this.synchronous = synchronous;
        session.get(); // creates the table now, so a failure shows at open
    }

    /** One thread's connection and its prepared statements. */
    private record Session(Connection connection, PreparedStatement insert, PreparedStatement select,
                           PreparedStatement update, MessageDigest md5) {}

    private Session openSession() {
        try {
            Connection c = DriverManager.getConnection(url);
            try (Statement st = c.createStatement()) {
                st.execute("PRAGMA journal_mode=WAL");
                st.execute("PRAGMA synchronous=" + synchronous.name());
                st.execute("PRAGMA busy_timeout=60000");
                st.execute("CREATE TABLE IF NOT EXISTS docs(id TEXT PRIMARY KEY, rev TEXT, body TEXT)");
            }
            Session s = new Session(c,
                    c.prepareStatement("INSERT INTO docs(id, rev, body) VALUES (?, ?, ?)"),
                    c.prepareStatement("SELECT rev, body FROM docs WHERE id = ?"),
                    c.prepareStatement("UPDATE docs SET rev = ?, body = ? WHERE id = ? AND rev = ?"),
                    MessageDigest.getInstance("MD5"));
            sessions.add(s);
            return s;
        } catch (SQLException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public ObjectNode prepare(String jsonLine) {
        return Json.parseObject(jsonLine);
    }

    @Override
    public int bulkInsert(List<ObjectNode> docs) {
        Session s = session.get();
        try {
            s.connection.setAutoCommit(false);
            for (ObjectNode doc : docs) {
                bindInsert(s, doc);
                s.insert.addBatch();
            }
            int accepted = 0;
            for (int updated : s.insert.executeBatch()) {
                accepted += updated > 0 || updated == Statement.SUCCESS_NO_INFO ? 1 : 0;
            }
            s.connection.commit();
            s.connection.setAutoCommit(true);
            return accepted;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void insert(ObjectNode doc) {
        Session s = session.get();
        try {
            bindInsert(s, doc);
            s.insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void bindInsert(Session s, ObjectNode doc) throws SQLException {
        String body = write(doc);
        s.insert.setString(1, doc.get("_id").asText());
        s.insert.setString(2, "1-" + md5(s, body));
        s.insert.setString(3, body);
    }

    @Override
    public boolean read(String id) {
        return readDoc(session.get(), id) != null;
    }

    /** The doc as the application gets it: its body parsed, with {@code _rev}; null when missing. */
    private ObjectNode readDoc(Session s, String id) {
        try {
            s.select.setString(1, id);
            try (ResultSet rs = s.select.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                ObjectNode doc = Json.parseObject(rs.getString(2));
                doc.put("_rev", rs.getString(1));
                return doc;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void update(String id, int i) {
        Session s = session.get();
        ObjectNode doc = readDoc(s, id);
        if (doc == null) {
            throw new IllegalStateException("update of missing doc " + id);
        }
        String oldRev = doc.remove("_rev").asText();
        ScoreUpdate.apply(doc, i);
        String body = write(doc);
        int generation = Integer.parseInt(oldRev.substring(0, oldRev.indexOf('-')));
        try {
            s.update.setString(1, (generation + 1) + "-" + md5(s, body));
            s.update.setString(2, body);
            s.update.setString(3, id);
            s.update.setString(4, oldRev);
            if (s.update.executeUpdate() != 1) {
                throw new IllegalStateException("conflict updating " + id);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public long scanAllDocs() {
        try (Statement st = session.get().connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, rev, body FROM docs ORDER BY id")) {
            long rows = 0;
            while (rs.next()) {
                ObjectNode doc = Json.parseObject(rs.getString(3));
                doc.put("_rev", rs.getString(2));
                rows++;
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An expression index on the JSON body's age: SQLite's way to index a field of a JSON document. */
    @Override
    public void createAgeIndex() {
        try (Statement st = session.get().connection.createStatement()) {
            st.execute("CREATE INDEX IF NOT EXISTS docs_age ON docs(json_extract(body, '$.age'))");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public long findUsersInTheirThirties(int limit) {
        String sql = "SELECT id, rev, body FROM docs WHERE json_extract(body, '$.age') >= 30 AND json_extract(body, '$.age') < 40"
                + " AND json_extract(body, '$.type') = 'user' ORDER BY json_extract(body, '$.age')" + (limit < 0 ? "" : " LIMIT " + limit);
        try (Statement st = session.get().connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            long rows = 0;
            while (rs.next()) {
                ObjectNode doc = Json.parseObject(rs.getString(3));
                doc.put("_rev", rs.getString(2));
                rows++;
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * W8's nearest SQLite form: an expression index on the view's key, {@code (city, age)} out of the JSON body, so a
     * GROUP BY city reads the index only (a covering scan), as a view query reads its index only.
     */
    @Override
    public void defineCityAgeViews() {
        try (Statement st = session.get().connection.createStatement()) {
            st.execute("CREATE INDEX IF NOT EXISTS docs_city_age ON docs(json_extract(body, '$.city'), json_extract(body, '$.age'))");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code COUNT(*)} for the _count view; {@code SUM(1)} for the _sum one, 1 being the value the view emits. */
    @Override
    public CityGroups groupByCity(CityAgeView view) {
        String reduce = view == CityAgeView.COUNT ? "COUNT(*)" : "SUM(1)";
        String sql = "SELECT json_extract(body, '$.city'), " + reduce + " FROM docs GROUP BY json_extract(body, '$.city')"
                + " ORDER BY json_extract(body, '$.city')";
        try (Statement st = session.get().connection.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            long groups = 0;
            long total = 0;
            while (rs.next()) {
                rs.getString(1);
                total += rs.getLong(2);
                groups++;
            }
            return new CityGroups(groups, total);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public long changesSinceStart() {
        throw new NotApplicable("the docs(id, rev, body) table keeps no sequence of changes");
    }

    private static String write(ObjectNode doc) {
        try {
            return Json.MAPPER.writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String md5(Session s, String body) {
        return HexFormat.of().formatHex(s.md5.digest(body.getBytes(StandardCharsets.UTF_8)));
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
