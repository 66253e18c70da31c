package dev.parley.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Row counts of every table of the service's schema, read in one statement: a refused request must
 * leave all of them as they were. Tables are found in the catalogue, so tables added later are
 * covered without editing this class.
 */
public final class TableCounts implements AutoCloseable {

    /**
     * Tables that may rightly record a refused request (abuse limits count failed logins and
     * refused posts), Flyway's own history, and the scratch tables of pipeline tests.
     */
    private static final Pattern EXEMPT = Pattern.compile("flyway_schema_history|test_.*|.*(rate_limit|attempt|throttle).*");

    private final Connection connection;
    private final List<String> tables = new ArrayList<>();
    private final String query;

    public TableCounts(Db db) {
        try {
            connection = db.connect();
            try (Statement s = connection.createStatement();
                 ResultSet r = s.executeQuery("""
                         SELECT table_name FROM information_schema.tables
                          WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name""")) {
                while (r.next()) {
                    if (!EXEMPT.matcher(r.getString(1)).matches()) {
                        tables.add(r.getString(1));
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int i = 0; i < tables.size(); i++) {
            // Names come from the catalogue, quoted: no outside text reaches this statement.
            sql.append(i == 0 ? "" : ", ").append("(SELECT count(*) FROM \"").append(tables.get(i).replace("\"", "\"\""))
                    .append("\")");
        }
        query = sql.toString();
    }

    public List<String> tables() {
        return List.copyOf(tables);
    }

    /** Table name → rows, now. */
    public Map<String, Long> snapshot() {
        try (PreparedStatement s = connection.prepareStatement(query); ResultSet r = s.executeQuery()) {
            r.next();
            Map<String, Long> counts = new LinkedHashMap<>();
            for (int i = 0; i < tables.size(); i++) {
                counts.put(tables.get(i), r.getLong(i + 1));
            }
            return counts;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The tables whose counts differ, with before → after, or an empty map. */
    public static Map<String, String> changes(Map<String, Long> before, Map<String, Long> after) {
        Map<String, String> changed = new LinkedHashMap<>();
        before.forEach((table, rows) -> {
            if (!rows.equals(after.get(table))) {
                changed.put(table, rows + " -> " + after.get(table));
            }
        });
        return changed;
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // nothing to release
        }
    }
}
