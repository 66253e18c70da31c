package dev.parley.support;

import io.micronaut.context.env.Environment;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Direct JDBC access to the test database, beside the service, for checking what it stored. */
public final class Db {

    private final String url;
    private final String username;
    private final String password;

    public Db(Environment environment) {
        this.url = environment.getRequiredProperty("datasources.default.url", String.class);
        this.username = environment.getRequiredProperty("datasources.default.username", String.class);
        this.password = environment.getRequiredProperty("datasources.default.password", String.class);
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url, username, password);
    }

    /** The first column of every row of a query with positional parameters. */
    public List<Object> column(String sql, Object... parameters) {
        try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                List<Object> values = new ArrayList<>();
                while (rows.next()) {
                    values.add(rows.getObject(1));
                }
                return values;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs a statement that returns no rows. */
    public int execute(String sql, Object... parameters) {
        try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public Object value(String sql, Object... parameters) {
        List<Object> values = column(sql, parameters);
        if (values.size() != 1) {
            throw new IllegalStateException("expected one row, got " + values.size() + " for " + sql);
        }
        return values.get(0);
    }

    public long count(String sql, Object... parameters) {
        return ((Number) value(sql, parameters)).longValue();
    }
}
