package dev.arbor.bench.records;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.arbor.bench.system.SqliteStore;
import dev.arbor.core.json.Json;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The records table an application would write on SQLite instead of a collection:
 * {@code records(id INTEGER PRIMARY KEY, body TEXT)} in WAL mode, the record as Jackson's JSON text; a push lets
 * SQLite assign the rowid. C1 is one thread, so one connection.
 */
public final class SqliteRecordStore implements RecordStore {
    private final Connection connection;
    private final PreparedStatement pushStatement;
    private final PreparedStatement insertStatement;
    private final PreparedStatement selectStatement;

    public SqliteRecordStore(Path dir, SqliteStore.Synchronous synchronous) {
        try {
            connection = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("records.db"));
            try (Statement st = connection.createStatement()) {
                st.execute("PRAGMA journal_mode=WAL");
                st.execute("PRAGMA synchronous=" + synchronous.name());
                st.execute("CREATE TABLE IF NOT EXISTS records(id INTEGER PRIMARY KEY, body TEXT)");
            }
            pushStatement = connection.prepareStatement("INSERT INTO records(body) VALUES (?)");
            insertStatement = connection.prepareStatement("INSERT INTO records(id, body) VALUES (?, ?)");
            selectStatement = connection.prepareStatement("SELECT body FROM records WHERE id = ?");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public int pushAll(List<BenchRecord> batch) {
        return inTransaction(() -> {
            int written = 0;
            for (BenchRecord r : batch) {
                pushStatement.setString(1, json(r));
                written += pushStatement.executeUpdate();
            }
            return written;
        });
    }

    @Override
    public int insertAll(long firstId, List<BenchRecord> batch) {
        return inTransaction(() -> {
            int written = 0;
            for (int i = 0; i < batch.size(); i++) {
                insertStatement.setLong(1, firstId + i);
                insertStatement.setString(2, json(batch.get(i)));
                written += insertStatement.executeUpdate();
            }
            return written;
        });
    }

    @Override
    public void push(BenchRecord record) {
        try {
            pushStatement.setString(1, json(record));
            pushStatement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void insert(long id, BenchRecord record) {
        try {
            insertStatement.setLong(1, id);
            insertStatement.setString(2, json(record));
            insertStatement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean get(long id) {
        try {
            selectStatement.setLong(1, id);
            try (ResultSet rs = selectStatement.executeQuery()) {
                return rs.next() && Json.MAPPER.readValue(rs.getString(1), BenchRecord.class) != null;
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private interface SqlWork { int run() throws SQLException; }

    private int inTransaction(SqlWork work) {
        try {
            connection.setAutoCommit(false);
            int written = work.run();
            connection.commit();
            connection.setAutoCommit(true);
            return written;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String json(BenchRecord record) {
        try {
            return Json.MAPPER.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
